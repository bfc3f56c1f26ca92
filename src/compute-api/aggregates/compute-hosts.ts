import type { ServiceRecord } from '../../db/cell/service-repo.js';
import { CELL0_UUID, type CellMapping } from '../../objects/cell-mapping.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';

/**
 * The nova-compute service of a host: looked up in the cell its host mapping names, or, for a host
 * not mapped yet, in every cell (as Nova's `_get_service_in_cell_by_host` does).
 */
export async function findComputeService(deps: ComputeApiDeps, host: string): Promise<{ cell: CellMapping; service: ServiceRecord } | undefined> {
  const cellId = await deps.api.hostMappings.cellIdOf(host);
  const cells = cellId !== undefined ? [await deps.api.cells.getById(cellId)] : await deps.api.cells.list();
  for (const cell of cells) {
    const service = await deps.cells.repos(cell).services.find(host, 'nova-compute');
    // An exact match only: a case-insensitive database must not let 'Host1' stand for 'host1'.
    if (service !== undefined && service.host === host) return { cell, service };
  }
  return undefined;
}

/** How many live instances each of `hosts` has, over every cell but cell0 (hosts with none are absent). */
export async function instanceCountsOnHosts(deps: ComputeApiDeps, hosts: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (hosts.length === 0) return counts;
  for (const cell of await deps.api.cells.list()) {
    if (cell.uuid === CELL0_UUID) continue;
    for (const instance of await deps.cells.repos(cell).instances.list({ hosts: [...hosts] })) {
      if (instance.host !== null) counts.set(instance.host, (counts.get(instance.host) ?? 0) + 1);
    }
  }
  return counts;
}
