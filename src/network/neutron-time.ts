/** Neutron's timestamps: ISO-8601 in UTC without fractions, e.g. `2026-11-24T10:00:00Z`. */
export function neutronTime(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d+Z$/, 'Z');
}
