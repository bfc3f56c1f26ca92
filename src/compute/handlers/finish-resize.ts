import type { RequestContext } from '../../common/request-context.js';
import { MigrationStatus } from '../../objects/migration.js';
import { PowerState } from '../../objects/power-state.js';
import { TaskState } from '../../objects/task-state.js';
import { VmState } from '../../objects/vm-state.js';
import type { MoveArgs } from '../../rpc/contracts/compute-rpc.js';
import { DEFAULT_ROOT_DEVICE } from '../attachments/device-name.js';
import type { HandlerDeps } from '../handler-deps.js';
import { bindPortsHere, connectVolumesHere } from '../move/move-devices.js';
import { runMoveStep } from '../move/move-step.js';
import { notifyInstance } from '../notify-instance.js';

/**
 * The destination's last step of a move (Nova's finish_resize): binds the ports here, connects
 * the volumes here, builds the guest with the new flavor (powered off when the server was
 * stopped), and makes this host the instance's: VERIFY_RESIZE with the new flavor, migration
 * `finished`. A guest built here is destroyed again when a later part of the step fails.
 */
export function finishResize(deps: HandlerDeps, ctx: RequestContext, args: MoveArgs): Promise<void> {
  let built = false;
  return runMoveStep(deps, ctx, args, {
    event: 'compute_finish_resize',
    run: async ({ instance, migration, log }) => {
      const current = await deps.repos.instances.update(instance.uuid, { task_state: TaskState.RESIZE_FINISH }, { taskState: [TaskState.RESIZE_MIGRATED] });
      await notifyInstance(deps, ctx, instance.uuid, 'resize_finish', 'start');
      const flavor = current.new_flavor ?? current.flavor;
      const interfaces = await bindPortsHere(deps, ctx, instance.uuid);
      const volumes = await connectVolumesHere(deps, ctx, instance.uuid, log);
      const root = (await deps.repos.bdms.list(instance.uuid)).find((b) => b.boot_index === 0);
      const volumeBacked = root?.destination_type === 'volume';
      const powerOn = current.system_metadata['old_vm_state'] !== VmState.STOPPED;
      built = true;
      await deps.driver.finishMigration({
        uuid: instance.uuid,
        name: current.hostname,
        flavor,
        imageRef: volumeBacked ? null : current.image_ref === '' ? null : current.image_ref,
        powerOn,
        volumes,
        rootDevice: root?.device_name ?? DEFAULT_ROOT_DEVICE,
        interfaces,
      });
      await deps.repos.instances.update(
        instance.uuid,
        {
          host: deps.host, node: migration.dest_node ?? deps.host, flavor, vm_state: VmState.RESIZED, task_state: null,
          ...(args.availability_zone === undefined ? {} : { availability_zone: args.availability_zone }),
          power_state: powerOn ? PowerState.RUNNING : PowerState.SHUTDOWN, launched_at: deps.clock.now().toISOString(),
        },
        { taskState: [TaskState.RESIZE_FINISH] },
      );
      await deps.repos.migrations.update(migration.uuid, { status: MigrationStatus.FINISHED }, [MigrationStatus.POST_MIGRATING]);
      await deps.tracker.update();
      await notifyInstance(deps, ctx, instance.uuid, 'resize_finish', 'end');
    },
    undoHere: async ({ instance }) => {
      if (built) await deps.driver.destroy(instance.uuid);
    },
  });
}
