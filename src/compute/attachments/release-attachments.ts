import type { RequestContext } from '../../common/request-context.js';
import { detachPort, type PortAttachmentDeps } from './port-attachment.js';
import { detachVolume, type VolumeAttachmentDeps } from './volume-attachment.js';

export interface ReleaseOptions {
  /** False once the guest is destroyed (instance deletion): only the services and rows are cleaned; default true. */
  driverDetach?: boolean;
}

/**
 * Detaches every volume of an instance, as Nova's compute does when it deletes one: each volume's
 * attachment is deleted (the volume becomes available) and its mapping destroyed, and a volume
 * whose mapping says `delete_on_termination` is then deleted. Every volume is tried even when one
 * fails; a volume that cannot be deleted is logged and left (as Nova does), a failed detach is
 * rethrown at the end (the first one), so that a retried deletion can finish.
 *
 * @example
 * await driver.destroy(instance.uuid);
 * await releaseVolumes(volumeDeps, ctx, instance.uuid, { driverDetach: false });
 */
export async function releaseVolumes(deps: VolumeAttachmentDeps, ctx: RequestContext, instanceUuid: string, options: ReleaseOptions = {}): Promise<void> {
  const log = deps.logger.child({ request_id: ctx.requestId, instance_uuid: instanceUuid, host: deps.host });
  const failures: unknown[] = [];
  for (const bdm of await deps.bdms.list(instanceUuid)) {
    if (bdm.volume_id === null || bdm.destination_type !== 'volume') continue;
    try {
      await detachVolume(deps, ctx, { instanceUuid, volumeId: bdm.volume_id, ...(options.driverDetach === undefined ? {} : { driverDetach: options.driverDetach }) });
    } catch (err) {
      failures.push(err);
      continue;
    }
    if (!bdm.delete_on_termination) continue;
    try {
      await deps.volumes.delete(ctx, bdm.volume_id);
      log.info({ volume_id: bdm.volume_id }, 'volume deleted with its instance (delete_on_termination)');
    } catch (err) {
      log.warn({ err, volume_id: bdm.volume_id }, 'could not delete a volume marked delete_on_termination; it is left available');
    }
  }
  if (failures.length > 0) throw failures[0];
}

/**
 * Releases every port of an instance, as Nova's deallocate_for_instance: ports the compute created
 * are deleted, the user's ports unbound and kept, interfaces and network info cache entries
 * dropped. Every port is tried even when one fails; the first failure is rethrown at the end.
 */
export async function releasePorts(deps: PortAttachmentDeps, ctx: RequestContext, instanceUuid: string, options: ReleaseOptions = {}): Promise<void> {
  const failures: unknown[] = [];
  for (const vif of await deps.vifs.list(instanceUuid)) {
    try {
      await detachPort(deps, ctx, { instanceUuid, portId: vif.uuid, ...(options.driverDetach === undefined ? {} : { driverDetach: options.driverDetach }) });
    } catch (err) {
      failures.push(err);
    }
  }
  if (failures.length > 0) throw failures[0];
}
