import type { RequestContext } from '../../common/request-context.js';
import { PowerState } from '../../objects/power-state.js';
import { TaskState } from '../../objects/task-state.js';
import { VmState } from '../../objects/vm-state.js';
import type { InstanceArgs } from '../../rpc/contracts/compute-rpc.js';
import type { HandlerDeps } from '../handler-deps.js';
import { lifecycleLock } from './build-and-run-instance.js';
import { powerOperation } from './power-handlers.js';

/**
 * Soft-deletes a server (Nova's soft_delete_instance, for `reclaim_instance_interval` > 0): the
 * guest is powered off and the server goes to vm_state soft-delete. It keeps its host, its
 * resources and its allocation, its ports and volumes, so that a restore brings it back as it was;
 * the reclaim periodic task or a forceDelete deletes it for good. On failure the task_state is
 * cleared and a fault recorded, as for any power operation.
 */
export function softDeleteInstance(deps: HandlerDeps, ctx: RequestContext, args: InstanceArgs): Promise<void> {
  return deps.locks.run(lifecycleLock(args.instance_uuid), () =>
    powerOperation(deps, ctx, args.instance_uuid, 'compute_soft_delete_instance', [TaskState.SOFT_DELETING], () => deps.driver.powerOff(args.instance_uuid), {
      vm_state: VmState.SOFT_DELETED,
      power_state: PowerState.SHUTDOWN,
    }, 'soft_delete'),
  );
}
