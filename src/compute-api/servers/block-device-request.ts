import { BadRequestError, NotFoundError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { ImageView } from '../../image/index.js';
import type { NewBlockDeviceMapping } from '../../objects/block-device.js';
import type { Flavor } from '../../objects/flavor.js';
import type { Volume } from '../../volume/index.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { resolveBootImage } from './boot-image.js';
import type { BlockDeviceMappingV2 } from './create-server-schema.js';

const GIB = 1024 ** 3;

/** A checked block device of the request; each instance gets its own mapping made from it. */
export type BlockDeviceTemplate = Omit<NewBlockDeviceMapping, 'instance_uuid' | 'uuid'>;

/** What the block devices of a boot request come to. */
export interface BootDevices {
  /** Every device the request named, the root (boot_index 0) first. */
  templates: BlockDeviceTemplate[];
  /** The root disk is a volume: the flavor's root disk is not used on the host. */
  volumeBacked: boolean;
  /** The image the root disk is built from (on the host, or into a new volume), if any. */
  rootImage: ImageView | undefined;
  /** The existing volume that is the root disk, if any. */
  rootVolume: Volume | undefined;
}

const invalid = (details: string): BadRequestError => new BadRequestError('compute.invalid_bdm', `Block Device Mapping is Invalid: ${details}`);
const BAD_SEQUENCE = 'Boot sequence for the instance and image/block device mapping combination is not valid.';

/**
 * Checks `block_device_mapping_v2` as Nova's API does (BlockDeviceDict.from_api and
 * _validate_bdm): supported source/destination pairs (volume→volume, image→volume, blank→volume,
 * and image→local as the root), boot indexes 0..n-1 with exactly one root, a root at all when
 * there is no `imageRef`, volumes that exist and are `available`, images that exist and fit in the
 * requested `volume_size`. Nothing is changed: reserving the volumes comes later.
 *
 * Without a root among the mappings, the root is the image of `imageRef` on the host's disk; it is
 * checked as one, but not made a mapping (Nova records it as an image→local mapping).
 *
 * @example
 * await checkBlockDevices(deps, ctx, [{ source_type: 'volume', uuid: vol, destination_type: 'volume', boot_index: 0 }], { imageRef: undefined, flavor, count: 1 });
 * // { volumeBacked: true, rootVolume: {...}, templates: [{ source_type: 'volume', volume_id: vol, boot_index: 0, ... }] }
 */
export async function checkBlockDevices(
  deps: ComputeApiDeps,
  ctx: RequestContext,
  items: readonly BlockDeviceMappingV2[],
  opts: { imageRef: string | undefined; flavor: Flavor; count: number },
): Promise<BootDevices> {
  const parsed = items.filter((i) => !flag(i.no_device, false)).map(parseItem);
  const bootIndexes = parsed.flatMap((p) => (p.boot_index === null || p.boot_index === undefined ? [] : [p.boot_index])).sort((a, b) => a - b);
  if (bootIndexes.some((b, i) => b !== i)) throw invalid(BAD_SEQUENCE);
  let root = parsed.find((p) => p.boot_index === 0);
  let implicitRoot: BlockDeviceTemplate | undefined;
  if (root === undefined) {
    if (opts.imageRef === undefined) throw invalid(BAD_SEQUENCE);
    root = implicitRoot = { source_type: 'image', destination_type: 'local', image_id: opts.imageRef, boot_index: 0, delete_on_termination: true };
    parsed.unshift(root);
  }
  const volumeIds = parsed.flatMap((p) => (p.source_type === 'volume' && p.volume_id ? [p.volume_id] : []));
  const repeated = volumeIds.find((v, i) => volumeIds.indexOf(v) !== i);
  if (repeated !== undefined) throw invalid(`volume ${repeated} is mapped more than once.`);
  if (opts.count > 1 && volumeIds.length > 0) throw new BadRequestError('compute.volumes_for_many_instances', 'Cannot attach one or more volumes to multiple instances');

  let rootImage: ImageView | undefined;
  let rootVolume: Volume | undefined;
  for (const p of parsed) {
    const isRoot = p === root;
    switch (`${p.source_type}:${p.destination_type}`) {
      case 'volume:volume': {
        const volume = await availableVolume(deps, ctx, p.volume_id as string);
        p.volume_size = volume.size;
        if (isRoot) rootVolume = volume;
        break;
      }
      case 'image:volume': {
        if (p.volume_size === undefined || p.volume_size === null || p.volume_size === 0) throw invalid("Images with destination_type 'volume' need to have a non-zero size specified");
        const image = await bdmImage(deps, ctx, p.image_id as string, opts.flavor);
        const minBytes = Math.max(image.size ?? 0, image.min_disk * GIB);
        if (p.volume_size * GIB < minBytes) {
          throw new BadRequestError('compute.volume_smaller_than_min_disk', `Volume is smaller than the minimum size specified in image metadata. Volume size is ${p.volume_size * GIB} bytes, minimum size is ${minBytes} bytes.`);
        }
        if (isRoot) rootImage = image;
        break;
      }
      case 'blank:volume':
        if (p.volume_size === undefined || p.volume_size === null || p.volume_size === 0) throw invalid("Blank volumes (source: 'blank', dest: 'volume') need to have non-zero size");
        if (isRoot) throw invalid(BAD_SEQUENCE);
        break;
      case 'image:local':
        if (!isRoot) throw invalid('Mapping image to local is not supported.');
        rootImage = await resolveBootImage(deps, ctx, p.image_id as string, opts.flavor, true);
        break;
      case 'blank:local':
        throw invalid('ephemeral and swap disks (source blank, destination local) are not supported by this cloud.');
      case 'snapshot:volume':
      case 'snapshot:local':
        throw invalid('volume snapshots are not supported by this cloud.');
      default:
        throw invalid(`source_type ${p.source_type} with destination_type ${p.destination_type} is not a valid combination.`);
    }
  }
  // The root that imageRef implies is not recorded (Nova records it as an image→local mapping):
  // mappings here are the devices the request named, so os-volume_attachments pages over volumes.
  const templates = [root, ...parsed.filter((p) => p !== root)].filter((p) => p !== implicitRoot);
  return { templates, volumeBacked: root.destination_type === 'volume', rootImage, rootVolume };
}

function parseItem(i: BlockDeviceMappingV2): BlockDeviceTemplate {
  const source = i.source_type;
  if (source === undefined) throw invalid('Invalid source_type field.');
  const destination = i.destination_type ?? (source === 'volume' || source === 'snapshot' ? 'volume' : 'local');
  const id = i.uuid ?? (source === 'volume' ? i.volume_id : source === 'image' ? i.image_id : source === 'snapshot' ? i.snapshot_id : undefined);
  if (source === 'blank' && id !== undefined) throw invalid('Invalid device UUID.');
  if (source !== 'blank' && id === undefined) throw invalid('Missing device UUID.');
  const bootIndex = i.boot_index === undefined || i.boot_index === null ? null : Number(i.boot_index);
  const size = i.volume_size === undefined || i.volume_size === null ? null : Number(i.volume_size);
  return {
    source_type: source,
    destination_type: destination,
    boot_index: bootIndex === null || bootIndex < 0 ? null : bootIndex,
    device_name: i.device_name ?? null,
    device_type: i.device_type ?? null,
    disk_bus: i.disk_bus ?? null,
    guest_format: i.guest_format ?? null,
    delete_on_termination: flag(i.delete_on_termination, false),
    image_id: source === 'image' ? (id as string).toLowerCase() : null,
    snapshot_id: source === 'snapshot' ? (id as string).toLowerCase() : null,
    volume_id: source === 'volume' ? (id as string).toLowerCase() : null,
    volume_size: size,
    volume_type: i.volume_type ?? null,
    tag: i.tag ?? null,
  };
}

const TRUE_STRINGS = new Set(['true', '1', 'on', 'yes', 'y', 't']);

function flag(value: boolean | string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  return TRUE_STRINGS.has(value.toLowerCase());
}

async function availableVolume(deps: ComputeApiDeps, ctx: RequestContext, id: string): Promise<Volume> {
  let volume: Volume;
  try {
    volume = await deps.volumes.get(ctx, id);
  } catch (err) {
    if (err instanceof NotFoundError) throw invalid(`failed to get volume ${id}.`);
    throw err;
  }
  if (volume.status !== 'available') {
    throw new BadRequestError('compute.invalid_volume', `Invalid volume: volume '${id}' status must be 'available'. Currently in '${volume.status}'`);
  }
  return volume;
}

async function bdmImage(deps: ComputeApiDeps, ctx: RequestContext, id: string, flavor: Flavor): Promise<ImageView> {
  try {
    return await resolveBootImage(deps, ctx, id, flavor, false);
  } catch (err) {
    if (err instanceof BadRequestError && err.code === 'compute.image_not_found') throw invalid(`failed to get image ${id}.`);
    throw err;
  }
}
