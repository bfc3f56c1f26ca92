import { OverLimitError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { ApiRepos } from '../../db/api/api-repos.js';
import type { Flavor } from '../../objects/flavor.js';
import { checkInstanceQuota, type InstanceQuotaDeps } from './instance-quota.js';
import { projectQuotas } from './project-quotas.js';
import { isUnlimited } from './quota-resources.js';

/** What checking a boot's quotas needs. */
export interface BootQuotaDeps extends InstanceQuotaDeps {
  api: InstanceQuotaDeps['api'] & Pick<ApiRepos, 'quotas' | 'serverGroups'>;
}

/** The parts of a boot request that quotas limit. */
export interface BootQuotaRequest {
  flavor: Flavor;
  min: number;
  max: number;
  metadata?: Readonly<Record<string, string>> | undefined;
  /** The uuid in the `group` scheduler hint, if any. */
  group?: unknown;
}

/**
 * Every quota check of POST /servers, in Nova's order: the server's metadata items, then the
 * instances, cores and ram of the whole request (`max` down to `min`, as many as fit), then the
 * caller's members of the requested server group. Returns how many servers to build.
 *
 * @throws OverLimitError (403) with Nova's messages; nothing has been written then.
 *
 * @example
 * const count = await checkBootQuota(deps, ctx, { flavor, min: 1, max: 3, metadata: s.metadata });
 */
export async function checkBootQuota(deps: BootQuotaDeps, ctx: RequestContext, req: BootQuotaRequest): Promise<number> {
  const limits = await projectQuotas(deps, ctx.projectId);
  const items = Object.keys(req.metadata ?? {}).length;
  if (items > 0 && !isUnlimited(limits.metadata_items) && items > limits.metadata_items) {
    throw new OverLimitError('compute.metadata_limit_exceeded', `Maximum number of metadata items exceeds ${limits.metadata_items}`);
  }
  const count = await checkInstanceQuota(deps, ctx.projectId, req.flavor, req.min, req.max);
  if (typeof req.group === 'string' && !isUnlimited(limits.server_group_members)) {
    // A group the caller may not see is refused (400) by the boot itself, after this.
    const group = await deps.api.serverGroups.find(req.group, ctx.isAdmin ? {} : { projectId: ctx.projectId });
    if (group !== undefined) {
      const members = await deps.api.instanceMappings.countLiveOfUser(group.members, ctx.userId);
      if (members + count > limits.server_group_members) {
        throw new OverLimitError('compute.server_group_members_exceeded', 'Quota exceeded, too many servers in group', {
          details: { server_group: group.uuid, members, requested: count, allowed: limits.server_group_members },
        });
      }
    }
  }
  return count;
}
