import type { RequestContext } from '../../common/request-context.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { projectQuotas } from './project-quotas.js';
import { defaultQuotas, type QuotaResource, type QuotaValues } from './quota-resources.js';
import { quotaUsage } from './quota-usage.js';

/** One resource of a quota-set detail: Nova has no reservations any more, so `reserved` is 0. */
export interface QuotaDetail {
  limit: number;
  in_use: number;
  reserved: 0;
}

/**
 * GET /os-quota-sets/{project_id}: the limits that apply to the project. With `user_id` the
 * limits that apply to that user, which are the project's: Tessera has no per-user quotas.
 */
export async function showQuotaSet(deps: ComputeApiDeps, ctx: RequestContext, projectId: string): Promise<QuotaValues> {
  deps.policy.authorize('os_compute_api:os-quota-sets:show', ctx, { project_id: projectId });
  return projectQuotas(deps, projectId);
}

/**
 * GET /os-quota-sets/{project_id}/detail: each limit with what the project (or, with `userId`,
 * that user) uses of it.
 */
export async function showQuotaSetDetail(deps: ComputeApiDeps, ctx: RequestContext, projectId: string, userId?: string): Promise<Record<QuotaResource, QuotaDetail>> {
  deps.policy.authorize('os_compute_api:os-quota-sets:detail', ctx, { project_id: projectId });
  const limits = await projectQuotas(deps, projectId);
  const usage = await quotaUsage(deps, projectId, userId);
  const out = {} as Record<QuotaResource, QuotaDetail>;
  for (const resource of Object.keys(limits) as QuotaResource[]) out[resource] = { limit: limits[resource], in_use: usage[resource], reserved: 0 };
  return out;
}

/** GET /os-quota-sets/{project_id}/defaults: the `[quota]` defaults, whatever the project has. */
export function showDefaultQuotaSet(deps: ComputeApiDeps, ctx: RequestContext, projectId: string): QuotaValues {
  deps.policy.authorize('os_compute_api:os-quota-sets:defaults', ctx, { project_id: projectId });
  return defaultQuotas(deps.config);
}
