import type { ApiRepos } from '../../db/api/api-repos.js';
import type { CellDatabases } from '../../db/cell/cell-databases.js';
import type { InstanceRepo, ResourceUsage } from '../../db/cell/instance-repo.js';

/** What counting a project's instances needs. */
export interface InstanceUsageDeps {
  api: Pick<ApiRepos, 'instanceMappings' | 'buildRequests' | 'cells'>;
  cells: Pick<CellDatabases, 'repos'>;
}

/** Instances, vCPUs and RAM (MiB) a project (or one user of it) holds. */
export type InstanceUsage = ResourceUsage;

/** How exact a count must be. */
export interface CountOptions {
  /**
   * False: an instance the conductor has just created in its cell, whose build request is not yet
   * gone, may count twice (its request and its cell row), so the count is at most that much too
   * high and never too low. This leaves out the probe of the cells for the waiting instances, the
   * larger part of a count: a quota check that passes on this bound passes on the exact count
   * too. Default true.
   */
  exact?: boolean;
}

/**
 * Counts what the instances of a project hold, as Nova's cell-database count does: every
 * instance once, whatever copies of it exist, with SQL sums so that a boot's check costs the same
 * for a project of ten instances or ten thousand.
 *
 * - A build request still waiting for a cell counts with the flavor it asked for, and its
 *   instance is left out of the cells' sums (the conductor creates the cell row a moment before
 *   it moves the mapping).
 * - In each cell the project's mappings point at, the visible live rows count, except those
 *   soft-deleted or being deleted, as Nova's count of the cell databases: the rows decide, so a
 *   server whose delete failed (ERROR, its mapping still queued for deletion) counts until it is
 *   deleted.
 * - An instance with a hidden copy (a cross-cell move in progress) counts once, with the copy in
 *   the cell its mapping points at, hidden or not, and not at all when its mapping is queued
 *   for deletion.
 *
 * @example
 * const used = await countInstanceUsage(deps, 'p1'); // { instances: 3, cores: 4, ram: 2560 }
 */
export async function countInstanceUsage(deps: InstanceUsageDeps, projectId: string, userId?: string, options: CountOptions = {}): Promise<InstanceUsage> {
  const usage: InstanceUsage = { instances: 0, cores: 0, ram: 0 };
  const add = (u: ResourceUsage, sign = 1): void => {
    usage.instances += sign * u.instances;
    usage.cores += sign * u.cores;
    usage.ram += sign * u.ram;
  };
  // Waiting instances first, then the cells: one the conductor places in between is counted
  // from its build request (and left out of its cell's sums) or, once mapped, in its cell.
  const waiting = await deps.api.buildRequests.waitingOf(projectId, userId, { withUuids: options.exact !== false });
  add(waiting.usage);
  const fromRequests = waiting.uuids;
  const cellIds = await deps.api.instanceMappings.cellsOfProject(projectId, userId);
  const hidden: { cellId: number; uuid: string; usage: ResourceUsage }[] = [];
  const instanceRepos = new Map<number, InstanceRepo>();
  for (const cellId of cellIds) {
    const instances = deps.cells.repos(await deps.api.cells.getById(cellId)).instances;
    instanceRepos.set(cellId, instances);
    const counted = await instances.quotaUsage(projectId, { userId, exclude: fromRequests });
    add(counted.visible);
    for (const { uuid, ...u } of counted.hidden) hidden.push({ cellId, uuid, usage: u });
  }
  if (hidden.length === 0) return usage;

  // Instances in a cross-cell move: take out what their visible copies added, then count the copy
  // their mapping points at.
  const uuids = [...new Set(hidden.map((h) => h.uuid))];
  const copies = new Map<string, ResourceUsage>(); // `${cellId} ${uuid}` → what that copy holds
  for (const h of hidden) copies.set(`${h.cellId} ${h.uuid}`, h.usage);
  for (const [cellId, instances] of instanceRepos) {
    for (const [uuid, u] of await instances.countedResources(uuids)) {
      add(u, -1);
      copies.set(`${cellId} ${uuid}`, u);
    }
  }
  for (const m of await deps.api.instanceMappings.findMany(uuids)) {
    if (m.queued_for_delete || m.cell_id === null) continue;
    const copy = copies.get(`${m.cell_id} ${m.instance_uuid}`);
    if (copy !== undefined) add(copy);
  }
  return usage;
}
