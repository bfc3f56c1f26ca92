import { ConflictError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { Instance } from '../../objects/instance.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { locateInstance } from './instance-locator.js';

export interface ActionRule {
  /** Nova's action name as instance actions record it (`stop`, `start`, `reboot`, ...). */
  action: string;
  /** The name used in conflict messages (`stop`, `start`, `reboot`). */
  verb: string;
  policy: string;
  vmStates: string[];
  taskStates: (string | null)[];
  newTaskState: string;
}

/**
 * The common start of an action on an existing server: policy, state check, then compare-and-swap
 * of task_state so that of two racing actions exactly one proceeds (the other gets 409), and the
 * instance action recorded under the request id.
 */
export async function beginAction(deps: ComputeApiDeps, ctx: RequestContext, uuid: string, rule: ActionRule): Promise<{ instance: Instance; host: string }> {
  const located = await locateInstance(deps, ctx, uuid);
  deps.policy.authorize(rule.policy, ctx, { project_id: located.instance.project_id, user_id: located.instance.user_id });
  const i = located.instance;
  if (located.kind !== 'cell' || i.host === null || !rule.vmStates.includes(i.vm_state)) {
    throw new ConflictError('compute.instance_invalid_state', `Cannot '${rule.verb}' instance ${uuid} while it is in vm_state ${i.vm_state}`);
  }
  if (!rule.taskStates.includes(i.task_state)) {
    throw new ConflictError('compute.instance_invalid_state', `Cannot '${rule.verb}' instance ${uuid} while it is in task_state ${String(i.task_state)}`);
  }
  let updated: Instance;
  try {
    updated = await located.repos.instances.update(uuid, { task_state: rule.newTaskState }, { taskState: rule.taskStates, vmState: rule.vmStates });
  } catch (err) {
    if (err instanceof ConflictError) {
      const now = await located.repos.instances.get(uuid);
      throw new ConflictError('compute.instance_invalid_state', `Cannot '${rule.verb}' instance ${uuid} while it is in task_state ${String(now.task_state)}`, { cause: err });
    }
    throw err;
  }
  await located.repos.actions.start({ action: rule.action, instanceUuid: uuid, requestId: ctx.requestId, userId: ctx.userId, projectId: ctx.projectId });
  return { instance: updated, host: i.host };
}
