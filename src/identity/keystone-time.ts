/**
 * A time as Keystone writes it in token bodies: ISO-8601 in UTC with microseconds,
 * e.g. `2026-11-24T10:00:00.000000Z`.
 */
export function keystoneTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
