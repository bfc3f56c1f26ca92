import { BadRequestError, NotFoundError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { ImageView } from '../../image/index.js';
import type { Flavor } from '../../objects/flavor.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';

/**
 * An image a server boots from, checked as Nova does: visible, active, and fitting the flavor's
 * memory. `localRoot` says the root disk is built from it on the host, so the flavor's disk must
 * hold it too; a volume-backed root is checked against the volume's size instead.
 */
export async function resolveBootImage(deps: ComputeApiDeps, ctx: RequestContext, imageRef: string, flavor: Flavor, localRoot: boolean): Promise<ImageView> {
  let image;
  try {
    image = await deps.images.get(ctx, imageRef);
  } catch (err) {
    if (err instanceof NotFoundError) throw new BadRequestError('compute.image_not_found', 'Can not find requested image');
    throw err;
  }
  if (image.status !== 'active') throw new BadRequestError('compute.image_not_active', `Image ${image.id} is not active.`);
  if (flavor.memory_mb < (image.min_ram ?? 0)) throw new BadRequestError('compute.flavor_memory_too_small', "Flavor's memory is too small for requested image.");
  if (localRoot) {
    const minDiskGb = Math.max(image.min_disk ?? 0, Math.ceil((image.size ?? 0) / 1024 ** 3));
    if (flavor.root_gb > 0 && flavor.root_gb < minDiskGb) throw new BadRequestError('compute.flavor_disk_too_small', "Flavor's disk is too small for requested image.");
  }
  return image;
}
