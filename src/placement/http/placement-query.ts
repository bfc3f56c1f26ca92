import { PlacementCode, badRequest } from '../placement-errors.js';
import { atLeast, type PlacementVersion } from './placement-microversion.js';
import { normalizeUuid } from './placement-input.js';

/** `resources=VCPU:2,MEMORY_MB:1024` as a map of amounts, with Placement's messages. */
export function parseResources(value: string): Map<string, number> {
  const form = '?resources=VCPU:2,MEMORY_MB:1024';
  if (value.trim() === '') throw badRequest(`Badly formed resources parameter. Expected resources query string parameter in form: ${form}. Got: empty string.`);
  const out = new Map<string, number>();
  for (const part of value.split(',')) {
    const pieces = part.split(':');
    if (pieces.length !== 2) throw badRequest(`Badly formed resources parameter. Expected resources query string parameter in form: ${form}. Got: ${part}.`);
    const [rc, amountText] = pieces as [string, string];
    if (!/^[+-]?\d+$/.test(amountText.trim())) throw badRequest(`Requested resource ${rc} expected positive integer amount. Got: ${amountText}.`);
    const amount = Number(amountText);
    if (amount < 1) throw badRequest(`Requested resource ${rc} requires amount >= 1. Got: ${amount}.`);
    out.set(rc, amount);
  }
  return out;
}

/**
 * `member_of` values: a uuid, `in:a,b` (any of), and from 1.32 `!uuid` / `!in:a,b` (none of).
 * Several `member_of` parameters (1.24+) must all hold.
 */
export function parseMemberOf(values: readonly string[], mv: PlacementVersion): { groups: string[][]; forbidden: Set<string> } {
  if (values.length > 1 && !atLeast(mv, 24)) throw badRequest('Multiple member_of parameters are not supported');
  const groups: string[][] = [];
  const forbidden = new Set<string>();
  for (const value of values) {
    if (value.includes(',') && !value.startsWith('in:') && !value.startsWith('!in:')) {
      throw badRequest(`Multiple values for 'member_of' must be prefixed with the 'in:' or '!in:' keyword using the valid microversion. Got: ${value}`, PlacementCode.QUERY_BAD_VALUE);
    }
    const negative = value.startsWith('!');
    if (negative && !atLeast(mv, 32)) throw badRequest('Forbidden member_of parameters are not supported in the specified microversion');
    const body = negative ? value.slice(1) : value;
    const list = (body.startsWith('in:') ? body.slice(3) : body).split(',');
    const uuids = list.map((u) => {
      const n = normalizeUuid(u);
      if (n === undefined) throw badRequest(`Invalid query string parameters: Expected 'member_of' parameter to contain valid UUID(s). Got: ${u}`, PlacementCode.QUERY_BAD_VALUE);
      return n;
    });
    if (negative) for (const u of uuids) forbidden.add(u);
    else groups.push(uuids);
  }
  return { groups, forbidden };
}

/**
 * `required` values: `A,!B` (all of A, none of B; `!` from 1.22) and from 1.39 `in:A,C` (any of)
 * and several `required` parameters; before 1.39 only the last one counts, as in Placement.
 */
export function parseRequired(values: readonly string[], mv: PlacementVersion): { required: string[][]; forbidden: Set<string> } {
  const allowForbidden = atLeast(mv, 22);
  const anyOf = atLeast(mv, 39);
  const required: string[][] = [];
  const forbidden = new Set<string>();
  for (const value of anyOf ? values : values.slice(-1)) {
    if (value.startsWith('in:')) {
      if (!anyOf) throw badRequest(`Invalid query string parameters: The format 'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' only supported since microversion 1.39. Got: ${value}`);
      const traits = value.slice(3).split(',').map((t) => t.trim());
      if (traits.some((t) => t === '')) throw badRequest(`Invalid query string parameters: Expected 'required' parameter value of the form: in:HW_CPU_X86_VMX,CUSTOM_MAGIC. Got an empty trait in: ${value}`);
      if (traits.some((t) => t.startsWith('!'))) throw badRequest(`Invalid query string parameters: The format 'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' does not support forbidden traits. Got: ${value}`);
      required.push(traits);
      continue;
    }
    const form = allowForbidden ? 'HW_CPU_X86_VMX,!CUSTOM_MAGIC' : 'HW_CPU_X86_VMX,CUSTOM_MAGIC';
    for (const raw of value.split(',').map((t) => t.trim())) {
      const name = raw.replace(/^!+/, '');
      if (name === '') throw badRequest(`Invalid query string parameters: Expected 'required' parameter value of the form: ${form}. Got an empty trait in: ${value}`);
      if (raw.startsWith('!')) {
        if (!allowForbidden) throw badRequest(`Invalid query string parameters: Expected 'required' parameter value of the form: ${form}. Got: ${value}`);
        forbidden.add(name);
      } else {
        required.push([name]);
      }
    }
  }
  return { required, forbidden };
}

export function parseInTree(value: string): string {
  const uuid = normalizeUuid(value.trim());
  if (uuid === undefined) throw badRequest(`Invalid query string parameters: Expected 'in_tree' parameter to be a format of uuid. Got: ${value}`, PlacementCode.QUERY_BAD_VALUE);
  return uuid;
}

/** All trait names a parsed `required` mentions, to check that they exist. */
export function traitsNamed(parsed: { required: readonly (readonly string[])[]; forbidden: ReadonlySet<string> }): string[] {
  return [...new Set([...parsed.required.flat(), ...parsed.forbidden])];
}
