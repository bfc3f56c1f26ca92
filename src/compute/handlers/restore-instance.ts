import type { RequestContext } from '../../common/request-context.js';
import { PowerState } from '../../objects/power-state.js';
import { TaskState } from '../../objects/task-state.js';
import { VmState } from '../../objects/vm-state.js';
import type { InstanceArgs } from '../../rpc/contracts/compute-rpc.js';
import type { HandlerDeps } from '../handler-deps.js';
import { lifecycleLock } from './build-and-run-instance.js';
import { powerOperation } from './power-handlers.js';

/**
 * Restores a soft-deleted server (Nova's restore_instance): powers the guest on and makes the
 * server ACTIVE again. It never left its host, so nothing else is to be set up again.
 */
export function restoreInstance(deps: HandlerDeps, ctx: RequestContext, args: InstanceArgs): Promise<void> {
  return deps.locks.run(lifecycleLock(args.instance_uuid), () =>
    powerOperation(deps, ctx, args.instance_uuid, 'compute_restore_instance', [TaskState.RESTORING], () => deps.driver.powerOn(args.instance_uuid), {
      vm_state: VmState.ACTIVE,
      power_state: PowerState.RUNNING,
    }, 'restore'),
  );
}
