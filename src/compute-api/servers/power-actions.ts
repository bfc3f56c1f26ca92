import { BadRequestError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import { TaskState } from '../../objects/task-state.js';
import { VmState } from '../../objects/vm-state.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { beginAction } from './begin-action.js';

/** os-stop: ACTIVE or ERROR servers with no task in progress. */
export async function stopServer(deps: ComputeApiDeps, ctx: RequestContext, uuid: string): Promise<void> {
  const { host } = await beginAction(deps, ctx, uuid, {
    action: 'stop', verb: 'stop', policy: 'os_compute_api:servers:stop',
    vmStates: [VmState.ACTIVE, VmState.ERROR], taskStates: [null], newTaskState: TaskState.POWERING_OFF,
  });
  await deps.compute.stopInstance(ctx, host, { instance_uuid: uuid });
}

/** os-start: STOPPED servers with no task in progress. */
export async function startServer(deps: ComputeApiDeps, ctx: RequestContext, uuid: string): Promise<void> {
  const { host } = await beginAction(deps, ctx, uuid, {
    action: 'start', verb: 'start', policy: 'os_compute_api:servers:start',
    vmStates: [VmState.STOPPED], taskStates: [null], newTaskState: TaskState.POWERING_ON,
  });
  await deps.compute.startInstance(ctx, host, { instance_uuid: uuid });
}

/**
 * reboot: SOFT needs an ACTIVE server; HARD also takes stopped, paused, suspended and errored
 * ones, and may interrupt a soft reboot in progress, as in Nova.
 */
export async function rebootServer(deps: ComputeApiDeps, ctx: RequestContext, uuid: string, type: string): Promise<void> {
  const rebootType = type.toUpperCase();
  if (rebootType !== 'SOFT' && rebootType !== 'HARD') {
    throw new BadRequestError('api.invalid_input', `Invalid input for field/attribute type. Value: ${type}. '${type}' is not one of ['HARD', 'Hard', 'hard', 'SOFT', 'Soft', 'soft']`);
  }
  const hard = rebootType === 'HARD';
  const { host } = await beginAction(deps, ctx, uuid, {
    action: 'reboot', verb: 'reboot', policy: 'os_compute_api:servers:reboot',
    vmStates: hard ? [VmState.ACTIVE, VmState.STOPPED, VmState.PAUSED, VmState.SUSPENDED, VmState.ERROR] : [VmState.ACTIVE],
    taskStates: hard ? [null, TaskState.REBOOTING, TaskState.REBOOT_PENDING, TaskState.REBOOT_STARTED] : [null],
    newTaskState: hard ? TaskState.REBOOTING_HARD : TaskState.REBOOTING,
  });
  await deps.compute.rebootInstance(ctx, host, { instance_uuid: uuid, reboot_type: rebootType });
}
