import type { ApiRepos } from '../../db/api/api-repos.js';
import type { InstanceMapping } from '../../db/api/instance-mapping-repo.js';
import type { CellDatabases } from '../../db/cell/cell-databases.js';
import type { Flavor } from '../../objects/flavor.js';

/** What counting a project's instances needs. */
export interface InstanceUsageDeps {
  api: Pick<ApiRepos, 'instanceMappings' | 'buildRequests' | 'cells'>;
  cells: Pick<CellDatabases, 'repos'>;
}

/** Instances, vCPUs and RAM (MiB) a project (or one user of it) holds. */
export interface InstanceUsage {
  instances: number;
  cores: number;
  ram: number;
}

/**
 * Counts what the instances of a project hold, as Nova's DbQuotaDriver counts: every instance
 * once, whatever copies of it exist. The instance mappings say which instances count (not queued
 * for deletion) and where each one is: a build request still waiting for a cell counts with the
 * flavor it asked for; a scheduled one counts with the current flavor of its copy in the cell its
 * mapping points at (hidden or not: during a cross-cell move that is the copy that owns it, and
 * the copy in the other cell is never looked at). An instance found nowhere has been deleted
 * meanwhile and counts nothing. One lean query per cell (uuid and flavor of the project's live
 * rows), so a boot's check stays cheap for large projects.
 *
 * @example
 * const used = await countInstanceUsage(deps, 'p1'); // { instances: 3, cores: 4, ram: 2560 }
 */
export async function countInstanceUsage(deps: InstanceUsageDeps, projectId: string, userId?: string): Promise<InstanceUsage> {
  const usage: InstanceUsage = { instances: 0, cores: 0, ram: 0 };
  const add = (flavor: Pick<Flavor, 'vcpus' | 'memory_mb'>): void => {
    usage.instances += 1;
    usage.cores += flavor.vcpus;
    usage.ram += flavor.memory_mb;
  };
  const mappings = await deps.api.instanceMappings.listCounted(projectId, userId);
  // instance uuid → the cell its mapping points at
  const cellOf = new Map<string, number>();
  const pending: InstanceMapping[] = [];
  for (const m of mappings) {
    if (m.cell_id === null) pending.push(m);
    else cellOf.set(m.instance_uuid, m.cell_id);
  }
  if (pending.length > 0) {
    const requests = new Map((await deps.api.buildRequests.list(projectId)).map((i) => [i.uuid, i]));
    for (const mapping of pending) {
      const request = requests.get(mapping.instance_uuid);
      if (request !== undefined) {
        add(request.flavor);
        continue;
      }
      // The conductor moved it into a cell between the two reads: count it there.
      const now = await deps.api.instanceMappings.find(mapping.instance_uuid);
      if (now !== undefined && now.cell_id !== null && !now.queued_for_delete) cellOf.set(now.instance_uuid, now.cell_id);
    }
  }
  for (const cellId of new Set(cellOf.values())) {
    const repos = deps.cells.repos(await deps.api.cells.getById(cellId));
    for (const row of await repos.instances.usageOfProject(projectId)) {
      if (cellOf.get(row.uuid) === cellId) add(row);
    }
  }
  return usage;
}
