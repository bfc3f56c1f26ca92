import type { Logger } from '../../common/logger.js';
import { BadRequestError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { InstanceArgs } from '../../rpc/contracts/compute-rpc.js';
import { MigrationStatus, OPEN_MIGRATION_STATUSES } from '../../objects/migration.js';
import { VmState } from '../../objects/vm-state.js';
import { releasePorts } from '../attachments/release-attachments.js';
import { detachVolume } from '../attachments/volume-attachment.js';
import { portDepsOf, volumeDepsOf } from '../build/attachment-deps.js';
import { lifecycleLock } from './build-and-run-instance.js';
import type { HandlerDeps } from '../handler-deps.js';
import { withInstanceEvent } from '../instance-event.js';
import { notifyInstance } from '../notify-instance.js';
import { recordFailure } from '../record-failure.js';
import { ignoreNotFound } from '../../common/ignore-not-found.js';

/**
 * Destroys the guest, releases what the instance holds and soft-deletes it, as Nova's
 * _shutdown_instance and _cleanup_volumes: its ports (deleted when Nova created them, unbound
 * when the user brought them), its volumes (attachments deleted, volumes marked
 * delete_on_termination deleted), its allocation in placement. When a step fails, the instance
 * goes to ERROR with a fault and keeps on record what is still to release, so that the user can
 * retry the delete.
 */
export function terminateInstance(deps: HandlerDeps, ctx: RequestContext, args: InstanceArgs): Promise<void> {
  // A build in progress on this host finishes (or fails and undoes itself) first.
  return deps.locks.run(lifecycleLock(args.instance_uuid), () => terminate(deps, ctx, args));
}

async function terminate(deps: HandlerDeps, ctx: RequestContext, args: InstanceArgs): Promise<void> {
  const log = deps.logger.child({ request_id: ctx.requestId, instance_uuid: args.instance_uuid, host: deps.host });
  try {
    await withInstanceEvent({ actions: deps.repos.actions, clock: deps.clock, host: deps.host }, ctx, args.instance_uuid, 'compute_terminate_instance', async () => {
      await notifyInstance(deps, ctx, args.instance_uuid, 'delete', 'start');
      // Nova's _shutdown_instance: the guest and what connects it to ports and volumes.
      await notifyInstance(deps, ctx, args.instance_uuid, 'shutdown', 'start');
      await deps.driver.destroy(args.instance_uuid);
      await releasePorts(portDepsOf(deps), ctx, args.instance_uuid, { driverDetach: false });
      await releaseVolumes(deps, ctx, args.instance_uuid, log);
      await notifyInstance(deps, ctx, args.instance_uuid, 'shutdown', 'end');
    });
    // Allocation first: if placement fails, the instance stays (in ERROR) and a retried delete
    // releases it, rather than a deleted instance leaving an allocation behind.
    await deps.placement.deleteAllocations(args.instance_uuid);
    await dropOpenMoves(deps, args.instance_uuid, log);
    await deps.repos.instances.softDelete(args.instance_uuid);
    await notifyInstance(deps, ctx, args.instance_uuid, 'delete', 'end');
    log.info('instance deleted');
  } catch (err) {
    log.error({ err }, 'delete failed');
    await recordFailure(deps, log, args.instance_uuid, err, { vm_state: VmState.ERROR, task_state: null });
  } finally {
    await deps.tracker.update().catch((e: unknown) => log.error({ err: e }, 'resource update failed'));
  }
}

/**
 * A server deleted in the middle of a move (or after a move that failed) leaves no allocation
 * behind: every migration's consumer is dropped from placement, an open migration is marked
 * `error`, and disks a move set aside on this host are dropped too.
 */
async function dropOpenMoves(deps: HandlerDeps, instanceUuid: string, log: Logger): Promise<void> {
  // Every migration of the instance, whatever its status: one that failed may still hold its
  // consumer's allocation, and nothing else would release it (deleting none is harmless).
  for (const m of await deps.repos.migrations.list({ instanceUuid, includeHidden: true })) {
    await deps.placement.deleteAllocations(m.uuid);
    if (!OPEN_MIGRATION_STATUSES.includes(m.status)) continue;
    await deps.repos.migrations.update(m.uuid, { status: MigrationStatus.ERROR });
    if (m.source_compute === deps.host) await deps.driver.confirmMigration(instanceUuid);
    log.info({ migration_uuid: m.uuid, status: m.status }, 'open move of the deleted instance dropped');
  }
}

/**
 * Detaches every volume of the deleted instance (the guest is gone, so only the attachment) and
 * deletes those marked delete_on_termination. A volume the volume service refuses to delete (in
 * use by another server, which took it after a failed build released it) is logged and kept, as
 * Nova does; any other failure stops the delete, and the mapping stays until its volume is gone
 * so that a retried delete finishes.
 */
async function releaseVolumes(deps: HandlerDeps, ctx: RequestContext, instanceUuid: string, log: Logger): Promise<void> {
  for (const bdm of (await deps.repos.bdms.list(instanceUuid)).reverse()) {
    if (bdm.volume_id === null) continue;
    if (!bdm.delete_on_termination) {
      await detachVolume(volumeDepsOf(deps), ctx, { instanceUuid, volumeId: bdm.volume_id, driverDetach: false });
      continue;
    }
    if (bdm.attachment_id !== null) {
      await ignoreNotFound(deps.volumes.attachmentDelete(ctx, bdm.attachment_id));
      await deps.repos.bdms.update(bdm.uuid, { attachment_id: null, connection_info: null });
    }
    try {
      await ignoreNotFound(deps.volumes.delete(ctx, bdm.volume_id));
      log.info({ volume_id: bdm.volume_id }, 'volume deleted with the instance (delete_on_termination)');
    } catch (err) {
      if (!(err instanceof BadRequestError)) throw err;
      log.warn({ err, volume_id: bdm.volume_id }, 'the volume service refused to delete a delete_on_termination volume; it is kept');
    }
    await deps.repos.bdms.destroy(bdm.uuid);
  }
}
