import { BadRequestError, NotFoundError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { getVisibleFlavor } from './get-flavor.js';

type SpecValues = Record<string, string | number>;

/** GET /flavors/{id}/os-extra_specs */
export async function listExtraSpecs(deps: ComputeApiDeps, ctx: RequestContext, flavorid: string): Promise<Record<string, string>> {
  deps.policy.authorize('os_compute_api:os-flavor-extra-specs:index', ctx, { project_id: ctx.projectId });
  return (await getVisibleFlavor(deps, ctx, flavorid)).extra_specs;
}

/** GET /flavors/{id}/os-extra_specs/{key}: the one spec, or 404 naming the key. */
export async function showExtraSpec(deps: ComputeApiDeps, ctx: RequestContext, flavorid: string, key: string): Promise<Record<string, string>> {
  deps.policy.authorize('os_compute_api:os-flavor-extra-specs:show', ctx, { project_id: ctx.projectId });
  const specs = (await getVisibleFlavor(deps, ctx, flavorid)).extra_specs;
  const value = Object.hasOwn(specs, key) ? specs[key] : undefined;
  if (value === undefined) throw missingKey(flavorid, key);
  return { [key]: value };
}

/**
 * POST /flavors/{id}/os-extra_specs (administrators): adds or replaces the given specs, keeping the
 * others. Numbers are stored as their decimal text.
 */
export async function setExtraSpecs(deps: ComputeApiDeps, ctx: RequestContext, flavorid: string, specs: SpecValues): Promise<void> {
  deps.policy.authorize('os_compute_api:os-flavor-extra-specs:create', ctx, { project_id: ctx.projectId });
  const values = asText(specs);
  await getVisibleFlavor(deps, ctx, flavorid);
  await deps.api.flavors.setExtraSpecs(flavorid, values);
}

/** PUT /flavors/{id}/os-extra_specs/{key} (administrators): the body names exactly the URL's key. */
export async function updateExtraSpec(deps: ComputeApiDeps, ctx: RequestContext, flavorid: string, key: string, body: SpecValues): Promise<void> {
  deps.policy.authorize('os_compute_api:os-flavor-extra-specs:update', ctx, { project_id: ctx.projectId });
  const values = asText(body);
  if (!Object.hasOwn(values, key)) throw new BadRequestError('compute.extra_spec_mismatch', 'Request body and URI mismatch');
  await getVisibleFlavor(deps, ctx, flavorid);
  await deps.api.flavors.setExtraSpecs(flavorid, values);
}

/** DELETE /flavors/{id}/os-extra_specs/{key} (administrators). */
export async function deleteExtraSpec(deps: ComputeApiDeps, ctx: RequestContext, flavorid: string, key: string): Promise<void> {
  deps.policy.authorize('os_compute_api:os-flavor-extra-specs:delete', ctx, { project_id: ctx.projectId });
  await getVisibleFlavor(deps, ctx, flavorid);
  await deps.api.flavors.deleteExtraSpec(flavorid, key);
}

// The schema caps string lengths; a number's text has to be checked once converted.
function asText(specs: SpecValues): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(specs)) {
    const text = String(value);
    if (text.length > 255) throw new BadRequestError('api.invalid_input', 'Invalid input received: extra_specs value has more than 255 characters.');
    out[key] = text;
  }
  return out;
}

function missingKey(flavorid: string, key: string): NotFoundError {
  return new NotFoundError('compute.flavor_extra_spec_not_found', `Flavor ${flavorid} has no extra specs with key ${key}.`);
}
