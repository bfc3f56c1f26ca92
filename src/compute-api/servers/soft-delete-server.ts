import { ConflictError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { CellRepos } from '../../db/cell/cell-repos.js';
import type { Instance } from '../../objects/instance.js';
import { deletesSoftly } from '../../objects/soft-delete-rule.js';
import { TaskState } from '../../objects/task-state.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';

/** How a delete was asked for: which policy guards it, and whether it may be a soft delete. */
export interface DeleteRequest {
  policy: string;
  allowSoft: boolean;
}

/** `DELETE /servers/{id}`: soft when `reclaim_instance_interval` says so. */
export const PLAIN_DELETE: DeleteRequest = { policy: 'os_compute_api:servers:delete', allowSoft: true };

/** `DELETE` soft-deletes this server (see `deletesSoftly`). */
export function shouldSoftDelete(deps: Pick<ComputeApiDeps, 'config'>, i: Instance): boolean {
  return deletesSoftly(deps.config.DEFAULT.reclaim_instance_interval, i);
}

/**
 * Nova's soft_delete: marks the server soft-deleting with the time of deletion (the reclaim
 * task's clock), records the `delete` action (Nova records no other name for it), takes the
 * server out of the quota count, and asks its compute to power it off. A server already
 * soft-deleted is soft-deleted again, as in Nova: a new `delete` action, and the reclaim clock
 * starts over. One being soft-deleted is left as it is. Returns false when a concurrent change
 * of task_state won the compare-and-swap, for the caller to look again.
 */
export async function softDeleteServer(deps: ComputeApiDeps, ctx: RequestContext, repos: CellRepos, i: Instance): Promise<boolean> {
  if (i.task_state === TaskState.SOFT_DELETING) return true;
  try {
    await repos.instances.update(i.uuid, { task_state: TaskState.SOFT_DELETING, deleted_at: deps.clock.now().toISOString() }, { taskState: [i.task_state] });
  } catch (err) {
    if (err instanceof ConflictError) return false;
    throw err;
  }
  await repos.actions.start({ action: 'delete', instanceUuid: i.uuid, requestId: ctx.requestId, userId: ctx.userId, projectId: ctx.projectId });
  await deps.api.instanceMappings.markQueuedForDelete(i.uuid);
  await deps.compute.softDeleteInstance(ctx, i.host as string, { instance_uuid: i.uuid });
  return true;
}
