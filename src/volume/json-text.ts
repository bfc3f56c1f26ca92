/** Reads a JSON object column holding string values; anything else decodes to {}. */
export function parseStringMap(text: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (text === null) return out;
  const parsed: unknown = JSON.parse(text);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return out;
  for (const [key, value] of Object.entries(parsed)) if (typeof value === 'string') out[key] = value;
  return out;
}

/** Reads a JSON object column of any values; null stays null. */
export function parseObject(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  const parsed: unknown = JSON.parse(text);
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
}
