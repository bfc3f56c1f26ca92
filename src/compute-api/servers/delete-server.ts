import { ConflictError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import { MigrationStatus } from '../../objects/migration.js';
import { TaskState } from '../../objects/task-state.js';
import { VmState } from '../../objects/vm-state.js';
import type { Logger } from '../../common/logger.js';
import type { CellRepos } from '../../db/cell/cell-repos.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { locateInstance } from './instance-locator.js';
import { notifyLocalDelete, releaseBuildRequestVolumes, releaseLocally } from './local-delete.js';
import { PLAIN_DELETE, shouldSoftDelete, softDeleteServer, type DeleteRequest } from './soft-delete-server.js';

/**
 * Deletes a server wherever it is: a build request not yet scheduled is removed (the conductor
 * then skips it) and the volumes reserved for it released; an instance without a host (cell0, or
 * a failed build) is deleted locally once what it still holds is released (volume reservations
 * and attachments, delete_on_termination volumes, ports); otherwise the compute destroys the
 * guest, releases its ports and volumes and soft-deletes the row. With `reclaim_instance_interval`
 * set, a plain delete of a launched server only soft-deletes it (restorable until reclaimed).
 * A server the conductor is moving between cells is deleted by the conductor when the move ends.
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
  if (await crossCellMoveUnderWay(repos, uuid)) {
    // The conductor is moving the server between cells: its copies, ports and volumes are changing
    // hands, and a compute deleting it now would pull them from under the move. The delete is
    // queued on the mapping; the conductor carries it out when the move ends. If the move ended
    // between the look above and the flag, the conductor may not have seen the flag: delete now.
    await deps.api.instanceMappings.markQueuedForDelete(uuid);
    const now = await locateInstance(deps, ctx, uuid);
    if (now.kind === 'cell' && (await crossCellMoveUnderWay(now.repos, uuid))) {
      await now.repos.actions.start({ action: 'delete', instanceUuid: uuid, requestId: ctx.requestId, userId: ctx.userId, projectId: ctx.projectId });
      log.info({ cell: now.cell.name }, 'delete queued until the cross-cell move ends');
      return;
    }
    return deleteServer(deps, ctx, uuid, how);
  }
  // Before the delete's own action, so that the events of each land under their action.
  if (i.vm_state === VmState.RESIZED && i.task_state === null && (await confirmBeforeDelete(deps, ctx, repos, uuid, log))) return deleteServer(deps, ctx, uuid, how);
  if (how.allowSoft && shouldSoftDelete(deps, i)) {
    if (!(await softDeleteServer(deps, ctx, repos, i))) return deleteServer(deps, ctx, uuid, how);
    return;
  }
  await repos.actions.start({ action: 'delete', instanceUuid: uuid, requestId: ctx.requestId, userId: ctx.userId, projectId: ctx.projectId });
  await deps.api.instanceMappings.markQueuedForDelete(uuid);
  if (i.host === null) {
    // No compute holds it (cell0, or a failed build): release here what it still has on record.
    await notifyLocalDelete(deps, ctx, repos, uuid, 'start', log);
    await releaseLocally(deps, ctx, repos, uuid, log);
    await repos.instances.softDelete(uuid);
    await notifyLocalDelete(deps, ctx, repos, uuid, 'end', log);
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

/** A cross-cell move or revert that the conductor is carrying out (a confirm settles with the server where it is). */
async function crossCellMoveUnderWay(repos: CellRepos, uuid: string): Promise<boolean> {
  const open = await repos.migrations.latestFor(uuid, [MigrationStatus.PRE_MIGRATING, MigrationStatus.MIGRATING, MigrationStatus.POST_MIGRATING, MigrationStatus.REVERTING]);
  return open?.cross_cell_move === true;
}

/**
 * A server in VERIFY_RESIZE is confirmed before it is deleted, as Nova's _confirm_resize_on_deleting:
 * its source host drops what the move left there and the migration's allocation, and the delete
 * then goes to the new host. Waits for the source's answer, so that the delete does not race it.
 * True when the server changed (confirmed, or confirmed or reverted by someone else meanwhile), so
 * the delete must look at it again.
 */
async function confirmBeforeDelete(deps: ComputeApiDeps, ctx: RequestContext, repos: CellRepos, uuid: string, log: Logger): Promise<boolean> {
  const migration = await repos.migrations.latestFor(uuid, [MigrationStatus.FINISHED]);
  if (migration === undefined) return false;
  try {
    await repos.migrations.update(migration.uuid, { status: MigrationStatus.CONFIRMING }, [MigrationStatus.FINISHED]);
  } catch (err) {
    if (err instanceof ConflictError) return true; // confirmed or reverted meanwhile: look again
    throw err;
  }
  await repos.actions.start({ action: 'confirmResize', instanceUuid: uuid, requestId: ctx.requestId, userId: ctx.userId, projectId: ctx.projectId });
  if (migration.cross_cell_move) await deps.conductor.confirmSnapshotBasedResizeAndWait(ctx, { instance_uuid: uuid, migration_uuid: migration.uuid });
  else await deps.compute.confirmResizeAndWait(ctx, migration.source_compute ?? '', { instance_uuid: uuid, migration_uuid: migration.uuid });
  log.info({ migration_uuid: migration.uuid }, 'resize confirmed before the delete');
  return true;
}
