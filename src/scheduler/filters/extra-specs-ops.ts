import { parsePythonFloat } from './python-float.js';

type Op = (value: string, operands: readonly string[]) => boolean;

/** A compiled requirement: does this offered value satisfy it? */
export type ExtraSpecMatcher = (value: string | undefined) => boolean;

/** Compares two numbers read the Python way; a side that is not a number never matches. */
function numeric(test: (a: number, b: number) => boolean): Op {
  return (value, [operand]) => {
    if (operand === undefined) return false;
    const a = parsePythonFloat(value);
    const b = parsePythonFloat(operand);
    return a !== undefined && b !== undefined && test(a, b);
  };
}

function textual(test: (a: string, b: string) => boolean): Op {
  return (value, [operand]) => operand !== undefined && test(value, operand);
}

const OPS: ReadonlyMap<string, Op> = new Map<string, Op>([
  // `=` means "at least": a flavor asking `= 4` fits a host offering 8.
  ['=', numeric((a, b) => a >= b)],
  ['==', numeric((a, b) => a === b)],
  ['!=', numeric((a, b) => a !== b)],
  ['>=', numeric((a, b) => a >= b)],
  ['<=', numeric((a, b) => a <= b)],
  ['s==', textual((a, b) => a === b)],
  ['s!=', textual((a, b) => a !== b)],
  ['s<', textual((a, b) => a < b)],
  ['s<=', textual((a, b) => a <= b)],
  ['s>', textual((a, b) => a > b)],
  ['s>=', textual((a, b) => a >= b)],
  ['<in>', textual((a, b) => a.includes(b))],
  ['<all-in>', (value, operands) => operands.length > 0 && operands.every((o) => value.includes(o))],
]);

// Requirements come from a handful of flavors; the bound only guards against unbounded growth.
const compiled = new Map<string, ExtraSpecMatcher>();
const MAX_COMPILED = 1024;

/**
 * Compiles a requirement written in Nova's extra-spec operator syntax into a matcher for the value
 * a host offers (aggregate metadata, a capability). The requirement is split on blanks; its first
 * word is the operator:
 *
 * - `= N` (at least), `== N`, `!= N`, `>= N`, `<= N`: numeric comparisons;
 * - `s== S`, `s!= S`, `s< S`, `s<= S`, `s> S`, `s>= S`: string comparisons;
 * - `<in> S`: the value contains S; `<all-in> A B ...`: it contains every one of them;
 * - `<or> A <or> B ...`: the value is one of A, B, ...;
 * - anything else: the value equals the whole requirement.
 *
 * Where Nova would raise (a non-number given to a numeric operator, a bare `<or>`) the matcher
 * answers `false`, so the host is filtered out rather than the request failing. Matchers are
 * cached per requirement text.
 *
 * @example
 * const atLeast4 = compileExtraSpec('>= 4');
 * atLeast4('8') // true
 */
export function compileExtraSpec(requirement: string): ExtraSpecMatcher {
  let matcher = compiled.get(requirement);
  if (matcher === undefined) {
    matcher = build(requirement);
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(requirement, matcher);
  }
  return matcher;
}

function build(requirement: string): ExtraSpecMatcher {
  const words = requirement.split(/\s+/).filter((w) => w !== '');
  const op = words[0];
  const operands = words.slice(1);
  if (op === '<or>') {
    // Operands alternate with `<or>` keywords: A <or> B <or> C.
    const choices = operands.filter((_, i) => i % 2 === 0);
    return (value) => value !== undefined && choices.includes(value);
  }
  const method = op === undefined ? undefined : OPS.get(op);
  if (method === undefined) return (value) => value === requirement;
  return (value) => value !== undefined && method(value, operands);
}

/**
 * Whether a value satisfies a requirement in the operator syntax of {@link compileExtraSpec}.
 *
 * @example
 * matchExtraSpec('8', '>= 4')                // true
 * matchExtraSpec('ssd', '<or> hdd <or> ssd') // true
 * matchExtraSpec('true', 'true')             // true
 */
export function matchExtraSpec(value: string | undefined, requirement: string): boolean {
  return compileExtraSpec(requirement)(value);
}
