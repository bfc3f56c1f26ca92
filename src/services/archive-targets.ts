import { BadRequestError } from '../common/errors.js';
import type { Config } from '../config/index.js';
import type { ApiRepos } from '../db/api/api-repos.js';
import type { ArchiveTarget } from '../db/archive/archive-cells.js';
import type { CellDatabases } from '../db/cell/cell-databases.js';
import type { CellMapping } from '../objects/cell-mapping.js';

/** Which cell databases `db archive` and `db purge` work on. */
export type CellSelection = { kind: 'all' } | { kind: 'one'; name: string } | { kind: 'default' };

/** What resolving cell databases needs: the cell mappings, and a way to open their databases. */
export interface CellTargetDeps {
  config: Pick<Config, 'database'>;
  api: Pick<ApiRepos, 'cells' | 'db'>;
  cells: Pick<CellDatabases, 'database'>;
}

/**
 * The cell databases to work on, each once even when several cells share it. `all` is every
 * mapped cell, cell0 included, sorted by name (labelled by cell); `one` is the named cell
 * (labelled too); `default` is Nova's "the database of my configuration": the cells mapped to
 * `[database] connection` when it names one database, unlabelled. When it is a template with
 * `{cell}`, as by default, there is no such single database and the caller must choose.
 *
 * @throws BadRequestError `cli.cell_required` (a template and no choice) or `cli.unknown_cell`.
 */
export async function resolveCellTargets(deps: CellTargetDeps, selection: CellSelection): Promise<ArchiveTarget[]> {
  const mappings = (await deps.api.cells.list()).sort((a, b) => a.name.localeCompare(b.name));
  if (selection.kind === 'all') return groupByDatabase(deps, mappings, true);
  if (selection.kind === 'one') {
    const mapping = mappings.find((m) => m.name === selection.name);
    if (mapping === undefined) throw new BadRequestError('cli.unknown_cell', `No cell named ${selection.name}; cells: ${mappings.map((m) => m.name).join(', ')}`);
    return groupByDatabase(deps, [mapping], true);
  }
  const url = deps.config.database.connection;
  if (url.includes('{cell}')) {
    throw new BadRequestError('cli.cell_required', '[database] connection names one database per cell ({cell}); choose with --all-cells or --cell NAME');
  }
  const mine = mappings.filter((m) => m.database_connection === url);
  if (mine.length === 0) throw new BadRequestError('cli.unknown_cell', `No cell is mapped to [database] connection ${url}; run tessera db sync`);
  return groupByDatabase(deps, mine, false);
}

function groupByDatabase(deps: CellTargetDeps, mappings: CellMapping[], labelled: boolean): ArchiveTarget[] {
  const byUrl = new Map<string, CellMapping[]>();
  for (const m of mappings) byUrl.set(m.database_connection, [...(byUrl.get(m.database_connection) ?? []), m]);
  return [...byUrl.values()].map((group) => ({
    label: labelled ? group.map((m) => m.name).join('+') : undefined,
    db: deps.cells.database(group[0] as CellMapping).db,
    cellIds: group.map((m) => m.id),
  }));
}
