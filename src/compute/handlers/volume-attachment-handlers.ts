import type { RequestContext } from '../../common/request-context.js';
import type { BlockDeviceMapping } from '../../objects/block-device.js';
import type { AttachVolumeArgs, DetachVolumeArgs } from '../../rpc/contracts/compute-rpc.js';
import { attachVolume, detachVolume, type VolumeAttachmentDeps } from '../attachments/volume-attachment.js';
import type { HandlerDeps } from '../handler-deps.js';
import { withInstanceEvent } from '../instance-event.js';
import { recordFailure } from '../record-failure.js';

function volumeDeps(deps: HandlerDeps): VolumeAttachmentDeps {
  return { host: deps.host, bdms: deps.repos.bdms, volumes: deps.volumes, driver: deps.driver, locks: deps.locks, logger: deps.logger };
}

/**
 * `attach_volume` (a call): attaches the volume the API reserved and answers with its block
 * device mapping. The step is recorded as the event `compute_attach_volume`; a failure is
 * undone, recorded as an instance fault (the instance's state does not change, as in Nova), and
 * returned to the API, which deletes its reservation.
 */
export async function attachVolumeHandler(deps: HandlerDeps, ctx: RequestContext, args: AttachVolumeArgs): Promise<BlockDeviceMapping> {
  const uuid = args.instance_uuid;
  const log = deps.logger.child({ request_id: ctx.requestId, instance_uuid: uuid, volume_id: args.volume_id, host: deps.host });
  try {
    const instance = await deps.repos.instances.get(uuid);
    return await withInstanceEvent({ actions: deps.repos.actions, clock: deps.clock, host: deps.host }, ctx, uuid, 'compute_attach_volume', () =>
      attachVolume(volumeDeps(deps), ctx, {
        instance,
        volumeId: args.volume_id,
        attachmentId: args.attachment_id,
        device: args.device,
        tag: args.tag,
        deleteOnTermination: args.delete_on_termination,
      }),
    );
  } catch (err) {
    await recordFailure(deps, log, uuid, err, {});
    throw err;
  }
}

/** `detach_volume` (a call): detaches the volume; event `compute_detach_volume`, a fault on failure. */
export async function detachVolumeHandler(deps: HandlerDeps, ctx: RequestContext, args: DetachVolumeArgs): Promise<void> {
  const uuid = args.instance_uuid;
  const log = deps.logger.child({ request_id: ctx.requestId, instance_uuid: uuid, volume_id: args.volume_id, host: deps.host });
  try {
    await withInstanceEvent({ actions: deps.repos.actions, clock: deps.clock, host: deps.host }, ctx, uuid, 'compute_detach_volume', async () => {
      await detachVolume(volumeDeps(deps), ctx, { instanceUuid: uuid, volumeId: args.volume_id });
    });
  } catch (err) {
    await recordFailure(deps, log, uuid, err, {});
    throw err;
  }
}
