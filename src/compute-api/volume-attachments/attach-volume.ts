import { BadRequestError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { BlockDeviceMapping } from '../../objects/block-device.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { attachmentTarget, startAttachmentAction } from '../servers/attachment-target.js';
import { checkShelvedMicroversion, VOLUME_ATTACHMENT_VM_STATES } from './volume-attachment-states.js';

export interface AttachVolumeRequest {
  volumeId: string;
  device?: string | null;
  tag?: string | null;
  deleteOnTermination?: boolean;
}

/**
 * POST /servers/{id}/os-volume_attachments, as Nova's compute API attaches a volume: checks the
 * server (policy, lock, state), the volume (visible to the caller, not attached to this server
 * already, multiattach only from 2.60), reserves the volume with an attachment that has no
 * connector yet, records the `attach_volume` action, and calls the server's compute to attach
 * it. If the compute fails, the reservation is deleted so that the volume is available again.
 *
 * @returns the volume's new block device mapping (its device name is what the API answers).
 * @throws NotFoundError for an unknown volume; BadRequestError `compute.invalid_volume` for a
 *   volume already attached to the server or one the volume service will not reserve;
 *   ConflictError for the server's state or a device in use.
 */
export async function attachVolumeToServer(deps: ComputeApiDeps, ctx: RequestContext, uuid: string, request: AttachVolumeRequest, minor: number): Promise<BlockDeviceMapping> {
  const target = await attachmentTarget(deps, ctx, uuid, { policy: 'os_compute_api:os-volumes-attachments:create', verb: 'attach_volume', vmStates: VOLUME_ATTACHMENT_VM_STATES });
  checkShelvedMicroversion(target, 'attach_volume', minor);
  const log = deps.logger.child({ request_id: ctx.requestId, instance_uuid: uuid, volume_id: request.volumeId, host: target.host });
  const volume = await deps.volumes.get(ctx, request.volumeId);
  if ((await target.repos.bdms.findByVolume(uuid, volume.id)) !== undefined) {
    throw new BadRequestError('compute.invalid_volume', `Invalid volume: volume ${volume.id} already attached`);
  }
  if (volume.multiattach && minor < 60) {
    throw new BadRequestError('compute.multiattach_old_microversion', 'Multiattach volumes are only supported starting with compute API version 2.60.');
  }
  const attachment = await deps.volumes.attachmentCreate(ctx, volume.id, uuid);
  try {
    await startAttachmentAction(target, ctx, 'attach_volume');
    const bdm = await deps.compute.attachVolume(ctx, target.host, {
      instance_uuid: uuid,
      volume_id: volume.id,
      attachment_id: attachment.id,
      device: request.device ?? null,
      tag: request.tag ?? null,
      delete_on_termination: request.deleteOnTermination === true,
    });
    log.info({ device: bdm.device_name, attachment_id: attachment.id }, 'volume attached to server');
    return bdm;
  } catch (err) {
    log.error({ err, attachment_id: attachment.id }, 'volume attach failed; deleting the reservation');
    await deps.volumes.attachmentDelete(ctx, attachment.id).catch((cleanupErr: unknown) => {
      log.error({ err: cleanupErr, attachment_id: attachment.id }, 'could not delete the reservation of a failed attach; the volume stays reserved');
    });
    throw err;
  }
}
