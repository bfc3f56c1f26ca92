/** Query parameters as Nova reads them: a repeated parameter counts with its last value. */
export function lastValues(query: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    const last: unknown = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) out[key] = String(last);
  }
  return out;
}
