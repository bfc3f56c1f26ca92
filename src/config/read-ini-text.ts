import { parse } from 'ini';

/** Raw option values by section and option name, before typing. */
export type RawSections = Map<string, Map<string, string>>;

/**
 * Parses INI text into raw string values, undoing the `ini` package's conveniences that Nova's
 * format does not have: `true`/`false`/`null` become strings again, a key without `=` is
 * reported, `[a.b]` stays one section named `a.b`, and `key[]` arrays are reported.
 */
export function readIniText(text: string): { sections: RawSections; problems: string[] } {
  const sections: RawSections = new Map();
  const problems: string[] = [];
  const parsed: Record<string, unknown> = parse(text);

  const walkSection = (name: string, body: Record<string, unknown>): void => {
    const options = sections.get(name) ?? new Map<string, string>();
    sections.set(name, options);
    for (const [key, value] of Object.entries(body)) {
      if (isPlainObject(value)) {
        walkSection(`${name}.${key}`, value);
      } else if (Array.isArray(value)) {
        problems.push(`[${name}] ${key}: "${key}[]" arrays are not supported; use a comma-separated list`);
      } else if (value === true && !hasAssignment(text, key)) {
        problems.push(`[${name}] ${key}: expected "${key} = value"`);
      } else {
        options.set(key, value === null ? 'null' : String(value));
      }
    }
  };

  for (const [key, value] of Object.entries(parsed)) {
    if (isPlainObject(value)) walkSection(key, value);
    else problems.push(`(no section) ${key}: option outside any section; put it under [DEFAULT]`);
  }
  return { sections, problems };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `ini` turns both `key = true` and a bare `key` into `true`; only the first is valid. */
function hasAssignment(text: string, key: string): boolean {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\s*${escaped}\\s*=`, 'm').test(text);
}
