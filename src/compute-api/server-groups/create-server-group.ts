import { BadRequestError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { ServerGroup, ServerGroupPolicy, ServerGroupRules } from '../../db/api/server-group-repo.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { checkServerGroupQuota } from '../quotas/counted-quota.js';
import type { CreateServerGroupRequest } from './server-group-schemas.js';

/**
 * POST /os-server-groups: a new, empty group of the caller's project with one policy, and from
 * 2.64 optional rules, which only anti-affinity groups may have (400 otherwise). The project's
 * `server_groups` quota is checked before (403) and, as in Nova, again after the insert, which is
 * undone when a concurrent create took the project past its limit.
 */
export async function createServerGroup(deps: ComputeApiDeps, ctx: RequestContext, body: CreateServerGroupRequest): Promise<ServerGroup> {
  deps.policy.authorize('os_compute_api:os-server-groups:create', ctx, { project_id: ctx.projectId });
  const { name, policies, policy: single, rules: rawRules } = body.server_group;
  const policy = (single ?? policies?.[0]) as ServerGroupPolicy;
  const rules = parseRules(rawRules);
  if (policy !== 'anti-affinity' && Object.keys(rules).length > 0) {
    throw new BadRequestError('compute.invalid_server_group_rules', 'Only anti-affinity policy supports rules.');
  }
  await checkServerGroupQuota(deps, ctx.projectId, 1);
  const group = await deps.api.serverGroups.create({ name, projectId: ctx.projectId, userId: ctx.userId, policy, rules });
  if (deps.config.quota.recheck_quota) {
    try {
      await checkServerGroupQuota(deps, ctx.projectId, 0);
    } catch (err) {
      await deps.api.serverGroups.delete(group.uuid);
      throw err;
    }
  }
  deps.logger.info({ request_id: ctx.requestId, server_group: group.uuid, policy, rules }, 'server group created');
  return group;
}

function parseRules(raw: { max_server_per_host?: number | string } | undefined): ServerGroupRules {
  const value = raw?.max_server_per_host;
  if (value === undefined) return {};
  const max = typeof value === 'number' ? value : Number.parseInt(value, 10);
  if (!Number.isSafeInteger(max) || max < 1 || max > 2147483647) {
    throw new BadRequestError('api.invalid_input', `Invalid input for field/attribute max_server_per_host. Value: ${String(value)}. ${String(value)} is less than the minimum of 1`);
  }
  return { max_server_per_host: max };
}
