import type { Template, TemplatePart } from './rule-node.js';
import { lookupPath, policyString } from './policy-value.js';

/**
 * Splits Python-style `%(key)s` substitution text into parts. Only the `s` conversion and `%%`
 * are accepted, as in oslo.policy rule files; anything else is a typo we would rather reject at
 * load time than silently never match.
 *
 * @example
 * parseTemplate('%(project_id)s'); // [{ type: 'target', key: 'project_id' }]
 * parseTemplate('50%%');           // [{ type: 'text', text: '50%' }]
 */
export function parseTemplate(raw: string): Template {
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < raw.length) {
    const ch = raw[i];
    if (ch !== '%') {
      text += ch;
      i += 1;
      continue;
    }
    const next = raw[i + 1];
    if (next === '%') {
      text += '%';
      i += 2;
      continue;
    }
    if (next !== '(') throw new Error(`bad substitution at "${raw.slice(i)}"`);
    const close = raw.indexOf(')', i + 2);
    if (close < 0) throw new Error(`unterminated substitution at "${raw.slice(i)}"`);
    const key = raw.slice(i + 2, close);
    if (key === '') throw new Error('empty substitution "%()s"');
    if (raw[close + 1] !== 's') throw new Error(`substitution "%(${key})" must end with "s"`);
    if (text !== '') parts.push({ type: 'text', text });
    text = '';
    parts.push({ type: 'target', key });
    i = close + 2;
  }
  if (text !== '' || parts.length === 0) parts.push({ type: 'text', text });
  return parts;
}

/**
 * Fills a template from the target. Returns `undefined` when a referenced key is missing or not
 * comparable, which callers treat as "no match" (oslo denies on a missing target key too).
 *
 * @example
 * renderTemplate(parseTemplate('%(project_id)s'), { project_id: 'p1' }); // 'p1'
 */
export function renderTemplate(
  template: Template,
  target: Readonly<Record<string, unknown>>,
): string | undefined {
  let out = '';
  for (const part of template) {
    if (part.type === 'text') {
      out += part.text;
      continue;
    }
    const value = policyString(lookupPath(target, part.key));
    if (value === undefined) return undefined;
    out += value;
  }
  return out;
}
