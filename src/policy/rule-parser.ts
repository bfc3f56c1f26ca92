import { BadRequestError } from '../common/errors.js';
import { parseTemplate } from './match-template.js';
import type { GenericLeft, RuleNode } from './rule-node.js';
import { tokenizeRule, type RuleToken } from './rule-tokenizer.js';

/**
 * Parses an oslo.policy rule string into a `RuleNode`.
 *
 * Grammar, loosest first (oslo precedence: `not` binds tighter than `and`, `and` than `or`):
 *
 *     or    := and ("or" and)*
 *     and   := not ("and" not)*
 *     not   := "not" not | "(" or ")" | check
 *     check := "@" | "!" | "rule:NAME" | "role:NAME" | LEFT ":" MATCH
 *
 * The empty string allows everyone. LEFT is a dotted credential path or a literal
 * (`'text'`, `True`, `False`, a number); MATCH is text with `%(target_key)s` holes, or a quoted
 * literal taken as-is. oslo.policy logs and denies on a malformed rule; we throw instead, because
 * a silently dead rule in a policy file is a security surprise.
 *
 * @throws BadRequestError `policy.invalid_rule`, naming the rule text.
 * @example
 * parseRule('role:member and project_id:%(project_id)s');
 * parseRule('not (role:a or role:b) and rule:admin_api');
 */
export function parseRule(text: string): RuleNode {
  try {
    return new Parser(tokenizeRule(text)).parseAll();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new BadRequestError('policy.invalid_rule', `Invalid policy rule "${text}": ${reason}`, {
      cause: err,
    });
  }
}

class Parser {
  private pos = 0;

  constructor(private readonly tokens: readonly RuleToken[]) {}

  parseAll(): RuleNode {
    if (this.tokens.length === 0) return { kind: 'true' };
    const node = this.parseOr();
    const extra = this.tokens[this.pos];
    if (extra !== undefined) throw new Error(`unexpected ${describe(extra)}`);
    return node;
  }

  private parseOr(): RuleNode {
    const operands = [this.parseAnd()];
    while (this.accept('or')) operands.push(this.parseAnd());
    return operands.length === 1 && operands[0] ? operands[0] : { kind: 'or', operands };
  }

  private parseAnd(): RuleNode {
    const operands = [this.parseNot()];
    while (this.accept('and')) operands.push(this.parseNot());
    return operands.length === 1 && operands[0] ? operands[0] : { kind: 'and', operands };
  }

  private parseNot(): RuleNode {
    const token = this.tokens[this.pos];
    if (token === undefined) throw new Error('unexpected end of rule');
    this.pos += 1;
    switch (token.type) {
      case 'not':
        return { kind: 'not', operand: this.parseNot() };
      case '(': {
        const inner = this.parseOr();
        if (!this.accept(')')) throw new Error('missing ")"');
        return inner;
      }
      case 'check':
        return parseCheck(token.text);
      default:
        throw new Error(`unexpected ${describe(token)}`);
    }
  }

  private accept(type: RuleToken['type']): boolean {
    if (this.tokens[this.pos]?.type !== type) return false;
    this.pos += 1;
    return true;
  }
}

function parseCheck(text: string): RuleNode {
  if (text === '@') return { kind: 'true' };
  if (text === '!') return { kind: 'false' };
  const colon = findSeparator(text);
  const kind = text.slice(0, colon);
  const match = text.slice(colon + 1);
  if (kind === '' || match === '') throw new Error(`check "${text}" needs both sides of ":"`);
  if (kind === 'rule') return { kind: 'rule', name: match };
  if (kind === 'role') return { kind: 'role', role: parseTemplate(match) };
  const quoted = unquote(match);
  return {
    kind: 'generic',
    left: parseLeft(kind),
    match: quoted === undefined ? parseTemplate(match) : [{ type: 'text', text: quoted }],
  };
}

/** The first `:` outside a quoted left-hand literal such as `'a:b':%(x)s`. */
function findSeparator(text: string): number {
  const first = text[0];
  const from = first === "'" || first === '"' ? text.indexOf(first, 1) + 1 : 0;
  const colon = text.indexOf(':', from);
  if (colon < 0) throw new Error(`"${text}" is not a check (expected "kind:match", "@" or "!")`);
  return colon;
}

function parseLeft(kind: string): GenericLeft {
  const quoted = unquote(kind);
  if (quoted !== undefined) return { type: 'literal', value: quoted };
  // Python's literal_eval would turn these into values whose str() is the same text.
  if (kind === 'True' || kind === 'False' || /^-?\d+(\.\d+)?$/.test(kind)) {
    return { type: 'literal', value: kind };
  }
  return { type: 'credential', path: kind };
}

function unquote(text: string): string | undefined {
  const q = text[0];
  if ((q === "'" || q === '"') && text.length >= 2 && text.endsWith(q)) return text.slice(1, -1);
  if (q === "'" || q === '"') throw new Error(`malformed quoted literal ${text}`);
  return undefined;
}

function describe(token: RuleToken): string {
  return token.type === 'check' ? `"${token.text}"` : `"${token.type}"`;
}
