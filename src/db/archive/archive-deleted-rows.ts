import type { Logger } from '../../common/logger.js';
import { InternalError } from '../../common/errors.js';
import { isForeignKeyViolation } from '../foreign-key-violation.js';
import { CELL_ARCHIVE_PLAN, type ArchivedTable } from './cell-archive-plan.js';
import { addCount, moveTree, type AnyDb, type TableCounts } from './move-rows.js';
import { describeDrift, shadowColumnDrift } from './shadow-drift.js';
import { readTableColumns, type TableColumns } from './shadow-tables.js';

/** What one archive pass over one cell database asks for. */
export interface ArchivePassOptions {
  /** Stop once this many rows moved (a soft limit: a row's whole tree moves with it). */
  maxRows: number;
  /** Only rows deleted before this moment (their `deleted_at`); the rows that move along go regardless. */
  before?: Date;
}

/** What one pass moved. */
export interface ArchivePassResult {
  /** Rows moved per table (tables with none are absent). */
  tables: TableCounts;
  /** The instances whose rows moved, for the API database's clean-up. */
  instanceUuids: string[];
  total: number;
}

/**
 * One pass of Nova's archive_deleted_rows over one cell database: visits the soft-deleted tables
 * parents first and moves up to `maxRows` of their deleted rows, oldest id first, into the shadow
 * tables, each row together with what belongs to it, one transaction per table. Refuses to run
 * when a table and its shadow differ in columns, rather than drop values.
 *
 * @example
 * const { tables, instanceUuids } = await archiveDeletedRows({ db: cell.db, logger }, { maxRows: 1000 });
 */
export async function archiveDeletedRows(deps: { db: AnyDb; logger: Logger; plan?: readonly ArchivedTable[] }, options: ArchivePassOptions): Promise<ArchivePassResult> {
  const columns = await readTableColumns(deps.db);
  const drift = shadowColumnDrift(columns);
  if (drift.length > 0) {
    throw new InternalError('db.shadow_drift', `Refusing to archive: tables and their shadow tables differ (run tessera db sync?):\n${describeDrift(drift)}`);
  }
  const result: ArchivePassResult = { tables: new Map(), instanceUuids: [], total: 0 };
  for (const entry of deps.plan ?? CELL_ARCHIVE_PLAN) {
    if (result.total >= options.maxRows) break;
    await archiveTable(deps, columns, entry, options.maxRows - result.total, options.before, result);
  }
  return result;
}

async function archiveTable(deps: { db: AnyDb; logger: Logger }, columns: TableColumns, entry: ArchivedTable, limit: number, before: Date | undefined, result: ArchivePassResult): Promise<void> {
  let q = deps.db.selectFrom(entry.table).select('id').where('deleted', '!=', 0);
  if (before !== undefined) q = q.where('deleted_at', '<', before.toISOString());
  const ids = ((await q.orderBy('id').limit(limit).execute()) as { id: number }[]).map((r) => r.id);
  if (ids.length === 0) return;
  const counts: TableCounts = new Map();
  let moved = 0;
  let uuids: string[] = [];
  try {
    await deps.db.transaction().execute(async (trx) => {
      const done: number[] = [];
      for (const id of ids) {
        moved += await moveTree(trx, columns, entry.table, [id], entry.children, counts);
        done.push(id);
        if (moved >= limit) break;
      }
      if (entry.table === 'instances') uuids = await uuidsOfMoved(trx, done);
    });
  } catch (err) {
    // A row still referenced (a row written meanwhile) keeps the whole table's batch in place;
    // the next pass tries again, as Nova does.
    if (!isForeignKeyViolation(err)) throw err;
    deps.logger.warn({ err, table: entry.table }, 'archive of a table skipped: a foreign key still refers to its rows');
    return;
  }
  for (const [table, n] of counts) addCount(result.tables, table, n);
  result.instanceUuids.push(...uuids);
  result.total += moved;
}

// The uuid is read back from the shadow: by now the live rows are gone.
async function uuidsOfMoved(trx: AnyDb, ids: number[]): Promise<string[]> {
  const uuids: string[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = (await trx.selectFrom('shadow_instances').select('uuid').where('id', 'in', ids.slice(i, i + 500)).execute()) as { uuid: string }[];
    uuids.push(...rows.map((r) => r.uuid));
  }
  return uuids;
}
