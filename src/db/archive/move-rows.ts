import type { Kysely } from 'kysely';
import type { ChildRelation } from './cell-archive-plan.js';
import { shadowOf, type TableColumns } from './shadow-tables.js';

// Bound parameters per statement stay well under SQLite's and PostgreSQL's limits.
const CHUNK = 500;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDb = Kysely<any>;

/** Rows moved per table by one archive step. */
export type TableCounts = Map<string, number>;

export function addCount(counts: TableCounts, table: string, n: number): void {
  if (n > 0) counts.set(table, (counts.get(table) ?? 0) + n);
}

/**
 * Moves the rows `ids` of `table` into its shadow, after moving what belongs to them (children
 * first, so no remaining row ever points at a moved one). Runs inside the caller's transaction:
 * a tree moves whole or not at all. Returns how many rows moved, the tree included.
 */
export async function moveTree(trx: AnyDb, columns: TableColumns, table: string, ids: number[], children: readonly ChildRelation[], counts: TableCounts): Promise<number> {
  if (ids.length === 0) return 0;
  let moved = 0;
  for (const child of children) {
    const parentValues = child.parentColumn === 'id' ? ids : await selectColumn(trx, table, child.parentColumn, 'id', ids);
    if (child.deleteOnly === true) {
      for (const chunk of chunks(parentValues)) await trx.deleteFrom(child.table).where(child.childColumn, 'in', chunk).execute();
      continue;
    }
    const childIds = (await selectColumn(trx, child.table, 'id', child.childColumn, parentValues)) as number[];
    moved += await moveTree(trx, columns, child.table, childIds, child.children ?? [], counts);
  }
  const cols = columns.get(table) ?? [];
  let deleted = 0;
  for (const chunk of chunks(ids)) {
    await trx.insertInto(shadowOf(table)).columns(cols).expression(trx.selectFrom(table).select(cols).where('id', 'in', chunk)).execute();
    const res = await trx.deleteFrom(table).where('id', 'in', chunk).executeTakeFirst();
    deleted += Number(res.numDeletedRows);
  }
  addCount(counts, table, deleted);
  return moved + deleted;
}

async function selectColumn(trx: AnyDb, table: string, column: string, whereColumn: string, values: readonly unknown[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const chunk of chunks(values)) {
    const rows = (await trx.selectFrom(table).select(column).where(whereColumn, 'in', chunk).orderBy(column).execute()) as Record<string, unknown>[];
    for (const r of rows) out.push(r[column]);
  }
  return [...new Set(out)];
}

function chunks<T>(values: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += CHUNK) out.push(values.slice(i, i + CHUNK));
  return out;
}
