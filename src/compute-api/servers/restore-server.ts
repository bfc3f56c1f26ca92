import { ConflictError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import { TaskState } from '../../objects/task-state.js';
import { VmState } from '../../objects/vm-state.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { checkInstanceQuota } from '../quotas/instance-quota.js';
import { checkActionState } from './begin-action.js';
import { locateInstance } from './instance-locator.js';

const RULE = { verb: 'restore', vmStates: [VmState.SOFT_DELETED], taskStates: [null] };

/**
 * `{"restore": null}` (Nova's os-deferred-delete): brings a soft-deleted server back. It must be
 * soft-deleted and idle (409 otherwise); a soft-deleted server does not count against quota, so
 * it must fit again (403 over quota, as Nova). Then: task_state restoring, the deletion time
 * cleared, the `restore` action recorded, the server counted again, and its compute powers it on.
 */
export async function restoreServer(deps: ComputeApiDeps, ctx: RequestContext, uuid: string): Promise<void> {
  const located = await locateInstance(deps, ctx, uuid);
  deps.policy.authorize('os_compute_api:os-deferred-delete:restore', ctx, { project_id: located.instance.project_id });
  const { instance, host, repos } = checkActionState(located, RULE);
  await checkInstanceQuota(deps, instance.project_id, instance.flavor, 1, 1);
  try {
    await repos.instances.update(uuid, { task_state: TaskState.RESTORING, deleted_at: null }, { taskState: [null], vmState: [VmState.SOFT_DELETED] });
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
    const now = await repos.instances.get(uuid);
    throw new ConflictError('compute.instance_invalid_state', `Cannot 'restore' instance ${uuid} while it is in vm_state ${now.vm_state}, task_state ${String(now.task_state)}`, { cause: err });
  }
  await repos.actions.start({ action: 'restore', instanceUuid: uuid, requestId: ctx.requestId, userId: ctx.userId, projectId: ctx.projectId });
  await deps.api.instanceMappings.markQueuedForDelete(uuid, false);
  await deps.compute.restoreInstance(ctx, host, { instance_uuid: uuid });
}
