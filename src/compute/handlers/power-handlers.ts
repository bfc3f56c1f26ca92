import type { RequestContext } from '../../common/request-context.js';
import type { InstanceActionName } from '../../notifications/index.js';
import { PowerState } from '../../objects/power-state.js';
import { TaskState } from '../../objects/task-state.js';
import { VmState } from '../../objects/vm-state.js';
import type { InstanceArgs, RebootArgs } from '../../rpc/contracts/compute-rpc.js';
import type { HandlerDeps } from '../handler-deps.js';
import { withInstanceEvent } from '../instance-event.js';
import { notifyInstance } from '../notify-instance.js';
import { recordFailure } from '../record-failure.js';

/**
 * Runs a power operation that the API already marked with `expected` task_state. On failure the
 * task_state is cleared (the instance stays as it was) and a fault is recorded. Notifies
 * `instance.<action>.start` and `.end`; only a reboot also notifies `.error`, as in Nova.
 */
export async function powerOperation(
  deps: HandlerDeps,
  ctx: RequestContext,
  uuid: string,
  event: string,
  expected: string[],
  operate: () => Promise<void>,
  after: { vm_state: string; power_state: number },
  action: InstanceActionName,
): Promise<void> {
  const log = deps.logger.child({ request_id: ctx.requestId, instance_uuid: uuid, host: deps.host });
  try {
    await withInstanceEvent({ actions: deps.repos.actions, clock: deps.clock, host: deps.host }, ctx, uuid, event, async () => {
      await notifyInstance(deps, ctx, uuid, action, 'start');
      await operate();
      await deps.repos.instances.update(uuid, { ...after, task_state: null }, { taskState: expected });
    });
    await notifyInstance(deps, ctx, uuid, action, 'end');
    log.info({ event }, 'power operation done');
  } catch (err) {
    log.error({ err, event }, 'power operation failed');
    const info = await deps.driver.getInfo(uuid).catch(() => ({ power_state: PowerState.NOSTATE }));
    await recordFailure(deps, log, uuid, err, { task_state: null, power_state: info.power_state });
    if (action === 'reboot') await notifyInstance(deps, ctx, uuid, action, 'error', err);
  }
}

export function stopInstance(deps: HandlerDeps, ctx: RequestContext, args: InstanceArgs): Promise<void> {
  return powerOperation(deps, ctx, args.instance_uuid, 'compute_stop_instance', [TaskState.POWERING_OFF], () => deps.driver.powerOff(args.instance_uuid), {
    vm_state: VmState.STOPPED,
    power_state: PowerState.SHUTDOWN,
  }, 'power_off');
}

export function startInstance(deps: HandlerDeps, ctx: RequestContext, args: InstanceArgs): Promise<void> {
  return powerOperation(deps, ctx, args.instance_uuid, 'compute_start_instance', [TaskState.POWERING_ON], () => deps.driver.powerOn(args.instance_uuid), {
    vm_state: VmState.ACTIVE,
    power_state: PowerState.RUNNING,
  }, 'power_on');
}

export function rebootInstance(deps: HandlerDeps, ctx: RequestContext, args: RebootArgs): Promise<void> {
  const expected = args.reboot_type === 'HARD' ? [TaskState.REBOOTING_HARD] : [TaskState.REBOOTING];
  return powerOperation(deps, ctx, args.instance_uuid, 'compute_reboot_instance', expected, () => deps.driver.reboot(args.instance_uuid, args.reboot_type), {
    vm_state: VmState.ACTIVE,
    power_state: PowerState.RUNNING,
  }, 'reboot');
}
