import { BadRequestError } from '../common/errors.js';

/** The `changes-since` / `changes-before` query parameters of Nova's paged lists, as sent. */
export interface ChangesQuery {
  'changes-since'?: string;
  'changes-before'?: string;
}

/** Both bounds as ISO UTC times (`2026-01-02T03:04:05.000Z`), comparable with stored times. */
export interface ChangesWindow {
  changesSince?: string;
  changesBefore?: string;
}

// ISO 8601 as Nova's parse_isotime takes it: extended or basic form, the time optional, a
// fraction of any length, and a zone that defaults to UTC when missing.
const ISO_TIME = /^(\d{4})-?(\d{2})-?(\d{2})(?:[Tt ](\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Parses an ISO 8601 time as Nova does (a missing zone is UTC, not the server's local zone) and
 * returns it in UTC; undefined when it is not one.
 *
 * @example
 * parseIsoTime('2018-04-25T03:26:29+02:00'); // '2018-04-25T01:26:29.000Z'
 */
export function parseIsoTime(value: string): string | undefined {
  const m = ISO_TIME.exec(value.trim());
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
  const ms = Math.floor(Number(`0.${m[7] ?? '0'}`) * 1000);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  let t = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC rolls 31 February into March; a real date reads back the same day.
  if (new Date(t).getUTCDate() !== day) return undefined;
  const zone = m[8];
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0')) * 60_000;
  }
  return new Date(t).toISOString();
}

/**
 * Reads the two bounds with Nova's messages: a value that is not a date-time is a 400 naming the
 * parameter, and so is `changes-since` later than `changes-before`.
 *
 * @example
 * changesWindow({ 'changes-since': '2026-01-01T00:00:00Z' }); // { changesSince: '2026-01-01T00:00:00.000Z' }
 */
export function changesWindow(query: ChangesQuery): ChangesWindow {
  const window: ChangesWindow = {};
  const since = query['changes-since'];
  const before = query['changes-before'];
  if (since !== undefined) window.changesSince = timeOf('changes-since', since);
  if (before !== undefined) window.changesBefore = timeOf('changes-before', before);
  if (window.changesSince !== undefined && window.changesBefore !== undefined && window.changesBefore < window.changesSince) {
    throw new BadRequestError('compute.invalid_changes_range', 'The value of changes-since must be less than or equal to changes-before.');
  }
  return window;
}

function timeOf(field: string, value: string): string {
  const time = parseIsoTime(value);
  if (time === undefined) throw new BadRequestError('api.invalid_input', `Invalid input for query parameter ${field}. Value: ${value}. '${value}' is not a 'date-time'`);
  return time;
}
