import type { Config } from './config-schema.js';

/**
 * The database URL of one cell: `[database] connection` with `{cell}` filled in
 * (`{state_path}` was already substituted when the configuration was loaded).
 *
 * @example
 * cellDatabaseUrl(config, 'cell1'); // 'sqlite:///./data/cell1.sqlite'
 */
export function cellDatabaseUrl(config: Pick<Config, 'database'>, cellName: string): string {
  return config.database.connection.replaceAll('{cell}', cellName);
}
