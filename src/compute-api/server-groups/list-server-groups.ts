import type { RequestContext } from '../../common/request-context.js';
import type { ServerGroup } from '../../db/api/server-group-repo.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { liveInstances } from './live-members.js';
import type { ServerGroupListQuery } from './server-group-schemas.js';

/**
 * GET /os-server-groups: the caller's project's groups, or every project's for an administrator
 * who asks with `all_projects` (Nova looks only at its presence, and quietly ignores it for
 * non-admins); then `offset` and `limit` (at most `[api] max_limit`, 0 meaning that maximum).
 */
export async function listServerGroups(deps: ComputeApiDeps, ctx: RequestContext, query: ServerGroupListQuery): Promise<ServerGroup[]> {
  deps.policy.authorize('os_compute_api:os-server-groups:index', ctx, { project_id: ctx.projectId });
  let all = false;
  if (query.all_projects !== undefined && ctx.isAdmin) {
    deps.policy.authorize('os_compute_api:os-server-groups:index:all_projects', ctx, { project_id: ctx.projectId });
    all = true;
  }
  const groups = await deps.api.serverGroups.list(all ? {} : { projectId: ctx.projectId });
  const maxLimit = deps.config.api.max_limit;
  const offset = query.offset === undefined ? 0 : Number(query.offset);
  const requested = query.limit === undefined ? 0 : Number(query.limit);
  const limit = Math.min(maxLimit, requested === 0 ? maxLimit : requested);
  const page = groups.slice(offset, offset + limit);
  const live = await liveInstances(deps, page.flatMap((g) => g.members));
  return page.map((g) => ({ ...g, members: g.members.filter((m) => live.has(m)) }));
}
