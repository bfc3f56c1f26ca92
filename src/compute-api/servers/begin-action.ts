import { ConflictError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { CellRepos } from '../../db/cell/cell-repos.js';
import type { Instance } from '../../objects/instance.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { locateInstance, type LocatedInstance } from './instance-locator.js';

/** The states an action accepts, and the name conflict messages give it (Nova's check_instance_state). */
export interface ActionStateRule {
  /** The name used in conflict messages (`stop`, `start`, `reboot`, `createImage`). */
  verb: string;
  vmStates: string[];
  taskStates: (string | null)[];
}

export interface ActionRule extends ActionStateRule {
  /** Nova's action name as instance actions record it (`stop`, `start`, `reboot`, ...). */
  action: string;
  policy: string;
  newTaskState: string;
}

/** A server in a cell, on a host, in a state the action accepts. */
export interface ActionTarget {
  instance: Instance;
  host: string;
  repos: CellRepos;
}

/**
 * The common start of an action on an existing server: policy, state check, then compare-and-swap
 * of task_state so that of two racing actions exactly one proceeds (the other gets 409), and the
 * instance action recorded under the request id.
 */
export async function beginAction(deps: ComputeApiDeps, ctx: RequestContext, uuid: string, rule: ActionRule): Promise<{ instance: Instance; host: string }> {
  const located = await locateInstance(deps, ctx, uuid);
  deps.policy.authorize(rule.policy, ctx, { project_id: located.instance.project_id, user_id: located.instance.user_id });
  const target = checkActionState(located, rule);
  const updated = await swapTaskState(target.repos, uuid, rule, rule.newTaskState);
  await target.repos.actions.start({ action: rule.action, instanceUuid: uuid, requestId: ctx.requestId, userId: ctx.userId, projectId: ctx.projectId });
  return { instance: updated, host: target.host };
}

/** Nova's 409 unless the server is in a cell, on a host, and in one of the rule's states. */
export function checkActionState(located: LocatedInstance, rule: ActionStateRule): ActionTarget {
  const i = located.instance;
  if (located.kind !== 'cell' || i.host === null || !rule.vmStates.includes(i.vm_state)) {
    throw new ConflictError('compute.instance_invalid_state', `Cannot '${rule.verb}' instance ${i.uuid} while it is in vm_state ${i.vm_state}`);
  }
  if (!rule.taskStates.includes(i.task_state)) {
    throw new ConflictError('compute.instance_invalid_state', `Cannot '${rule.verb}' instance ${i.uuid} while it is in task_state ${String(i.task_state)}`);
  }
  return { instance: i, host: i.host, repos: located.repos };
}

/** Sets task_state if the server is still in the rule's states; a concurrent change is Nova's 409. */
export async function swapTaskState(repos: CellRepos, uuid: string, rule: ActionStateRule, newTaskState: string): Promise<Instance> {
  try {
    return await repos.instances.update(uuid, { task_state: newTaskState }, { taskState: rule.taskStates, vmState: rule.vmStates });
  } catch (err) {
    if (err instanceof ConflictError) {
      const now = await repos.instances.get(uuid);
      throw new ConflictError('compute.instance_invalid_state', `Cannot '${rule.verb}' instance ${uuid} while it is in task_state ${String(now.task_state)}`, { cause: err });
    }
    throw err;
  }
}
