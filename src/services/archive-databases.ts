import type { Logger } from '../common/logger.js';
import { archiveCells, type ArchiveReport } from '../db/archive/archive-cells.js';
import { purgeShadowTables, type PurgedTable } from '../db/archive/purge-shadow-tables.js';
import { resolveCellTargets, type CellSelection, type CellTargetDeps } from './archive-targets.js';

/** What `tessera db archive` and `db purge` work with: configuration, API repos, cell databases. */
export interface DbMaintenanceDeps extends CellTargetDeps {
  logger: Logger;
}

/** `tessera db archive` as options. */
export interface ArchiveDatabasesRequest {
  cells: CellSelection;
  maxRows: number;
  before?: Date;
  untilComplete: boolean;
  /** Purge the shadow tables of the same cells afterwards, when anything was archived. */
  purge: boolean;
  onPass?: () => void;
}

/** The purge of one cell database. */
export interface PurgeOfCell {
  label: string | undefined;
  tables: PurgedTable[];
}

/**
 * `tessera db archive`: moves the deleted rows of the chosen cells to their shadow tables and
 * removes the API records of the instances archived; with `purge`, then empties those shadows.
 *
 * @example
 * const { report } = await archiveDatabases(deps, { cells: { kind: 'all' }, maxRows: 1000, untilComplete: true, purge: false });
 */
export async function archiveDatabases(deps: DbMaintenanceDeps, request: ArchiveDatabasesRequest): Promise<{ report: ArchiveReport; purged: PurgeOfCell[] | undefined }> {
  const targets = await resolveCellTargets(deps, request.cells);
  const report = await archiveCells({ api: deps.api.db, logger: deps.logger }, targets, {
    maxRows: request.maxRows, untilComplete: request.untilComplete,
    ...(request.before === undefined ? {} : { before: request.before }),
    ...(request.onPass === undefined ? {} : { onPass: request.onPass }),
  });
  const purged = request.purge && report.tables.size > 0 ? await purgeDatabases(deps, { cells: request.cells, before: undefined }) : undefined;
  return { report, purged };
}

/**
 * `tessera db purge`: deletes for good the archived rows of the chosen cells, those older than
 * `before`, or all of them when it is undefined.
 */
export async function purgeDatabases(deps: DbMaintenanceDeps, request: { cells: CellSelection; before: Date | undefined }): Promise<PurgeOfCell[]> {
  const out: PurgeOfCell[] = [];
  for (const target of await resolveCellTargets(deps, request.cells)) {
    const tables = await purgeShadowTables(target.db, request.before);
    deps.logger.info({ cell: target.label, rows: tables.reduce((n, t) => n + t.rows, 0) }, 'shadow tables purged');
    out.push({ label: target.label, tables });
  }
  return out;
}
