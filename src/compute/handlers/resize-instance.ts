import type { RequestContext } from '../../common/request-context.js';
import { MigrationStatus } from '../../objects/migration.js';
import { PowerState } from '../../objects/power-state.js';
import { TaskState } from '../../objects/task-state.js';
import type { MoveArgs } from '../../rpc/contracts/compute-rpc.js';
import type { HandlerDeps } from '../handler-deps.js';
import { runMoveStep } from '../move/move-step.js';
import { notifyInstance } from '../notify-instance.js';

/**
 * The source's step of a move (Nova's resize_instance): remembers whether the server was running
 * (a stopped server stays stopped), powers the guest off and sets its disks aside, then hands over
 * to the destination. The volumes keep their attachment until the destination connects its own.
 */
export function resizeInstance(deps: HandlerDeps, ctx: RequestContext, args: MoveArgs): Promise<void> {
  return runMoveStep(deps, ctx, args, {
    event: 'compute_resize_instance',
    run: async ({ instance, migration }) => {
      await deps.repos.migrations.update(migration.uuid, { status: MigrationStatus.MIGRATING }, [MigrationStatus.PRE_MIGRATING]);
      await deps.repos.instances.update(
        instance.uuid,
        { task_state: TaskState.RESIZE_MIGRATING, progress: 0, system_metadata: { ...instance.system_metadata, old_vm_state: instance.vm_state } },
        { taskState: [TaskState.RESIZE_PREP] },
      );
      await notifyInstance(deps, ctx, instance.uuid, 'resize', 'start');
      await deps.driver.migrateDiskAndPowerOff(instance.uuid);
      await deps.repos.migrations.update(migration.uuid, { status: MigrationStatus.POST_MIGRATING }, [MigrationStatus.MIGRATING]);
      await deps.repos.instances.update(instance.uuid, { task_state: TaskState.RESIZE_MIGRATED, power_state: PowerState.SHUTDOWN }, { taskState: [TaskState.RESIZE_MIGRATING] });
      await notifyInstance(deps, ctx, instance.uuid, 'resize', 'end');
      await deps.compute.finishResize(ctx, migration.dest_compute ?? deps.host, args);
    },
  });
}
