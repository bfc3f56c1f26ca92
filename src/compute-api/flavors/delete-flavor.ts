import type { RequestContext } from '../../common/request-context.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';

/**
 * DELETE /flavors/{id} (administrators). Servers keep their own copy of the flavor, so deleting
 * one in use is allowed, as in Nova; its extra specs go with it.
 */
export async function deleteFlavor(deps: ComputeApiDeps, ctx: RequestContext, flavorid: string): Promise<void> {
  deps.policy.authorize('os_compute_api:os-flavor-manage:delete', ctx, { project_id: ctx.projectId });
  await deps.api.flavors.delete(flavorid);
  deps.logger.info({ request_id: ctx.requestId, flavorid }, 'flavor deleted');
}
