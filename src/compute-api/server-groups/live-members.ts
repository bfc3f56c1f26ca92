import type { ComputeApiDeps } from '../compute-api-deps.js';

/**
 * Which of these instances still exist: those not scheduled yet (mapped to no cell) and those
 * their cell holds undeleted. Deleting a server leaves its group membership behind, as in Nova,
 * so every view of a group filters its members through this.
 */
export async function liveInstances(deps: ComputeApiDeps, instanceUuids: readonly string[]): Promise<Set<string>> {
  const live = new Set<string>();
  if (instanceUuids.length === 0) return live;
  const byCell = new Map<number, string[]>();
  for (const { instance_uuid: uuid, cell_id: cellId } of await deps.api.serverGroups.locateMembers(instanceUuids)) {
    if (cellId === null) live.add(uuid);
    else if (cellId !== undefined) {
      const uuids = byCell.get(cellId);
      if (uuids === undefined) byCell.set(cellId, [uuid]);
      else uuids.push(uuid);
    }
  }
  for (const [cellId, uuids] of byCell) {
    const cell = await deps.api.cells.getById(cellId);
    for (const instance of await deps.cells.repos(cell).instances.list({ uuids })) live.add(instance.uuid);
  }
  return live;
}
