import { SHADOW_PREFIX, shadowOf, type TableColumns } from './shadow-tables.js';

/** One way a soft-deleted table and its shadow are out of step. */
export interface ShadowDrift {
  table: string;
  /** Columns of the live table the shadow lacks (archiving would lose them). */
  missingInShadow: string[];
  /** Columns only the shadow has (a column dropped from the live table but not from its shadow). */
  onlyInShadow: string[];
  /** True when the soft-deleted table has no shadow at all. */
  noShadow: boolean;
}

/**
 * Compares every soft-deleted table (one with a `deleted` column) with its shadow, by column
 * names; an empty list means the archive can move rows without losing any value. Shadows whose
 * live table is gone are reported too.
 *
 * @example
 * const drift = shadowColumnDrift(await readTableColumns(db)); // [] when in step
 */
export function shadowColumnDrift(columns: TableColumns): ShadowDrift[] {
  const drift: ShadowDrift[] = [];
  for (const [table, cols] of columns) {
    if (table.startsWith(SHADOW_PREFIX)) {
      const live = table.slice(SHADOW_PREFIX.length);
      if (!columns.has(live)) drift.push({ table: live, missingInShadow: [], onlyInShadow: cols, noShadow: false });
      continue;
    }
    if (!cols.includes('deleted')) continue;
    const shadow = columns.get(shadowOf(table));
    if (shadow === undefined) {
      drift.push({ table, missingInShadow: cols, onlyInShadow: [], noShadow: true });
      continue;
    }
    const missingInShadow = cols.filter((c) => !shadow.includes(c));
    const onlyInShadow = shadow.filter((c) => !cols.includes(c));
    if (missingInShadow.length > 0 || onlyInShadow.length > 0) drift.push({ table, missingInShadow, onlyInShadow, noShadow: false });
  }
  return drift.sort((a, b) => a.table.localeCompare(b.table));
}

/** One line per drifting table, for an error message. */
export function describeDrift(drift: ShadowDrift[]): string {
  return drift
    .map((d) => {
      if (d.noShadow) return `${d.table} has no ${shadowOf(d.table)}`;
      const parts = [];
      if (d.missingInShadow.length > 0) parts.push(`${shadowOf(d.table)} lacks ${d.missingInShadow.join(', ')}`);
      if (d.onlyInShadow.length > 0) parts.push(`only ${shadowOf(d.table)} has ${d.onlyInShadow.join(', ')}`);
      return parts.join('; ');
    })
    .join('\n');
}
