const TRUE_STRINGS = new Set(['1', 't', 'true', 'on', 'y', 'yes']);
const FALSE_STRINGS = new Set(['0', 'f', 'false', 'off', 'n', 'no']);

/**
 * Reads a boolean the way oslo's `bool_from_string(strict=True)` does: JSON booleans as they are,
 * and the usual spellings of yes and no in any case; anything else is `undefined`.
 *
 * @example
 * boolFromString('Yes'); // true
 * boolFromString('maybe'); // undefined
 */
export function boolFromString(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase();
  if (TRUE_STRINGS.has(v)) return true;
  if (FALSE_STRINGS.has(v)) return false;
  return undefined;
}
