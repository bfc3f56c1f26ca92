import type { RequestContext } from '../../common/request-context.js';
import type { InstanceArgs } from '../../rpc/contracts/compute-rpc.js';
import { VmState } from '../../objects/vm-state.js';
import type { HandlerDeps } from '../handler-deps.js';
import { withInstanceEvent } from '../instance-event.js';
import { recordFailure } from '../record-failure.js';

/**
 * Destroys the guest and soft-deletes the instance. When the driver fails, the instance goes to
 * ERROR with a fault so that the user can retry the delete.
 */
export async function terminateInstance(deps: HandlerDeps, ctx: RequestContext, args: InstanceArgs): Promise<void> {
  const log = deps.logger.child({ request_id: ctx.requestId, instance_uuid: args.instance_uuid, host: deps.host });
  try {
    await withInstanceEvent({ actions: deps.repos.actions, clock: deps.clock, host: deps.host }, ctx, args.instance_uuid, 'compute_terminate_instance', async () => {
      await deps.driver.destroy(args.instance_uuid);
    });
    // Allocation first: if placement fails, the instance stays (in ERROR) and a retried delete
    // releases it, rather than a deleted instance leaving an allocation behind.
    await deps.placement.deleteAllocations(args.instance_uuid);
    await deps.repos.instances.softDelete(args.instance_uuid);
    log.info('instance deleted');
  } catch (err) {
    log.error({ err }, 'delete failed');
    await recordFailure(deps, log, args.instance_uuid, err, { vm_state: VmState.ERROR, task_state: null });
  } finally {
    await deps.tracker.update().catch((e: unknown) => log.error({ err: e }, 'resource update failed'));
  }
}
