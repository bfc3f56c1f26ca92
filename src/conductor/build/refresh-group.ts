import type { ApiRepos } from '../../db/api/api-repos.js';
import type { CellDatabases } from '../../db/cell/cell-databases.js';
import type { RequestSpec } from '../../objects/request-spec.js';
import { groupHosts } from './group-hosts.js';

/**
 * The request's server group as it is now: members may have come and gone since the request
 * spec was written, and the scheduler needs the hosts the live members are on. `except` leaves
 * one member out of the hosts (a moving instance, whose current host is no constraint on itself).
 */
export async function refreshGroup(deps: { api: ApiRepos; cells: CellDatabases }, spec: RequestSpec, except?: string): Promise<RequestSpec> {
  const group = spec.instance_group;
  if (group === null || group === undefined) return spec;
  const current = await deps.api.serverGroups.find(group.uuid);
  if (current === undefined) return { ...spec, instance_group: null };
  const hosts = await groupHosts(deps, current, except);
  return { ...spec, instance_group: { ...group, policy: current.policy, rules: current.rules, members: current.members, hosts: [...hosts.keys()] } };
}
