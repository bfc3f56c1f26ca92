import type { RequestContext } from '../../common/request-context.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { projectQuotas } from './project-quotas.js';
import type { QuotaValues } from './quota-resources.js';
import { quotaUsage } from './quota-usage.js';

/** A project's limits and what it uses of them. */
export interface ProjectLimits {
  limits: QuotaValues;
  usage: QuotaValues;
}

/**
 * GET /limits: the caller's project's limits and usage, or with `tenantId` (administrators) those
 * of another project.
 */
export async function showLimits(deps: ComputeApiDeps, ctx: RequestContext, tenantId?: string): Promise<ProjectLimits> {
  deps.policy.authorize('os_compute_api:limits', ctx, {});
  let projectId = ctx.projectId;
  if (tenantId !== undefined) {
    deps.policy.authorize('os_compute_api:limits:other_project', ctx, { project_id: ctx.projectId, user_id: ctx.userId });
    projectId = tenantId;
  }
  const [limits, usage] = [await projectQuotas(deps, projectId), await quotaUsage(deps, projectId)];
  return { limits, usage };
}
