import { BadRequestError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { Flavor } from '../../objects/flavor.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { boolFromString } from './bool-from-string.js';
import { MAX_INT, type CreateFlavorRequest } from './flavor-schemas.js';

/**
 * POST /flavors (administrators): checks the sizes beyond what the schema can (integers sent as
 * strings), generates a uuid id when none is given, and stores the flavor. A clash of name or id
 * is a 409 from the repository; nothing is written on any error.
 */
export async function createFlavor(deps: ComputeApiDeps, ctx: RequestContext, body: CreateFlavorRequest): Promise<Flavor> {
  deps.policy.authorize('os_compute_api:os-flavor-manage:create', ctx, { project_id: ctx.projectId });
  const f = body.flavor;
  const isPublic = boolFromString(f['os-flavor-access:is_public'] ?? true);
  if (isPublic === undefined) throw new BadRequestError('api.invalid_input', 'Invalid input received: is_public must be a boolean');
  const flavor = await deps.api.flavors.create({
    flavorid: flavorIdOf(deps, f.id),
    name: f.name,
    memory_mb: integerIn('memory_mb', f.ram, 1),
    vcpus: integerIn('vcpus', f.vcpus, 1),
    root_gb: integerIn('root_gb', f.disk, 0),
    ephemeral_gb: integerIn('ephemeral_gb', f['OS-FLV-EXT-DATA:ephemeral'] ?? 0, 0),
    swap: integerIn('swap', f.swap ?? 0, 0),
    rxtx_factor: rxtxFactor(f.rxtx_factor ?? 1.0),
    is_public: isPublic,
    description: f.description ?? null,
  });
  deps.logger.info({ request_id: ctx.requestId, flavorid: flavor.flavorid, name: flavor.name }, 'flavor created');
  return flavor;
}

// Nova generates an id when none (or null, or an empty value) is given; numbers are kept as text.
function flavorIdOf(deps: ComputeApiDeps, id: string | number | null | undefined): string {
  if (id === undefined || id === null || id === '' || id === 0) return deps.ids.uuid();
  return String(id);
}

function integerIn(name: string, value: number | string, min: number): number {
  const text = String(value).trim();
  if (!/^[+-]?\d+$/.test(text)) throw new BadRequestError('api.invalid_input', `Invalid input received: ${name} must be an integer`);
  const n = Number.parseInt(text, 10);
  if (n < min) throw new BadRequestError('api.invalid_input', `Invalid input received: ${name} must be >= ${min}`);
  if (n > MAX_INT) throw new BadRequestError('api.invalid_input', `Invalid input received: ${name} must be <= ${MAX_INT}`);
  return n;
}

function rxtxFactor(value: number | string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 3.40282e38) {
    throw new BadRequestError('api.invalid_input', "Invalid input received: 'rxtx_factor' argument must be a float between 0 and 3.40282e+38");
  }
  return n;
}
