import { ConflictError } from '../../common/errors.js';
import type { CellRepos } from '../../db/cell/cell-repos.js';
import type { CellMapping } from '../../objects/cell-mapping.js';
import type { Instance } from '../../objects/instance.js';
import type { Migration } from '../../objects/migration.js';
import type { MoveDeps } from '../move/migrate-server.js';

/** Where the two copies of a cross-cell move are, once it finished: `current` is the target cell. */
export interface FinishedCrossCellMove {
  instance: Instance;
  migration: Migration;
  current: { cell: CellMapping; repos: CellRepos; host: string };
  source: { cell: CellMapping; repos: CellRepos; host: string };
}

/** Finds both cells of a finished cross-cell move from the instance mapping and the source host's cell. */
export async function locateCrossCellMove(deps: MoveDeps, instanceUuid: string, migrationUuid: string): Promise<FinishedCrossCellMove> {
  const mapping = await deps.api.instanceMappings.get(instanceUuid);
  if (mapping.cell_id === null) throw new ConflictError('compute.instance_not_in_cell', `Instance ${instanceUuid} is not in a cell.`);
  const cells = await deps.api.cells.list();
  const current = cells.find((c) => c.id === mapping.cell_id);
  if (current === undefined) throw new ConflictError('cells.cell_not_found', `Cell ${mapping.cell_id} is not mapped.`);
  const currentRepos = deps.cells.repos(current);
  const instance = await currentRepos.instances.get(instanceUuid);
  const migration = await currentRepos.migrations.get(migrationUuid);
  const sourceCellId = migration.source_compute === null ? undefined : await deps.api.hostMappings.cellIdOf(migration.source_compute);
  const source = cells.find((c) => c.id === sourceCellId);
  if (source === undefined) throw new ConflictError('cells.cell_not_found', `The cell of host ${String(migration.source_compute)} is not mapped.`);
  return {
    instance, migration,
    current: { cell: current, repos: currentRepos, host: migration.dest_compute ?? '' },
    source: { cell: source, repos: deps.cells.repos(source), host: migration.source_compute ?? '' },
  };
}
