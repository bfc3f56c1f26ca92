import type { RequestContext } from '../../common/request-context.js';
import type { Flavor } from '../../objects/flavor.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';

/** PUT /flavors/{id} (2.55+, administrators): replaces the description, the one mutable field. */
export async function updateFlavorDescription(deps: ComputeApiDeps, ctx: RequestContext, flavorid: string, description: string | null): Promise<Flavor> {
  deps.policy.authorize('os_compute_api:os-flavor-manage:update', ctx, { project_id: ctx.projectId });
  return deps.api.flavors.setDescription(flavorid, description);
}
