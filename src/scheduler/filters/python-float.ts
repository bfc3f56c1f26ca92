const SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;
const DECIMAL = /^[+-]?(\d+(_\d+)*(\.(\d+(_\d+)*)?)?|\.\d+(_\d+)*)([eE][+-]?\d+(_\d+)*)?$/;

/**
 * Reads a number the way Python's `float()` does (surrounding blanks, `inf`, `nan`, `1_000`, `.5`,
 * `1e3`), which is how Nova reads numbers out of extra specs and aggregate metadata. Returns
 * `undefined` where Python raises, so `''` and `'0x10'` are not numbers (unlike `Number()`).
 *
 * @example
 * parsePythonFloat(' 2.5 ') // 2.5
 * parsePythonFloat('')      // undefined
 */
export function parsePythonFloat(text: string): number | undefined {
  const s = text.trim();
  const special = SPECIAL.exec(s);
  if (special !== null) {
    const word = (special[2] ?? '').toLowerCase();
    if (word === 'nan') return Number.NaN;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  if (!DECIMAL.test(s)) return undefined;
  return Number(s.replaceAll('_', ''));
}
