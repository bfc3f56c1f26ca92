/**
 * The declarative option schema: each option has a type, a default and help text. Sections are
 * plain objects of option definitions; `ConfigOf` maps a schema to the precise type of the parsed
 * configuration (`int` → number, `list` → readonly string[], `enum` → the union of its choices).
 *
 * @example
 * const api = { max_limit: intOpt(1000, 'Largest page size.', { min: 1 }) };
 * type Api = SectionOf<typeof api>; // { readonly max_limit: number }
 */

export interface StringOption {
  readonly type: 'string';
  readonly default: string;
  readonly help: string;
  /** Optional shape check on the raw value; `patternHelp` completes "expected ...". */
  readonly pattern?: RegExp;
  readonly patternHelp?: string;
}

export interface IntOption {
  readonly type: 'int';
  readonly default: number;
  readonly help: string;
  readonly min?: number;
  readonly max?: number;
}

export interface FloatOption {
  readonly type: 'float';
  readonly default: number;
  readonly help: string;
  readonly min?: number;
  readonly max?: number;
  /** When true, `min` itself is rejected (e.g. allocation ratios must be > 0). */
  readonly minExclusive?: boolean;
}

export interface BoolOption {
  readonly type: 'bool';
  readonly default: boolean;
  readonly help: string;
}

export interface ListOption {
  readonly type: 'list';
  readonly default: readonly string[];
  readonly help: string;
}

export interface EnumOption<C extends string = string> {
  readonly type: 'enum';
  readonly choices: readonly C[];
  readonly default: C;
  readonly help: string;
}

export type OptionDef = StringOption | IntOption | FloatOption | BoolOption | ListOption | EnumOption;
export type SectionSchema = Readonly<Record<string, OptionDef>>;
export type ConfigSchema = Readonly<Record<string, SectionSchema>>;

/** The parsed value type of one option definition. */
export type OptionValue<D extends OptionDef> = D extends EnumOption<infer C>
  ? C
  : D extends ListOption
    ? readonly string[]
    : D extends BoolOption
      ? boolean
      : D extends IntOption | FloatOption
        ? number
        : string;

export type SectionOf<S extends SectionSchema> = { readonly [O in keyof S]: OptionValue<S[O]> };
export type ConfigOf<C extends ConfigSchema> = { readonly [K in keyof C]: SectionOf<C[K]> };

type Range = { min?: number; max?: number };

export function stringOpt(
  def: string,
  help: string,
  check: { pattern?: RegExp; patternHelp?: string } = {},
): StringOption {
  return { type: 'string', default: def, help, ...check };
}

export function intOpt(def: number, help: string, range: Range = {}): IntOption {
  return { type: 'int', default: def, help, ...range };
}

export function floatOpt(
  def: number,
  help: string,
  range: Range & { minExclusive?: boolean } = {},
): FloatOption {
  return { type: 'float', default: def, help, ...range };
}

export function boolOpt(def: boolean, help: string): BoolOption {
  return { type: 'bool', default: def, help };
}

export function listOpt(def: readonly string[], help: string): ListOption {
  return { type: 'list', default: def, help };
}

export function enumOpt<const C extends string>(
  choices: readonly C[],
  def: NoInfer<C>,
  help: string,
): EnumOption<C> {
  return { type: 'enum', choices, default: def, help };
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; problem: string };

const TRUE_WORDS = new Set(['true', 'yes', '1', 'on']);
const FALSE_WORDS = new Set(['false', 'no', '0', 'off']);
const INT_RE = /^[+-]?\d+$/;
const FLOAT_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function fail(problem: string): ParseResult<never> {
  return { ok: false, problem };
}

function checkRange(n: number, def: IntOption | FloatOption): ParseResult<number> {
  const exclusive = def.type === 'float' && def.minExclusive === true;
  if (def.min !== undefined && (exclusive ? n <= def.min : n < def.min)) {
    return fail(`must be ${exclusive ? '>' : '>='} ${def.min}, got ${n}`);
  }
  if (def.max !== undefined && n > def.max) return fail(`must be <= ${def.max}, got ${n}`);
  return { ok: true, value: n };
}

/**
 * Converts one raw INI value to the option's type, or says what is wrong with it (the message
 * is completed by the caller with the `[section] option` name).
 */
export function parseOptionValue<D extends OptionDef>(def: D, raw: string): ParseResult<OptionValue<D>>;
export function parseOptionValue(def: OptionDef, raw: string): ParseResult<unknown> {
  const text = raw.trim();
  const got = JSON.stringify(raw);
  switch (def.type) {
    case 'string':
      if (def.pattern !== undefined && !def.pattern.test(raw)) {
        return fail(`expected ${def.patternHelp ?? `a value matching ${String(def.pattern)}`}, got ${got}`);
      }
      return { ok: true, value: raw };
    case 'int': {
      const n = Number(text);
      if (!INT_RE.test(text) || !Number.isSafeInteger(n)) return fail(`expected an integer, got ${got}`);
      return checkRange(n, def);
    }
    case 'float': {
      const n = Number(text);
      if (!FLOAT_RE.test(text) || !Number.isFinite(n)) return fail(`expected a number, got ${got}`);
      return checkRange(n, def);
    }
    case 'bool': {
      const word = text.toLowerCase();
      if (TRUE_WORDS.has(word)) return { ok: true, value: true };
      if (FALSE_WORDS.has(word)) return { ok: true, value: false };
      return fail(`expected a boolean (true/false, yes/no, 1/0, on/off), got ${got}`);
    }
    case 'list':
      return { ok: true, value: text.split(',').map((s) => s.trim()).filter((s) => s !== '') };
    case 'enum':
      if (def.choices.includes(text)) return { ok: true, value: text };
      return fail(`expected one of ${def.choices.map((c) => JSON.stringify(c)).join(', ')}, got ${got}`);
  }
}
