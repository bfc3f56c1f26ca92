import type { RequestContext } from '../../common/request-context.js';
import { MigrationStatus } from '../../objects/migration.js';
import { PowerState } from '../../objects/power-state.js';
import { TaskState } from '../../objects/task-state.js';
import { VmState } from '../../objects/vm-state.js';
import type { MoveArgs } from '../../rpc/contracts/compute-rpc.js';
import type { HandlerDeps } from '../handler-deps.js';
import { bindPortsHere, connectVolumesHere } from '../move/move-devices.js';
import { runMoveStep } from '../move/move-step.js';
import { notifyInstance } from '../notify-instance.js';

/**
 * The destination's half of a revert (Nova's revert_resize): destroys the guest the move built
 * here, puts the source allocation back on the instance's consumer (which replaces the claim made
 * here), and hands over to the source. A failure is handled as a failed move: the source takes the
 * instance back in ERROR.
 */
export function revertResize(deps: HandlerDeps, ctx: RequestContext, args: MoveArgs): Promise<void> {
  return runMoveStep(deps, ctx, args, {
    event: 'compute_revert_resize',
    run: async ({ instance, migration }) => {
      await notifyInstance(deps, ctx, instance.uuid, 'resize_revert', 'start');
      await deps.notifier.instanceExists(ctx, deps.repos, { instance, host: deps.host });
      await deps.driver.destroy(instance.uuid);
      await deps.placement.moveAllocations(migration.uuid, instance.uuid, { consumerType: 'INSTANCE' });
      await deps.compute.finishRevertResize(ctx, migration.source_compute ?? deps.host, args);
    },
  });
}

/**
 * The source's half of a revert (Nova's finish_revert_resize): connects the volumes and binds the
 * ports here again, brings the guest back from the disks set aside with its old flavor (running
 * unless the server was stopped), and makes this host the instance's again; migration `reverted`.
 */
export function finishRevertResize(deps: HandlerDeps, ctx: RequestContext, args: MoveArgs): Promise<void> {
  return runMoveStep(deps, ctx, args, {
    event: 'compute_finish_revert_resize',
    run: async ({ instance, migration, log }) => {
      await connectVolumesHere(deps, ctx, instance.uuid, log);
      await bindPortsHere(deps, ctx, instance.uuid);
      const powerOn = instance.system_metadata['old_vm_state'] !== VmState.STOPPED;
      await deps.driver.finishRevertMigration(instance.uuid, powerOn);
      await deps.repos.instances.update(
        instance.uuid,
        {
          host: deps.host, node: migration.source_node ?? deps.host, flavor: instance.old_flavor ?? instance.flavor, old_flavor: null, new_flavor: null,
          ...(args.availability_zone === undefined ? {} : { availability_zone: args.availability_zone }),
          vm_state: powerOn ? VmState.ACTIVE : VmState.STOPPED, task_state: null, power_state: powerOn ? PowerState.RUNNING : PowerState.SHUTDOWN,
        },
        { taskState: [TaskState.RESIZE_REVERTING] },
      );
      await deps.repos.migrations.update(migration.uuid, { status: MigrationStatus.REVERTED }, [MigrationStatus.REVERTING]);
      await deps.tracker.update();
      await notifyInstance(deps, ctx, instance.uuid, 'resize_revert', 'end');
      const dest = migration.dest_compute;
      if (dest !== null && dest !== deps.host) await deps.compute.updateResources(ctx, dest);
    },
  });
}
