import type { Logger } from '../common/logger.js';
import type { ApiRepos } from '../db/api/api-repos.js';
import type { CellDatabases } from '../db/cell/cell-databases.js';
import { CELL0_UUID } from '../objects/cell-mapping.js';

/**
 * Maps every compute host that registered in a cell to that cell (Nova's discover_hosts), and keeps
 * Tessera's convention that each cell is an availability zone of its own name: an aggregate named
 * after the cell, zoned by it, which each newly mapped host joins. Returns the hosts newly mapped.
 */
export async function discoverHosts(deps: { api: ApiRepos; cells: CellDatabases; logger: Logger }): Promise<string[]> {
  const mapped: string[] = [];
  for (const cell of await deps.api.cells.list()) {
    if (cell.uuid === CELL0_UUID) continue;
    const hosts = (await deps.cells.repos(cell).services.list({ binary: 'nova-compute' })).map((s) => s.host);
    const fresh: string[] = [];
    for (const host of hosts) {
      if (await deps.api.hostMappings.ensure(host, cell.id)) fresh.push(host);
    }
    // Only hosts seen for the first time join their cell's zone: an operator may since have moved
    // a known host to another zone, and discovery must not undo that.
    if (fresh.length > 0) await deps.api.aggregates.ensureZone(cell.name, cell.name, fresh);
    mapped.push(...fresh);
  }
  if (mapped.length > 0) deps.logger.info({ hosts: mapped }, 'compute hosts mapped to their cells');
  return mapped;
}
