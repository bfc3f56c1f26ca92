/** A DNS-safe hostname from a display name, as Nova sanitizes it (lowercase, dashes, 63 chars). */
export function sanitizeHostname(name: string, fallback: string): string {
  const host = name
    .toLowerCase()
    .replace(/[ _]/g, '-')
    .replace(/[^a-z0-9.-]/g, '')
    .replace(/^[.-]+/, '')
    .slice(0, 63)
    .replace(/[.-]+$/, '');
  return host === '' ? fallback : host;
}
