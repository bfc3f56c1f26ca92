import { InternalError, NotFoundError, TesseraError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import type { RequestContext } from '../../common/request-context.js';
import type { Task } from '../../conductor/tasks/task.js';
import { runTasks } from '../../conductor/tasks/task-runner.js';
import type { BlockDeviceMappingRepo } from '../../db/cell/block-device-mapping-repo.js';
import type { BlockDeviceMapping } from '../../objects/block-device.js';
import type { Instance } from '../../objects/instance.js';
import type { VirtDriver } from '../../virt/index.js';
import type { ConnectionInfo, VolumeClient } from '../../volume/index.js';
import type { InstanceLocks } from '../instance-locks.js';
import { nextDeviceName } from './device-name.js';

/** What attaching and detaching a volume on this host works with. */
export interface VolumeAttachmentDeps {
  /** This compute host: the connector's host and the name in logs. */
  host: string;
  bdms: BlockDeviceMappingRepo;
  volumes: VolumeClient;
  driver: VirtDriver;
  /** Serializes the work on one instance, so two attaches never pick one device name. */
  locks: InstanceLocks;
  logger: Logger;
}

export interface AttachVolumeRequest {
  instance: Pick<Instance, 'uuid' | 'flavor'>;
  volumeId: string;
  /**
   * The attachment the API reserved (`attachmentCreate` without a connector). It stays the
   * caller's: a failed attach leaves it for the caller to delete. Without it, the attach creates
   * its own and deletes it on failure.
   */
  attachmentId?: string;
  /** The device the user asked for (`/dev/vdc`); the first free one otherwise. */
  device?: string | null;
  tag?: string | null;
  deleteOnTermination?: boolean;
  /**
   * A mapping that already exists (made at boot from block_device_mapping_v2): it is filled in
   * (attachment, connection info, device name) instead of a new one being created, and it is
   * left in place, unchanged, when the attach fails.
   */
  bdm?: BlockDeviceMapping;
  /**
   * False when the guest does not exist yet and the driver will connect the volume as it spawns
   * the guest (Nova's `do_driver_attach=False` at boot); default true.
   */
  driverAttach?: boolean;
}

export interface DetachVolumeRequest {
  instanceUuid: string;
  volumeId: string;
  /** False when the guest is already gone (the instance is being deleted); default true. */
  driverDetach?: boolean;
}

/**
 * Attaches a volume to an instance on this host, as Nova's compute does with Cinder's attachment
 * API: connect the attachment to this host's connector, connect the disk to the guest, mark the
 * attachment complete (the volume becomes `in-use`), and record the block device mapping. Each
 * step is undone in reverse order when a later one fails, and the original error is rethrown.
 *
 * @returns the volume's block device mapping.
 * @throws ConflictError `compute.device_path_in_use`, BadRequestError `compute.invalid_device_path`
 *   for a bad requested device; the volume service's and driver's errors otherwise.
 * @example
 * const reserved = await volumes.attachmentCreate(ctx, volumeId, instance.uuid); // the API's reservation
 * const bdm = await attachVolume(deps, ctx, { instance, volumeId, attachmentId: reserved.id, tag: 'data' });
 * bdm.device_name; // '/dev/vdb'
 */
export function attachVolume(deps: VolumeAttachmentDeps, ctx: RequestContext, request: AttachVolumeRequest): Promise<BlockDeviceMapping> {
  return deps.locks.run(request.instance.uuid, () => attachLocked(deps, ctx, request));
}

async function attachLocked(deps: VolumeAttachmentDeps, ctx: RequestContext, request: AttachVolumeRequest): Promise<BlockDeviceMapping> {
  const { instance, volumeId } = request;
  const log = deps.logger.child({ request_id: ctx.requestId, instance_uuid: instance.uuid, volume_id: volumeId, host: deps.host });
  const device = request.bdm?.device_name ?? nextDeviceName({ bdms: await deps.bdms.list(instance.uuid), flavor: instance.flavor, requested: request.device ?? null });
  const state: { attachmentId?: string; connectionInfo?: ConnectionInfo; bdm?: BlockDeviceMapping } = {};
  const tasks: Task[] = [
    {
      name: 'attachment_create',
      execute: async () => {
        state.attachmentId = request.attachmentId ?? (await deps.volumes.attachmentCreate(ctx, volumeId, instance.uuid)).id;
      },
      // The caller's reservation is the caller's to delete.
      rollback: async () => {
        if (request.attachmentId === undefined && state.attachmentId !== undefined) await deps.volumes.attachmentDelete(ctx, state.attachmentId);
      },
    },
    {
      name: 'attachment_update',
      execute: async () => {
        const attachment = await deps.volumes.attachmentUpdate(ctx, required(state.attachmentId), { host: deps.host, mountpoint: device, mode: 'rw' });
        if (attachment.connectionInfo === null) {
          throw new InternalError('compute.volume_no_connection_info', `The volume service gave no connection info for volume ${volumeId} on host ${deps.host}.`, {
            details: { volume_id: volumeId, attachment_id: attachment.id, host: deps.host },
          });
        }
        state.connectionInfo = attachment.connectionInfo;
      },
      // Deleting the attachment (the step before, or the caller) closes the connection.
      rollback: async () => undefined,
    },
    {
      name: 'driver_attach_volume',
      execute: async () => {
        if (request.driverAttach === false) return;
        await deps.driver.attachVolume(instance.uuid, { volumeId, mountpoint: device, connectionInfo: required(state.connectionInfo) });
      },
      rollback: async () => {
        if (request.driverAttach !== false) await driverDetach(deps, log, instance.uuid, device);
      },
    },
    {
      name: 'attachment_complete',
      execute: () => deps.volumes.attachmentComplete(ctx, required(state.attachmentId)),
      // The volume's status follows its attachments; deleting the attachment makes it available again.
      rollback: async () => undefined,
    },
    {
      name: 'save_block_device_mapping',
      execute: async () => {
        const values = { attachment_id: required(state.attachmentId), connection_info: { ...required(state.connectionInfo) }, device_name: device };
        state.bdm = request.bdm === undefined
          ? await deps.bdms.create({
            instance_uuid: instance.uuid,
            source_type: 'volume',
            destination_type: 'volume',
            volume_id: volumeId,
            tag: request.tag ?? null,
            delete_on_termination: request.deleteOnTermination === true,
            ...values,
          })
          : await deps.bdms.update(request.bdm.uuid, values);
      },
      rollback: async () => undefined,
    },
  ];
  try {
    await runTasks(tasks, log);
  } catch (err) {
    log.error({ err, device }, 'volume attach failed; completed steps were undone');
    throw err;
  }
  log.info({ device, attachment_id: state.attachmentId, bdm_uuid: state.bdm?.uuid }, 'volume attached');
  return required(state.bdm);
}

/**
 * Detaches a volume from an instance on this host: the disk is disconnected from the guest, the
 * attachment is deleted (the volume becomes `available` when it was its last), and the block
 * device mapping is destroyed. If the attachment cannot be deleted, the disk is connected back,
 * so nothing changed. A retried detach finishes what a failed one left: a disk or attachment
 * already gone counts as detached.
 *
 * @returns the mapping that was destroyed.
 * @throws NotFoundError `compute.volume_not_attached` when the instance has no mapping of the volume.
 */
export function detachVolume(deps: VolumeAttachmentDeps, ctx: RequestContext, request: DetachVolumeRequest): Promise<BlockDeviceMapping> {
  return deps.locks.run(request.instanceUuid, () => detachLocked(deps, ctx, request));
}

async function detachLocked(deps: VolumeAttachmentDeps, ctx: RequestContext, request: DetachVolumeRequest): Promise<BlockDeviceMapping> {
  const { instanceUuid, volumeId } = request;
  const log = deps.logger.child({ request_id: ctx.requestId, instance_uuid: instanceUuid, volume_id: volumeId, host: deps.host });
  const bdm = await deps.bdms.findByVolume(instanceUuid, volumeId);
  if (bdm === undefined) {
    throw new NotFoundError('compute.volume_not_attached', `Volume ${volumeId} is not attached to instance ${instanceUuid}.`, {
      details: { instance_uuid: instanceUuid, volume_id: volumeId },
    });
  }
  const device = bdm.device_name;
  const connectionInfo = bdm.connection_info as ConnectionInfo | null;
  const tasks: Task[] = [
    {
      name: 'driver_detach_volume',
      execute: async () => {
        if (request.driverDetach !== false && device !== null) await driverDetach(deps, log, instanceUuid, device);
      },
      rollback: async () => {
        if (request.driverDetach === false || device === null) return;
        if (connectionInfo === null) {
          log.error({ device }, 'cannot connect the disk back: the mapping has no connection info');
          return;
        }
        await deps.driver.attachVolume(instanceUuid, { volumeId, mountpoint: device, connectionInfo });
      },
    },
    {
      name: 'attachment_delete',
      execute: async () => {
        if (bdm.attachment_id === null) return;
        try {
          await deps.volumes.attachmentDelete(ctx, bdm.attachment_id);
        } catch (err) {
          if (!(err instanceof TesseraError && err.code === 'volume.attachment_not_found')) throw err;
          log.warn({ attachment_id: bdm.attachment_id }, 'the attachment was already deleted');
        }
      },
      rollback: async () => undefined,
    },
  ];
  try {
    await runTasks(tasks, log);
    await deps.bdms.destroy(bdm.uuid);
  } catch (err) {
    log.error({ err, device, bdm_uuid: bdm.uuid }, 'volume detach failed');
    throw err;
  }
  log.info({ device, attachment_id: bdm.attachment_id, bdm_uuid: bdm.uuid }, 'volume detached');
  return bdm;
}

/** Disconnects a disk; one that is already gone (or a guest that is) is detached enough. */
async function driverDetach(deps: VolumeAttachmentDeps, log: Logger, instanceUuid: string, device: string): Promise<void> {
  try {
    await deps.driver.detachVolume(instanceUuid, device);
  } catch (err) {
    if (err instanceof TesseraError && (err.code === 'virt.disk_not_found' || err.code === 'virt.instance_not_found')) {
      log.warn({ device, reason: err.code }, 'the disk was already gone from the guest');
      return;
    }
    throw err;
  }
}

function required<T>(value: T | undefined): T {
  if (value === undefined) throw new InternalError('compute.attach_step_order', 'An attach step ran before the step it depends on.');
  return value;
}
