import { elevated, type RequestContext } from '../../common/request-context.js';
import { MigrationStatus } from '../../objects/migration.js';
import { PowerState } from '../../objects/power-state.js';
import { TaskState } from '../../objects/task-state.js';
import { VmState } from '../../objects/vm-state.js';
import type { MoveArgs, SnapshotMoveArgs } from '../../rpc/contracts/compute-rpc.js';
import type { HandlerDeps } from '../handler-deps.js';
import type { GuestVolume } from '../../virt/index.js';
import { withInstanceEvent } from '../instance-event.js';
import { bindPortsHere, connectVolumesHere } from '../move/move-devices.js';
import { notifyInstance } from '../notify-instance.js';
import { lifecycleLock } from './build-and-run-instance.js';
import { ignoreNotFound } from '../../common/ignore-not-found.js';

/**
 * The source's step of a cross-cell move (Nova's prep_snapshot_based_resize_at_source): remember
 * whether the server ran, power the guest off, snapshot an image-backed guest into the temporary
 * image the conductor made, and set the disks aside (the guest is no longer defined here; confirm
 * drops the disks, a revert or a failure brings the guest back from them). The volumes' source
 * attachments and the ports' source bindings stay until the move is confirmed. Errors go back to
 * the conductor, which undoes the flow.
 */
export function prepSnapshotBasedResizeAtSource(deps: HandlerDeps, ctx: RequestContext, args: SnapshotMoveArgs): Promise<void> {
  return deps.locks.run(lifecycleLock(args.instance_uuid), () =>
    withInstanceEvent({ actions: deps.repos.actions, clock: deps.clock, host: deps.host }, ctx, args.instance_uuid, 'compute_prep_snapshot_based_resize_at_source', async () => {
      const instance = await deps.repos.instances.get(args.instance_uuid);
      await deps.repos.migrations.update(args.migration_uuid, { status: MigrationStatus.MIGRATING }, [MigrationStatus.PRE_MIGRATING]);
      await deps.repos.instances.update(
        instance.uuid,
        { task_state: TaskState.RESIZE_MIGRATING, system_metadata: { ...instance.system_metadata, old_vm_state: instance.vm_state } },
        { taskState: [TaskState.RESIZE_PREP] },
      );
      await notifyInstance(deps, ctx, instance.uuid, 'resize', 'start');
      await deps.driver.powerOff(instance.uuid);
      if (args.snapshot_id !== null) {
        const admin = elevated(ctx);
        const snapshot = await deps.driver.snapshot(instance.uuid, args.snapshot_id);
        await deps.images.update(admin, args.snapshot_id, [
          { op: 'add', path: 'disk_format', value: snapshot.diskFormat },
          { op: 'add', path: 'container_format', value: snapshot.containerFormat },
        ]);
        await deps.images.upload(admin, args.snapshot_id, snapshot.data);
      }
      await deps.driver.migrateDiskAndPowerOff(instance.uuid);
      await deps.repos.migrations.update(args.migration_uuid, { status: MigrationStatus.POST_MIGRATING }, [MigrationStatus.MIGRATING]);
      await deps.repos.instances.update(instance.uuid, { task_state: TaskState.RESIZE_MIGRATED, power_state: PowerState.SHUTDOWN }, { taskState: [TaskState.RESIZE_MIGRATING] });
      await notifyInstance(deps, ctx, instance.uuid, 'resize', 'end');
    }),
  );
}

/**
 * The source's part of a cross-cell confirm (Nova's confirm_snapshot_based_resize_at_source):
 * drop the disks set aside here, the volumes' attachments to this host and the ports' bindings to
 * it. The conductor then deletes the source cell's records of the instance.
 */
export function confirmSnapshotBasedResizeAtSource(deps: HandlerDeps, ctx: RequestContext, args: MoveArgs): Promise<void> {
  return deps.locks.run(lifecycleLock(args.instance_uuid), async () => {
    const admin = elevated(ctx);
    await deps.driver.confirmMigration(args.instance_uuid);
    for (const bdm of await deps.repos.bdms.list(args.instance_uuid)) {
      if (bdm.volume_id === null) continue;
      for (const a of await deps.volumes.attachmentList(ctx, { instanceUuid: args.instance_uuid, volumeId: bdm.volume_id })) {
        if (a.host === deps.host) await ignoreNotFound(deps.volumes.attachmentDelete(ctx, a.id));
      }
    }
    for (const vif of await deps.repos.vifs.list(args.instance_uuid)) {
      const bindings = await deps.network.listPortBindings(admin, vif.uuid);
      if (bindings.some((b) => b.host === deps.host && b.status !== 'ACTIVE')) await ignoreNotFound(deps.network.deletePortBinding(admin, vif.uuid, deps.host));
    }
    await deps.tracker.update();
  });
}

/**
 * The source's last part of a cross-cell revert (Nova's finish_revert_snapshot_based_resize_at_source):
 * ports bound and volumes connected here again, the guest brought back with its old flavor
 * (running unless it was stopped), the source allocation moved back onto the instance (which drops
 * the destination's claim), migration `reverted`.
 */
export function finishRevertSnapshotBasedResizeAtSource(deps: HandlerDeps, ctx: RequestContext, args: MoveArgs): Promise<void> {
  return deps.locks.run(lifecycleLock(args.instance_uuid), () =>
    withInstanceEvent({ actions: deps.repos.actions, clock: deps.clock, host: deps.host }, ctx, args.instance_uuid, 'compute_finish_revert_snapshot_based_resize_at_source', async () => {
      const instance = await deps.repos.instances.get(args.instance_uuid);
      const migration = await deps.repos.migrations.get(args.migration_uuid);
      await bindPortsHere(deps, ctx, instance.uuid);
      const volumes = await connectVolumesHere(deps, ctx, instance.uuid, deps.logger, { keepOthers: true });
      const powerOn = instance.system_metadata['old_vm_state'] !== VmState.STOPPED;
      await deps.driver.finishRevertMigration(instance.uuid, powerOn);
      await matchGuestVolumes(deps, instance.uuid, volumes);
      await deps.placement.moveAllocations(migration.uuid, instance.uuid, { consumerType: 'INSTANCE' });
      await deps.repos.instances.update(instance.uuid, {
        host: deps.host, node: migration.source_node ?? deps.host, flavor: instance.old_flavor ?? instance.flavor, old_flavor: null, new_flavor: null,
        ...(args.availability_zone === undefined ? {} : { availability_zone: args.availability_zone }),
        vm_state: powerOn ? VmState.ACTIVE : VmState.STOPPED, task_state: null, power_state: powerOn ? PowerState.RUNNING : PowerState.SHUTDOWN,
      });
      await deps.repos.migrations.update(migration.uuid, { status: MigrationStatus.REVERTED });
      await deps.tracker.update();
      await notifyInstance(deps, ctx, instance.uuid, 'resize_revert', 'end');
    }),
  );
}

/**
 * The guest brought back has the disks it had when it left; volumes attached or detached while it
 * was away are plugged in or out so that it has exactly the instance's volumes.
 */
async function matchGuestVolumes(deps: HandlerDeps, uuid: string, volumes: GuestVolume[]): Promise<void> {
  const guest = deps.driver.guestVolumes === undefined ? undefined : await deps.driver.guestVolumes(uuid);
  if (guest === undefined) return;
  for (const v of guest) if (!volumes.some((w) => w.volumeId === v.volumeId)) await deps.driver.detachVolume(uuid, v.mountpoint);
  for (const v of volumes) if (!guest.some((g) => g.volumeId === v.volumeId)) await deps.driver.attachVolume(uuid, v);
}
