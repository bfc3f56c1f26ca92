import { readFile } from 'node:fs/promises';
import { ConfigError } from './config-error.js';
import { configSchema, type Config } from './config-schema.js';
import { parseOptionValue, type ConfigSchema } from './option-schema.js';
import { readIniText, type RawSections } from './read-ini-text.js';

/** Values applied on top of the file, by section then option (CLI flags, environment). */
export type ConfigOverrides = Readonly<Record<string, Readonly<Record<string, string>>>>;

export interface LoadConfigOptions {
  /** INI file to read; without it only defaults and overrides apply. */
  file?: string;
  overrides?: ConfigOverrides;
}

/**
 * Reads, validates and freezes the configuration, once, at start-up.
 * Throws `ConfigError` naming the file if it is missing, or listing every invalid option.
 *
 * @example
 * const config = await loadConfig({ file: '/etc/tessera/tessera.conf', overrides: { api: { port: '0' } } });
 */
export async function loadConfig(opts: LoadConfigOptions = {}): Promise<Config> {
  if (opts.file === undefined) return parseConfigText('', '<defaults>', opts.overrides);
  let text: string;
  try {
    text = await readFile(opts.file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'file not found' : `cannot read file: ${(err as Error).message}`;
    throw new ConfigError(opts.file, [problem], { cause: err });
  }
  return parseConfigText(text, opts.file, opts.overrides);
}

/** Synchronous core of `loadConfig`: parses INI text named `sourceName` in error messages. */
export function parseConfigText(text: string, sourceName: string, overrides?: ConfigOverrides): Config {
  const { sections, problems } = readIniText(text);
  const values = buildValues(configSchema, sections, overrides ?? {}, problems);
  if (problems.length > 0) throw new ConfigError(sourceName, problems);
  substituteStatePath(configSchema, values);
  return deepFreeze(values) as unknown as Config;
}

type Values = Record<string, Record<string, unknown>>;

function buildValues(schema: ConfigSchema, file: RawSections, overrides: ConfigOverrides, problems: string[]): Values {
  for (const [section, options] of file) {
    checkKnown(schema, section, [...options.keys()], '', problems);
  }
  for (const [section, options] of Object.entries(overrides)) {
    checkKnown(schema, section, Object.keys(options), ' (from overrides)', problems);
  }
  const values: Values = {};
  for (const [section, defs] of Object.entries(schema)) {
    const out: Record<string, unknown> = {};
    for (const [name, def] of Object.entries(defs)) {
      const override = ownValue(ownValue(overrides, section), name);
      const fromOverride = override !== undefined;
      const raw = override ?? file.get(section)?.get(name);
      if (raw === undefined) {
        out[name] = Array.isArray(def.default) ? [...def.default] : def.default;
        continue;
      }
      const result = parseOptionValue(def, raw);
      if (result.ok) out[name] = result.value;
      else problems.push(`[${section}] ${name}: ${result.problem}${fromOverride ? ' (from overrides)' : ''}`);
    }
    values[section] = out;
  }
  return values;
}

function checkKnown(schema: ConfigSchema, section: string, names: string[], suffix: string, problems: string[]): void {
  const defs = ownValue(schema, section);
  if (defs === undefined) {
    const hint = Object.keys(schema).find((s) => s.toLowerCase() === section.toLowerCase());
    problems.push(`[${section}]: unknown section${hint === undefined ? '' : ` (did you mean [${hint}]?)`}${suffix}`);
    return;
  }
  for (const name of names) {
    if (!Object.hasOwn(defs, name)) problems.push(`[${section}] ${name}: unknown option${suffix}`);
  }
}

/** Replaces `{state_path}` in every string option (but `state_path` itself); `{cell}` is left for callers. */
function substituteStatePath(schema: ConfigSchema, values: Values): void {
  const statePath = values['DEFAULT']?.['state_path'];
  if (typeof statePath !== 'string') return;
  for (const [section, defs] of Object.entries(schema)) {
    const options = values[section] ?? {};
    for (const [name, def] of Object.entries(defs)) {
      const value = options[name];
      if (def.type !== 'string' || typeof value !== 'string' || (section === 'DEFAULT' && name === 'state_path')) continue;
      options[name] = value.replaceAll('{state_path}', statePath);
    }
  }
}

/** Own-property lookup, so names like "constructor" or "toString" are never mistaken for options. */
function ownValue<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
