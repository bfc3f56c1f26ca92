import { BadRequestError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { attachmentTarget, startAttachmentAction } from '../servers/attachment-target.js';
import { notAttached } from './list-volume-attachments.js';
import { checkShelvedMicroversion, VOLUME_ATTACHMENT_VM_STATES } from './volume-attachment-states.js';

/**
 * DELETE /servers/{id}/os-volume_attachments/{volume_id}, as Nova detaches a volume: checks the
 * server (policy, lock, state), the volume (visible, attached to this server, not its root disk,
 * not already detached), records the `detach_volume` action, and calls the server's compute,
 * which disconnects it and deletes its attachment (the volume becomes available).
 *
 * @throws NotFoundError for an unknown volume or one not attached to the server;
 *   BadRequestError `compute.root_volume_detach` for the root disk, `compute.invalid_volume` for a
 *   volume already detached; ConflictError for the server's state.
 */
export async function detachVolumeFromServer(deps: ComputeApiDeps, ctx: RequestContext, uuid: string, volumeId: string, minor: number): Promise<void> {
  const target = await attachmentTarget(deps, ctx, uuid, { policy: 'os_compute_api:os-volumes-attachments:delete', verb: 'detach_volume', vmStates: VOLUME_ATTACHMENT_VM_STATES });
  checkShelvedMicroversion(target, 'detach_volume', minor);
  const volume = await deps.volumes.get(ctx, volumeId);
  const bdm = await target.repos.bdms.findByVolume(uuid, volume.id);
  if (bdm === undefined) throw notAttached(uuid, volume.id);
  if (bdm.boot_index === 0) throw new BadRequestError('compute.root_volume_detach', 'Cannot detach a root device volume');
  if (volume.status === 'available') throw new BadRequestError('compute.invalid_volume', `Invalid volume: volume ${volume.id} already detached`);
  await startAttachmentAction(target, ctx, 'detach_volume');
  await deps.compute.detachVolume(ctx, target.host, { instance_uuid: uuid, volume_id: volume.id });
  deps.logger.info({ request_id: ctx.requestId, instance_uuid: uuid, volume_id: volume.id, host: target.host, device: bdm.device_name }, 'volume detached from server');
}
