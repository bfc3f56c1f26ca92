import { BadRequestError } from '../../common/errors.js';

const NAIVE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?$/;

/**
 * Reads the `--before` date of `db archive` and `db purge`: `YYYY-MM-DD [HH:mm[:ss]]` (UTC, as
 * the database keeps its times), ISO-8601 with a zone, or what `date` prints in UTC
 * (`Thu Aug 21 21:01:48 UTC 2026`), which is what Nova documents.
 *
 * @throws BadRequestError `cli.invalid_date` naming the value.
 * @example
 * parseBeforeDate('2026-01-31 12:00'); // 2026-01-31T12:00:00.000Z
 */
export function parseBeforeDate(text: string): Date {
  const trimmed = text.trim();
  const naive = NAIVE.exec(trimmed);
  if (naive !== null) {
    const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0'] = naive;
    const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Math.floor(Number(`0.${frac}`) * 1000)));
    // Date.UTC rolls 2026-02-31 over into March; such a day does not exist.
    if (date.getUTCDate() === Number(d) && date.getUTCMonth() === Number(mo) - 1 && Number(h) < 24 && Number(mi) < 60 && Number(s) < 60) return date;
  } else {
    const ms = Date.parse(trimmed);
    if (trimmed !== '' && !Number.isNaN(ms)) return new Date(ms);
  }
  throw new BadRequestError('cli.invalid_date', `Invalid value for --before: ${text} is not a date (try YYYY-MM-DD [HH:mm:ss])`);
}
