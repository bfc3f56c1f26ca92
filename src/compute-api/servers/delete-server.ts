import { ConflictError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import { TaskState } from '../../objects/task-state.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { locateInstance } from './instance-locator.js';
import { releaseBuildRequestVolumes, releaseLocally } from './local-delete.js';
import { PLAIN_DELETE, shouldSoftDelete, softDeleteServer, type DeleteRequest } from './soft-delete-server.js';

/**
 * Deletes a server wherever it is: a build request not yet scheduled is removed (the conductor
 * then skips it) and the volumes reserved for it released; an instance without a host (cell0, or
 * a failed build) is deleted locally once what it still holds is released (volume reservations
 * and attachments, delete_on_termination volumes, ports); otherwise the compute destroys the
 * guest, releases its ports and volumes and soft-deletes the row. With `reclaim_instance_interval`
 * set, a plain delete of a launched server only soft-deletes it (restorable until reclaimed).
 */
export async function deleteServer(deps: ComputeApiDeps, ctx: RequestContext, uuid: string, how: DeleteRequest = PLAIN_DELETE): Promise<void> {
  const located = await locateInstance(deps, ctx, uuid);
  const i = located.instance;
  deps.policy.authorize(how.policy, ctx, { project_id: i.project_id, user_id: i.user_id });
  const log = deps.logger.child({ request_id: ctx.requestId, instance_uuid: uuid });

  if (located.kind === 'build_request') {
    // Read before the delete: once the build request is gone, so is the record of the reservations.
    const bdms = (await deps.api.buildRequests.blockDeviceMappings(uuid)) ?? [];
    if (await deps.api.buildRequests.delete(uuid)) {
      await deps.api.requestSpecs.delete(uuid);
      await deps.api.instanceMappings.delete(uuid);
      await releaseBuildRequestVolumes(deps, ctx, bdms, log);
      log.info('build request deleted before scheduling');
      return;
    }
    // The conductor took it meanwhile: delete it where it went.
    return deleteServer(deps, ctx, uuid, how);
  }

  const { repos } = located;
  if (i.task_state === TaskState.DELETING) return; // already on its way out; Nova accepts the repeat
  if (how.allowSoft && shouldSoftDelete(deps, i)) {
    if (!(await softDeleteServer(deps, ctx, repos, i))) return deleteServer(deps, ctx, uuid, how);
    return;
  }
  await repos.actions.start({ action: 'delete', instanceUuid: uuid, requestId: ctx.requestId, userId: ctx.userId, projectId: ctx.projectId });
  await deps.api.instanceMappings.markQueuedForDelete(uuid);
  if (i.host === null) {
    // No compute holds it (cell0, or a failed build): release here what it still has on record.
    await releaseLocally(deps, ctx, repos, uuid, log);
    await repos.instances.softDelete(uuid);
    log.info({ cell: located.cell.name }, 'instance without a host deleted locally');
    return;
  }
  try {
    await repos.instances.update(uuid, { task_state: TaskState.DELETING }, { taskState: [i.task_state] });
  } catch (err) {
    if (err instanceof ConflictError) return deleteServer(deps, ctx, uuid, how);
    throw err;
  }
  await deps.compute.terminateInstance(ctx, i.host, { instance_uuid: uuid });
}
