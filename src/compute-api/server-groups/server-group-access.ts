import { NotFoundError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { ServerGroup } from '../../db/api/server-group-repo.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { liveInstances } from './live-members.js';

/**
 * Reads a group the caller may see: a non-admin finds only their own project's groups, and
 * another project's group is as missing as one that never existed (404).
 */
async function findVisible(deps: ComputeApiDeps, ctx: RequestContext, uuid: string): Promise<ServerGroup> {
  const group = await deps.api.serverGroups.find(uuid, ctx.isAdmin ? {} : { projectId: ctx.projectId });
  if (group === undefined) throw new NotFoundError('compute.server_group_not_found', `Instance group ${uuid} could not be found.`);
  return group;
}

/** GET /os-server-groups/{id}: the group, with only the members that still exist. */
export async function showServerGroup(deps: ComputeApiDeps, ctx: RequestContext, uuid: string): Promise<ServerGroup> {
  const group = await findVisible(deps, ctx, uuid);
  deps.policy.authorize('os_compute_api:os-server-groups:show', ctx, { project_id: group.project_id });
  const live = await liveInstances(deps, group.members);
  return { ...group, members: group.members.filter((m) => live.has(m)) };
}

/** DELETE /os-server-groups/{id}: removes the group and its memberships; the servers stay. */
export async function deleteServerGroup(deps: ComputeApiDeps, ctx: RequestContext, uuid: string): Promise<void> {
  const group = await findVisible(deps, ctx, uuid);
  deps.policy.authorize('os_compute_api:os-server-groups:delete', ctx, { project_id: group.project_id });
  if (!(await deps.api.serverGroups.delete(group.uuid))) {
    throw new NotFoundError('compute.server_group_not_found', `Instance group ${uuid} could not be found.`);
  }
  deps.logger.info({ request_id: ctx.requestId, server_group: uuid }, 'server group deleted');
}
