import { BadRequestError, ConflictError, NotFoundError } from '../common/errors.js';
import type { RequestContext } from '../common/request-context.js';
import type { ImageClient, ImageView } from '../image/index.js';

/** What the volume service reads of the image service: it only looks images up. */
export type ImageLookup = Pick<ImageClient, 'get' | 'list'>;
import { VolumeErrors } from './volume-errors.js';

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const BYTES_PER_GIB = 1024 ** 3;
/** Image fields that are Glance's own, not properties to copy into volume_image_metadata. */
const GLANCE_CORE = new Set([
  'id', 'name', 'status', 'visibility', 'protected', 'os_hidden', 'checksum', 'os_hash_algo', 'os_hash_value', 'owner',
  'size', 'virtual_size', 'min_ram', 'min_disk', 'container_format', 'disk_format', 'created_at', 'updated_at',
  'tags', 'self', 'file', 'schema', 'locations', 'direct_url',
]);

/** The image a volume is created from, checked, with what Cinder copies from it. */
export interface ImageSource {
  id: string;
  /** Cinder's `volume_image_metadata`: the image's identity, formats and properties, as strings. */
  metadata: Record<string, string>;
}

/**
 * Finds the image an `imageRef` names, as Cinder does: the last path segment of a URL, an id the
 * caller can see, or else a unique image name; then checks that a volume of `size` GiB can hold it.
 *
 * @throws BadRequestError `volume.invalid_image` when nothing the caller can see matches;
 *   ConflictError `volume.image_ambiguous` for a name several images have; BadRequestError
 *   `volume.invalid_input` when the image is not active or does not fit.
 */
export async function resolveImageSource(images: ImageLookup, ctx: RequestContext, imageRef: string, size: number): Promise<ImageSource> {
  const image = await findImage(images, ctx, imageRef);
  if (image.status !== 'active') throw VolumeErrors.invalidInput(`Image ${image.id} is not active.`);
  const imageGib = Math.ceil((image.size ?? 0) / BYTES_PER_GIB);
  if (imageGib > size) throw VolumeErrors.invalidInput(`Size of specified image ${imageGib}GB is larger than volume size ${size}GB.`);
  if (image.min_disk > size) throw VolumeErrors.invalidInput(`Volume size ${size}GB cannot be smaller than the image minDisk size ${image.min_disk}GB.`);
  return { id: image.id, metadata: imageMetadata(image) };
}

async function findImage(images: ImageLookup, ctx: RequestContext, imageRef: string): Promise<ImageView> {
  const last = imageRef.split('/').pop() ?? imageRef;
  if (UUID.test(last)) {
    try {
      return await images.get(ctx, last.toLowerCase());
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
  }
  const named = (await images.list(ctx, { name: imageRef, limit: 2 })).images;
  if (named.length > 1) throw new ConflictError('volume.image_ambiguous', `Multiple matches found for '${imageRef}', use an ID to be more specific.`);
  const [only] = named;
  if (only === undefined) throw new BadRequestError('volume.invalid_image', 'Invalid image identifier or unable to access requested image.');
  return only;
}

function imageMetadata(image: ImageView): Record<string, string> {
  const out: Record<string, string> = {
    image_id: image.id,
    image_name: image.name ?? '',
    checksum: image.checksum ?? '',
    container_format: image.container_format ?? '',
    disk_format: image.disk_format ?? '',
    min_disk: String(image.min_disk),
    min_ram: String(image.min_ram),
    size: String(image.size ?? 0),
  };
  for (const [key, value] of Object.entries(image)) {
    if (!GLANCE_CORE.has(key) && typeof value === 'string') out[key] = value;
  }
  return out;
}
