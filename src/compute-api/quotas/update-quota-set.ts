import { BadRequestError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import { boolFromString } from '../flavors/bool-from-string.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { projectQuotas } from './project-quotas.js';
import { QUOTA_RESOURCES, type QuotaResource, type QuotaValues } from './quota-resources.js';
import { limitValue, type UpdateQuotaSetRequest } from './quota-set-schemas.js';
import { quotaUsage } from './quota-usage.js';

/**
 * PUT /os-quota-sets/{project_id} (administrators): sets the project's own limits. As in Nova,
 * every value is checked before any is written: a limit below what the project already uses is a
 * 400 unless `force` is true; -1 (unlimited) is always accepted. Returns the limits now in force.
 *
 * `userId` (Nova's per-user quotas) is refused: Tessera keeps limits per project only.
 */
export async function updateQuotaSet(deps: ComputeApiDeps, ctx: RequestContext, projectId: string, body: UpdateQuotaSetRequest, userId?: string): Promise<QuotaValues> {
  deps.policy.authorize('os_compute_api:os-quota-sets:update', ctx, { project_id: projectId });
  if (userId !== undefined) {
    throw new BadRequestError('compute.user_quotas_unsupported', 'Per-user quotas are not supported: quotas apply to the whole project; send the request without user_id.');
  }
  const { force: rawForce, ...requested } = body.quota_set;
  const force = rawForce === undefined ? false : boolFromString(rawForce) === true;
  const values: Partial<QuotaValues> = {};
  for (const resource of QUOTA_RESOURCES) {
    const raw = requested[resource];
    if (raw !== undefined) values[resource] = limitValue(resource, raw);
  }
  if (!force) {
    const usage = await quotaUsage(deps, projectId);
    for (const [resource, limit] of Object.entries(values) as [QuotaResource, number][]) {
      if (limit !== -1 && limit < usage[resource]) {
        throw new BadRequestError(
          'compute.quota_below_usage',
          `Quota limit ${limit} for ${resource} must be greater than or equal to already used and reserved ${usage[resource]}.`,
        );
      }
    }
  }
  await deps.api.quotas.set(projectId, values);
  deps.logger.info({ request_id: ctx.requestId, project_id: projectId, limits: values, force }, 'quotas updated');
  return projectQuotas(deps, projectId);
}

/**
 * DELETE /os-quota-sets/{project_id} (administrators): the project goes back to the defaults.
 * With `userId` there is nothing to reset (no per-user quotas) and nothing changes.
 */
export async function deleteQuotaSet(deps: ComputeApiDeps, ctx: RequestContext, projectId: string, userId?: string): Promise<void> {
  deps.policy.authorize('os_compute_api:os-quota-sets:delete', ctx, { project_id: projectId });
  if (userId !== undefined) return;
  await deps.api.quotas.deleteProject(projectId);
  deps.logger.info({ request_id: ctx.requestId, project_id: projectId }, 'quotas reset to the defaults');
}
