import { TesseraError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import type { RequestContext } from '../../common/request-context.js';
import type { BlockDeviceMapping } from '../../objects/block-device.js';
import type { Instance } from '../../objects/instance.js';
import type { GuestVolume } from '../../virt/index.js';
import type { ConnectionInfo } from '../../volume/index.js';
import { DEFAULT_ROOT_DEVICE, nextDeviceName } from '../attachments/device-name.js';
import { attachVolume, type VolumeAttachmentDeps } from '../attachments/volume-attachment.js';
import { ignoreNotFound } from '../../common/ignore-not-found.js';

/** The block devices of a guest about to be spawned (Nova's block_device_info). */
export interface BootBlockDevices {
  /** Volumes connected to this host, root first. */
  volumes: GuestVolume[];
  rootDevice: string;
  /** The image the root disk is built from on this host; null when the root disk is a volume. */
  imageRef: string | null;
}

/**
 * Prepares the block devices of a new instance on this host (Nova's _prep_block_device): names
 * the devices (the root `/dev/vda` unless named), creates the volumes to be made from an image or
 * blank (their attachment recorded at once), and attaches every volume without the guest:
 * attachment connected to this host's connector, completed (the volume is `in-use`), the mapping
 * filled in. The volumes the user brought use the attachment reserved for them.
 *
 * On failure nothing is undone here: every step is on record in the mappings, and
 * {@link releaseBlockDevices} undoes them.
 *
 * @example
 * const devices = await prepareBlockDevices(deps, ctx, instance, log);
 * await driver.spawn({ ...spec, imageRef: devices.imageRef, volumes: devices.volumes, rootDevice: devices.rootDevice });
 */
export async function prepareBlockDevices(deps: VolumeAttachmentDeps, ctx: RequestContext, instance: Pick<Instance, 'uuid' | 'flavor' | 'image_ref'>, log: Logger): Promise<BootBlockDevices> {
  const bdms = await nameDevices(deps, instance);
  const root = bdms.find((b) => b.boot_index === 0);
  const volumes: GuestVolume[] = [];
  for (let bdm of bdms) {
    if (bdm.destination_type !== 'volume') continue;
    if (bdm.source_type !== 'volume' && bdm.volume_id === null) bdm = await createVolume(deps, ctx, instance.uuid, bdm, log);
    const attached = await attachVolume(deps, ctx, {
      instance,
      volumeId: bdm.volume_id as string,
      ...(bdm.attachment_id === null ? {} : { attachmentId: bdm.attachment_id }),
      bdm,
      driverAttach: false,
    });
    volumes.push({ volumeId: attached.volume_id as string, mountpoint: attached.device_name as string, connectionInfo: attached.connection_info as unknown as ConnectionInfo });
  }
  const imageRef = root === undefined ? (instance.image_ref === '' ? null : instance.image_ref) : root.destination_type === 'local' ? root.image_id : null;
  log.info({ volumes: volumes.map((v) => [v.volumeId, v.mountpoint]), root_device: root?.device_name ?? DEFAULT_ROOT_DEVICE }, 'block devices prepared');
  return { volumes, rootDevice: root?.device_name ?? DEFAULT_ROOT_DEVICE, imageRef };
}

/**
 * Gives every mapping without a device name one, as Nova's _default_block_device_names does: the
 * root the first device, the others the next free ones, saved before anything is attached so a
 * retry names them the same.
 */
async function nameDevices(deps: VolumeAttachmentDeps, instance: Pick<Instance, 'uuid' | 'flavor'>): Promise<BlockDeviceMapping[]> {
  const bdms = await deps.bdms.list(instance.uuid);
  const named: BlockDeviceMapping[] = [];
  for (const bdm of bdms) {
    if (bdm.device_name !== null) {
      named.push(bdm);
      continue;
    }
    const device = bdm.boot_index === 0 ? DEFAULT_ROOT_DEVICE : nextDeviceName({ bdms: [...named, ...bdms.filter((b) => b.device_name !== null)], flavor: instance.flavor });
    named.push(await deps.bdms.update(bdm.uuid, { device_name: device }));
  }
  return named;
}

/**
 * Creates the volume of an image→volume or blank→volume mapping and reserves it for the instance,
 * recording each in the mapping as soon as it exists. A volume the backend failed to make is
 * deleted at once (it is in `error`).
 */
async function createVolume(deps: VolumeAttachmentDeps, ctx: RequestContext, instanceUuid: string, bdm: BlockDeviceMapping, log: Logger): Promise<BlockDeviceMapping> {
  let volumeId: string;
  try {
    const volume = await deps.volumes.create(ctx, {
      size: bdm.volume_size ?? 1,
      ...(bdm.source_type === 'image' && bdm.image_id !== null ? { imageRef: bdm.image_id } : { name: `${instanceUuid}-blank-vol` }),
    });
    volumeId = volume.id;
  } catch (err) {
    const broken = err instanceof TesseraError ? err.details?.['volume_id'] : undefined;
    if (typeof broken === 'string') {
      await deps.volumes.delete(ctx, broken).catch((e: unknown) => log.error({ err: e, volume_id: broken }, 'could not delete a volume the backend failed to create'));
    }
    throw err;
  }
  log.info({ volume_id: volumeId, bdm_uuid: bdm.uuid, source_type: bdm.source_type }, 'volume created for the instance');
  let updated = await deps.bdms.update(bdm.uuid, { volume_id: volumeId });
  const attachment = await deps.volumes.attachmentCreate(ctx, volumeId, instanceUuid);
  updated = await deps.bdms.update(bdm.uuid, { attachment_id: attachment.id });
  return updated;
}

/**
 * Undoes what a build did to the instance's volumes, from its mappings, last device first: each
 * attachment is deleted (the volume the user brought is `available` again; a reschedule reserves
 * it anew) and each volume the build created is deleted, whatever `delete_on_termination` says,
 * since it never served the server. The mappings stay, emptied of what was undone, so a retry on
 * another host starts from the request again. Every mapping is tried; the first failure is
 * rethrown at the end, and what could not be undone stays on record for a delete to finish.
 */
export async function releaseBlockDevices(deps: Pick<VolumeAttachmentDeps, 'bdms' | 'volumes'>, ctx: RequestContext, instanceUuid: string, log: Logger): Promise<void> {
  const failures: unknown[] = [];
  for (const bdm of (await deps.bdms.list(instanceUuid)).reverse()) {
    if (bdm.destination_type !== 'volume') continue;
    try {
      if (bdm.attachment_id !== null) {
        await ignoreNotFound(deps.volumes.attachmentDelete(ctx, bdm.attachment_id));
        await deps.bdms.update(bdm.uuid, { attachment_id: null, connection_info: null });
      }
      if (bdm.source_type !== 'volume' && bdm.volume_id !== null) {
        await ignoreNotFound(deps.volumes.delete(ctx, bdm.volume_id));
        await deps.bdms.update(bdm.uuid, { volume_id: null });
        log.info({ volume_id: bdm.volume_id, bdm_uuid: bdm.uuid }, 'volume created for the failed build deleted');
      }
    } catch (err) {
      log.error({ err, bdm_uuid: bdm.uuid, volume_id: bdm.volume_id, attachment_id: bdm.attachment_id }, 'could not release a volume of the failed build');
      failures.push(err);
    }
  }
  if (failures.length > 0) throw failures[0];
}
