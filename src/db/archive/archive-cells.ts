import type { Kysely } from 'kysely';
import type { Logger } from '../../common/logger.js';
import type { ApiSchema } from '../api/api-schema.js';
import { archiveDeletedRows } from './archive-deleted-rows.js';
import type { AnyDb, TableCounts } from './move-rows.js';
import { removeApiRecordsOfArchived } from './remove-api-records.js';

/** One cell database to archive. */
export interface ArchiveTarget {
  /** Prefix of its table names in the report (`cell1.instances`), or undefined for bare names. */
  label: string | undefined;
  db: AnyDb;
  /** The cell mappings served by this database (their ids), to tell which API records are its own. */
  cellIds: number[];
}

/** `tessera db archive` options, as Nova's archive_deleted_rows takes them. */
export interface ArchiveRequest {
  /** Rows per pass; without `untilComplete` also the total over all targets (a soft limit). */
  maxRows: number;
  before?: Date;
  /** Repeat passes on each database until one moves nothing. */
  untilComplete: boolean;
  /** Called after each pass that moved rows when more passes follow (the CLI prints a dot). */
  onPass?: () => void;
}

/** Rows moved per `label.table`, and API records removed per `API_DB.table`. */
export interface ArchiveReport {
  tables: TableCounts;
  /** Rows moved out of cell tables (API records not included, as in Nova's count). */
  total: number;
}

/** The report key of API database tables. */
export const API_DB_LABEL = 'API_DB';

/**
 * Archives the deleted rows of several cell databases in turn (Nova's nova-manage db
 * archive_deleted_rows): each pass moves rows to the shadow tables, then deletes the API records
 * of the instances it moved. Without `untilComplete` it stops once `maxRows` rows moved in all.
 *
 * @example
 * const report = await archiveCells({ api, logger }, [{ label: 'cell1', db, cellIds: [2] }], { maxRows: 1000, untilComplete: true });
 */
export async function archiveCells(deps: { api: Kysely<ApiSchema>; logger: Logger }, targets: readonly ArchiveTarget[], request: ArchiveRequest): Promise<ArchiveReport> {
  const report: ArchiveReport = { tables: new Map(), total: 0 };
  for (const target of targets) {
    let limit: number;
    if (request.untilComplete) limit = request.maxRows;
    else if (request.maxRows > report.total) limit = request.maxRows - report.total;
    else break;
    for (;;) {
      const pass = await archiveDeletedRows({ db: target.db, logger: deps.logger }, { maxRows: limit, ...(request.before === undefined ? {} : { before: request.before }) });
      for (const [table, n] of pass.tables) add(report.tables, target.label === undefined ? table : `${target.label}.${table}`, n);
      if ((pass.tables.get('instances') ?? 0) > 0 && pass.instanceUuids.length > 0) {
        const removed = await removeApiRecordsOfArchived(deps.api, pass.instanceUuids, target.cellIds);
        for (const [table, n] of removed) add(report.tables, `${API_DB_LABEL}.${table}`, n);
      }
      report.total += pass.total;
      deps.logger.info({ cell: target.label, moved: pass.total }, 'archive pass done');
      if (!request.untilComplete || pass.total === 0) break;
      request.onPass?.();
    }
  }
  return report;
}

// Zero counts are kept for API tables, as Nova's report shows them once instances were archived.
function add(counts: TableCounts, key: string, n: number): void {
  counts.set(key, (counts.get(key) ?? 0) + n);
}
