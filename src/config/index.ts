export { cellDatabaseUrl } from './cell-database-url.js';
export { ConfigError } from './config-error.js';
export { configSchema, type Config, type ConfigSectionName } from './config-schema.js';
export { loadConfig, parseConfigText, type ConfigOverrides, type LoadConfigOptions } from './load-config.js';
export type { ConfigOf, ConfigSchema, OptionDef, OptionValue, SectionOf, SectionSchema } from './option-schema.js';
