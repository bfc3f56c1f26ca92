/** One lexical unit of a rule string. */
export type RuleToken =
  | { readonly type: '(' | ')' | 'and' | 'or' | 'not' }
  | { readonly type: 'check'; readonly text: string };

const KEYWORDS = new Set(['and', 'or', 'not']);

/**
 * Splits a rule string into parentheses, keywords and check words.
 *
 * Unlike oslo.policy, which only peels parentheses off the ends of whitespace-separated words,
 * any `(` or `)` is a token of its own here, so `not(role:a)` works. The two places where a
 * parenthesis belongs to the word are kept intact: `%(key)s` substitutions and quoted literals.
 * Throws a plain `Error` with the reason; `parseRule` adds the rule text.
 *
 * @example
 * tokenizeRule('(role:a or role:b)');
 * // [{ type: '(' }, { type: 'check', text: 'role:a' }, { type: 'or' },
//  { type: 'check', text: 'role:b' }, { type: ')' }]
 */
export function tokenizeRule(text: string): RuleToken[] {
  const tokens: RuleToken[] = [];
  let word = '';
  const flush = (): void => {
    if (word === '') return;
    const lower = word.toLowerCase();
    const keyword = KEYWORDS.has(lower) ? (lower as 'and' | 'or' | 'not') : undefined;
    tokens.push(keyword === undefined ? { type: 'check', text: word } : { type: keyword });
    word = '';
  };

  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (/\s/.test(ch)) {
      flush();
      i += 1;
    } else if (ch === '(' || ch === ')') {
      flush();
      tokens.push({ type: ch });
      i += 1;
    } else if (ch === "'" || ch === '"') {
      const close = text.indexOf(ch, i + 1);
      if (close < 0) throw new Error(`unterminated quote at "${text.slice(i)}"`);
      word += text.slice(i, close + 1);
      i = close + 1;
    } else if (ch === '%' && text[i + 1] === '(') {
      const close = text.indexOf(')', i + 2);
      if (close < 0) throw new Error(`unterminated substitution at "${text.slice(i)}"`);
      word += text.slice(i, close + 1);
      i = close + 1;
    } else {
      word += ch;
      i += 1;
    }
  }
  flush();
  return tokens;
}
