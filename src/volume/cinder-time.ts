/** Cinder's timestamps: UTC without a zone, with microseconds (`2026-11-24T10:00:00.000000`). */
export function cinderTime(iso: string): string {
  return new Date(iso).toISOString().replace(/\.(\d{3})Z$/, '.$1000');
}
