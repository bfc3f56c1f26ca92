import type { ApiRepos } from '../../db/api/api-repos.js';
import type { ServerGroup } from '../../db/api/server-group-repo.js';
import type { CellDatabases } from '../../db/cell/cell-databases.js';

/**
 * The hosts the group's live members are on, with how many members each has; members being
 * scheduled (no cell yet) or without a host count for nothing. `except` leaves one member out.
 */
export async function groupHosts(deps: { api: ApiRepos; cells: CellDatabases }, group: ServerGroup, except?: string): Promise<Map<string, number>> {
  const cells = new Map((await deps.api.cells.list()).map((c) => [c.id, c]));
  const hosts = new Map<string, number>();
  for (const m of await deps.api.serverGroups.locateMembers(group.members.filter((u) => u !== except))) {
    const cell = m.cell_id === null || m.cell_id === undefined ? undefined : cells.get(m.cell_id);
    if (cell === undefined) continue;
    const instance = await deps.cells.repos(cell).instances.find(m.instance_uuid);
    if (instance?.host) hosts.set(instance.host, (hosts.get(instance.host) ?? 0) + 1);
  }
  return hosts;
}

/**
 * Whether placing a member on `host` keeps its group's policy, given where the other members are:
 * Nova checks this late, once the host is known, because the choice was made before the other
 * members of the group had settled (a reschedule, or members scheduled concurrently).
 */
export function groupAllows(group: ServerGroup, others: Map<string, number>, host: string): boolean {
  switch (group.policy) {
    case 'anti-affinity':
      return (others.get(host) ?? 0) < (group.rules.max_server_per_host ?? 1);
    case 'affinity':
      return others.size === 0 || others.has(host);
    default:
      return true; // the soft policies only weigh
  }
}
