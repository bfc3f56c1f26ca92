import type { RequestContext } from '../../common/request-context.js';
import { MigrationStatus } from '../../objects/migration.js';
import { PowerState } from '../../objects/power-state.js';
import { VmState } from '../../objects/vm-state.js';
import type { MoveArgs } from '../../rpc/contracts/compute-rpc.js';
import type { HandlerDeps } from '../handler-deps.js';
import { lifecycleLock } from './build-and-run-instance.js';
import { withInstanceEvent } from '../instance-event.js';
import { notifyInstance } from '../notify-instance.js';
import { recordFailure } from '../record-failure.js';

/**
 * Confirms a move on its source (Nova's confirm_resize): drops the disks the move set aside here
 * and the source allocation the migration's consumer held, and settles the server on its new host
 * (ACTIVE, or SHUTOFF when its guest is off). On failure the server goes to ERROR with a fault and
 * the migration to `error`; the migration's allocation is dropped all the same, since nothing
 * will use it again and the tracker no longer counts an errored migration.
 */
export function confirmResize(deps: HandlerDeps, ctx: RequestContext, args: MoveArgs): Promise<void> {
  return deps.locks.run(lifecycleLock(args.instance_uuid), async () => {
    const log = deps.logger.child({ request_id: ctx.requestId, instance_uuid: args.instance_uuid, migration_uuid: args.migration_uuid, host: deps.host });
    try {
      await withInstanceEvent({ actions: deps.repos.actions, clock: deps.clock, host: deps.host }, ctx, args.instance_uuid, 'compute_confirm_resize', async () => {
        await notifyInstance(deps, ctx, args.instance_uuid, 'resize_confirm', 'start');
        await deps.driver.confirmMigration(args.instance_uuid);
        await deps.placement.deleteAllocations(args.migration_uuid);
        await deps.repos.migrations.update(args.migration_uuid, { status: MigrationStatus.CONFIRMED }, [MigrationStatus.CONFIRMING]);
        const instance = await deps.repos.instances.get(args.instance_uuid);
        await deps.repos.instances.update(
          args.instance_uuid,
          { vm_state: instance.power_state === PowerState.SHUTDOWN ? VmState.STOPPED : VmState.ACTIVE, task_state: null, old_flavor: null, new_flavor: null },
          { vmState: [VmState.RESIZED] },
        );
      });
      await notifyInstance(deps, ctx, args.instance_uuid, 'resize_confirm', 'end');
      log.info('resize confirmed');
    } catch (err) {
      log.error({ err }, 'confirming the resize failed');
      await deps.placement.deleteAllocations(args.migration_uuid).catch((e: unknown) => log.error({ err: e }, 'could not drop the migration allocation'));
      await deps.repos.migrations.update(args.migration_uuid, { status: MigrationStatus.ERROR }).catch((e: unknown) => log.error({ err: e }, 'could not mark the migration failed'));
      await recordFailure(deps, log, args.instance_uuid, err, { vm_state: VmState.ERROR, task_state: null });
    } finally {
      await deps.tracker.update().catch((e: unknown) => log.error({ err: e }, 'resource update failed'));
    }
  });
}
