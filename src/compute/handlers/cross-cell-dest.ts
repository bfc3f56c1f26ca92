import type { RequestContext } from '../../common/request-context.js';
import { MigrationStatus } from '../../objects/migration.js';
import { PowerState } from '../../objects/power-state.js';
import { TaskState } from '../../objects/task-state.js';
import { VmState } from '../../objects/vm-state.js';
import type { MoveArgs, SnapshotMoveArgs } from '../../rpc/contracts/compute-rpc.js';
import { DEFAULT_ROOT_DEVICE } from '../attachments/device-name.js';
import type { HandlerDeps } from '../handler-deps.js';
import { withInstanceEvent } from '../instance-event.js';
import { bindPortsHere, connectVolumesHere } from '../move/move-devices.js';
import { notifyInstance } from '../notify-instance.js';
import { lifecycleLock } from './build-and-run-instance.js';
import { ignoreNotFound } from '../../common/ignore-not-found.js';

/**
 * The destination's step of a cross-cell move (Nova's finish_snapshot_based_resize_at_dest), on
 * the hidden copy of the instance in this cell: activate the port bindings made for this host,
 * connect the attachments reserved for it, build the guest with the new flavor from the snapshot
 * (image-backed) or the volumes, left off when the server was stopped; VERIFY_RESIZE, migration
 * `finished`. A guest built here is destroyed again when a later part fails; the rest is the
 * conductor's to undo.
 */
export function finishSnapshotBasedResizeAtDest(deps: HandlerDeps, ctx: RequestContext, args: SnapshotMoveArgs): Promise<void> {
  return deps.locks.run(lifecycleLock(args.instance_uuid), () =>
    withInstanceEvent({ actions: deps.repos.actions, clock: deps.clock, host: deps.host }, ctx, args.instance_uuid, 'compute_finish_snapshot_based_resize_at_dest', async () => {
      const instance = await deps.repos.instances.update(args.instance_uuid, { task_state: TaskState.RESIZE_FINISH }, { taskState: [TaskState.RESIZE_MIGRATED] });
      const migration = await deps.repos.migrations.get(args.migration_uuid);
      await notifyInstance(deps, ctx, instance.uuid, 'resize_finish', 'start');
      const flavor = instance.new_flavor ?? instance.flavor;
      const interfaces = await bindPortsHere(deps, ctx, instance.uuid);
      const volumes = await connectVolumesHere(deps, ctx, instance.uuid, deps.logger, { keepOthers: true });
      const root = (await deps.repos.bdms.list(instance.uuid)).find((b) => b.boot_index === 0);
      const powerOn = instance.system_metadata['old_vm_state'] !== VmState.STOPPED;
      let built = false;
      try {
        built = true;
        await deps.driver.finishMigration({
          uuid: instance.uuid, name: instance.hostname, flavor, imageRef: root?.destination_type === 'volume' ? null : args.snapshot_id, powerOn, volumes,
          rootDevice: root?.device_name ?? DEFAULT_ROOT_DEVICE, interfaces,
        });
        await deps.repos.instances.update(instance.uuid, {
          host: deps.host, node: migration.dest_node ?? deps.host, flavor, vm_state: VmState.RESIZED, task_state: null,
          ...(args.availability_zone === undefined ? {} : { availability_zone: args.availability_zone }),
          power_state: powerOn ? PowerState.RUNNING : PowerState.SHUTDOWN, launched_at: deps.clock.now().toISOString(),
        });
        await deps.repos.migrations.update(migration.uuid, { status: MigrationStatus.FINISHED });
      } catch (err) {
        if (built) await deps.driver.destroy(instance.uuid).catch((e: unknown) => deps.logger.error({ err: e, instance_uuid: instance.uuid }, 'could not destroy the guest of a failed move'));
        throw err;
      }
      await deps.tracker.update();
      await notifyInstance(deps, ctx, instance.uuid, 'resize_finish', 'end');
    }),
  );
}

/**
 * The destination's part of a cross-cell revert (Nova's revert_snapshot_based_resize_at_dest):
 * destroy the guest built here and drop the volumes' attachments to this host; the conductor then
 * moves the instance back to the source cell.
 */
export function revertSnapshotBasedResizeAtDest(deps: HandlerDeps, ctx: RequestContext, args: MoveArgs): Promise<void> {
  return deps.locks.run(lifecycleLock(args.instance_uuid), async () => {
    const instance = await deps.repos.instances.get(args.instance_uuid);
    await notifyInstance(deps, ctx, instance.uuid, 'resize_revert', 'start');
    await deps.notifier.instanceExists(ctx, deps.repos, { instance, host: deps.host });
    await deps.driver.destroy(instance.uuid);
    for (const bdm of await deps.repos.bdms.list(instance.uuid)) {
      if (bdm.volume_id === null) continue;
      for (const a of await deps.volumes.attachmentList(ctx, { instanceUuid: instance.uuid, volumeId: bdm.volume_id })) {
        if (a.host === deps.host || a.id === bdm.attachment_id) await ignoreNotFound(deps.volumes.attachmentDelete(ctx, a.id));
      }
    }
  });
}
