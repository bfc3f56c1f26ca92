import { ConflictError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { checkActionState, type ActionTarget } from './begin-action.js';
import { locateInstance } from './instance-locator.js';

/** Which servers an attachment operation accepts, and under which policy rule. */
export interface AttachmentRule {
  policy: string;
  /** Nova's method name in conflict messages (`attach_volume`, `detach_interface`). */
  verb: string;
  vmStates: string[];
}

/**
 * The server an attachment operation works on: found (another project's is a 404), allowed by
 * policy, not locked (unless the caller is an admin, as Nova's check_instance_lock), on a host and
 * in one of the rule's vm_states with no task in progress (Nova's check_instance_state), else
 * 409. Unlike other actions, attachments set no task_state, as in Nova.
 */
export async function attachmentTarget(deps: ComputeApiDeps, ctx: RequestContext, uuid: string, rule: AttachmentRule): Promise<ActionTarget> {
  const located = await locateInstance(deps, ctx, uuid);
  deps.policy.authorize(rule.policy, ctx, { project_id: located.instance.project_id, user_id: located.instance.user_id });
  if (located.instance.locked && !ctx.isAdmin) {
    throw new ConflictError('compute.instance_locked', `Instance ${uuid} is locked`);
  }
  return checkActionState(located, { verb: rule.verb, vmStates: rule.vmStates, taskStates: [null] });
}

/** Records the instance action of the request, under its request id. */
export async function startAttachmentAction(target: ActionTarget, ctx: RequestContext, action: string): Promise<void> {
  await target.repos.actions.start({ action, instanceUuid: target.instance.uuid, requestId: ctx.requestId, userId: ctx.userId, projectId: ctx.projectId });
}
