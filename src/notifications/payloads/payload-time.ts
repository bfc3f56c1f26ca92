/**
 * Nova's versioned objects serialize times as ISO 8601 in UTC to the second with a `Z`
 * (`2026-01-01T10:00:00Z`); Tessera stores them with milliseconds, which are dropped here.
 */
export function payloadTime(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return `${date.toISOString().slice(0, 19)}Z`;
}
