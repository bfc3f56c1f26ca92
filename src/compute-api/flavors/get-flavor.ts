import { NotFoundError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { Flavor } from '../../objects/flavor.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';

/**
 * Whether the caller may see the flavor at all. Administrators see every flavor; everyone else
 * sees public ones only (Tessera keeps no per-project flavor access lists yet), so a private
 * flavor is simply "not found" for them, as in Nova.
 */
export function canSeeFlavor(ctx: RequestContext, flavor: Flavor): boolean {
  return ctx.isAdmin || flavor.is_public;
}

/** The flavor with this flavor id as the caller may see it; 404 otherwise. */
export async function getVisibleFlavor(deps: ComputeApiDeps, ctx: RequestContext, flavorid: string): Promise<Flavor> {
  const flavor = await deps.api.flavors.find(flavorid);
  if (flavor === undefined || !canSeeFlavor(ctx, flavor)) {
    throw new NotFoundError('compute.flavor_not_found', `Flavor ${flavorid} could not be found.`);
  }
  return flavor;
}

/** GET /flavors/{id}: any authenticated caller, for the flavors they may see. */
export async function showFlavor(deps: ComputeApiDeps, ctx: RequestContext, flavorid: string): Promise<Flavor> {
  deps.policy.authorize('os_compute_api:flavors:index', ctx, { project_id: ctx.projectId });
  return getVisibleFlavor(deps, ctx, flavorid);
}

/**
 * Whether responses at 2.61+ may carry the flavor's extra specs inline: only when the caller could
 * also list them through os-extra_specs.
 */
export function mayListExtraSpecs(deps: ComputeApiDeps, ctx: RequestContext): boolean {
  return deps.policy.check('os_compute_api:os-flavor-extra-specs:index', ctx, { project_id: ctx.projectId });
}
