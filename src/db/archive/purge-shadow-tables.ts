import { sql } from 'kysely';
import { SHADOW_PREFIX, readTableColumns } from './shadow-tables.js';
import type { AnyDb } from './move-rows.js';

// Actions and their events are never soft-deleted (they stay readable while their instance is
// only deleted), so their age is when they were recorded, as Nova's purge reads them.
const AGE_COLUMN_OVERRIDES: Record<string, string> = {
  shadow_instance_actions: 'created_at',
  shadow_instance_actions_events: 'created_at',
};

/** What one shadow table's purge did, for the verbose report. */
export interface PurgedTable {
  table: string;
  rows: number;
  /** The timestamp column(s) compared with `before` (the first one set), or undefined when every row went. */
  column: string | undefined;
}

/**
 * Deletes archived rows for good (Nova's purge_shadow_tables): from every shadow table, the rows
 * older than `before` by their deletion time (their record time for actions and events, whose
 * rows are never marked deleted; for a row that moved along with its instance without being
 * marked deleted, such as a fault, its last update or its creation), or every row when `before`
 * is undefined. A shadow table without any timestamp column is left alone unless everything goes.
 *
 * @example
 * await purgeShadowTables(cell.db, new Date('2026-01-01T00:00:00Z')); // [{ table: 'shadow_instances', rows: 3, column: 'deleted_at' }]
 */
export async function purgeShadowTables(db: AnyDb, before: Date | undefined): Promise<PurgedTable[]> {
  const out: PurgedTable[] = [];
  const columns = await readTableColumns(db);
  for (const [table, cols] of [...columns].sort(([a], [b]) => a.localeCompare(b))) {
    if (!table.startsWith(SHADOW_PREFIX)) continue;
    let q = db.deleteFrom(table);
    let column: string | undefined;
    if (before !== undefined) {
      const override = AGE_COLUMN_OVERRIDES[table];
      const age = override !== undefined ? [override] : ['deleted_at', 'updated_at', 'created_at'].filter((c) => cols.includes(c));
      if (age.length === 0) continue;
      column = age.join('|');
      // SQLite's coalesce wants two arguments at least.
      const ageOf = age.length === 1 ? sql.ref(age[0] as string) : sql`coalesce(${sql.join(age.map((c) => sql.ref(c)))})`;
      q = q.where(ageOf, '<', before.toISOString());
    }
    const res = await q.executeTakeFirst();
    const rows = Number(res.numDeletedRows);
    if (rows > 0) out.push({ table, rows, column });
  }
  return out;
}
