import { bestEffort } from '../../common/best-effort.js';
import { ConflictError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import type { RequestContext } from '../../common/request-context.js';
import { MigrationStatus } from '../../objects/migration.js';
import { deletesSoftly } from '../../objects/soft-delete-rule.js';
import { TaskState } from '../../objects/task-state.js';
import { VmState } from '../../objects/vm-state.js';
import type { CrossCellMoveArgs } from '../../rpc/contracts/conductor-rpc.js';
import type { MoveDeps } from '../move/migrate-server.js';
import { confirmCrossCell } from './confirm-cross-cell.js';

/**
 * A delete that came while this conductor was moving the server between cells. The API does not
 * touch a server in that state (its copies, ports and volumes are changing hands); it records the
 * delete on the instance mapping (`queued_for_delete`) and leaves it to the flow, which calls this
 * once it has ended, successfully or not. The delete is then carried out where the server now
 * lives, as the API's own would be: a move waiting in VERIFY_RESIZE is confirmed first, then the
 * compute deletes the server (soft-deletes it when `reclaim_instance_interval` is set and it was
 * launched). Nothing happens when no delete was queued, or one is already under way.
 *
 * A move request clears a flag left over from an earlier delete that failed (see move-server.ts),
 * so a flag seen here was set during this flow.
 */
export async function carryOutQueuedDelete(deps: MoveDeps, ctx: RequestContext, uuid: string, log: Logger): Promise<void> {
  await bestEffort(log, 'queued_delete', async () => {
    const mapping = await deps.api.instanceMappings.find(uuid);
    if (mapping === undefined || !mapping.queued_for_delete || mapping.cell_id === null) return;
    const cell = await deps.api.cells.getById(mapping.cell_id);
    const repos = deps.cells.repos(cell);
    let instance = await repos.instances.find(uuid);
    if (instance === undefined || isBeingDeleted(instance)) return;
    const dlog = log.child({ cell: cell.name, host: instance.host });
    dlog.info('a delete came while the server moved between cells; carrying it out now');
    if (instance.vm_state === VmState.RESIZED && instance.task_state === null) {
      const migration = await repos.migrations.latestFor(uuid, [MigrationStatus.FINISHED]);
      if (migration !== undefined && migration.cross_cell_move) {
        try {
          await repos.migrations.update(migration.uuid, { status: MigrationStatus.CONFIRMING }, [MigrationStatus.FINISHED]);
        } catch (err) {
          if (err instanceof ConflictError) return; // a confirm, revert or delete of the API took it
          throw err;
        }
        await confirmCrossCell(deps, ctx, { instance_uuid: uuid, migration_uuid: migration.uuid });
        instance = await repos.instances.get(uuid);
        if (isBeingDeleted(instance)) return;
      }
    }
    const host = instance.host;
    if (host === null) {
      dlog.warn('the server has no host after its move; delete it again through the API');
      return;
    }
    const soft = deletesSoftly(deps.reclaimInstanceIntervalSeconds, instance);
    try {
      await repos.instances.update(
        uuid,
        soft ? { task_state: TaskState.SOFT_DELETING, deleted_at: deps.clock.now().toISOString() } : { task_state: TaskState.DELETING },
        { taskState: [instance.task_state] },
      );
    } catch (err) {
      if (err instanceof ConflictError) return; // the server changed meanwhile: whoever changed it owns it now
      throw err;
    }
    if (soft) await deps.compute.softDeleteInstance(ctx, host, { instance_uuid: uuid });
    else await deps.compute.terminateInstance(ctx, host, { instance_uuid: uuid });
  }, { instance_uuid: uuid });
}

/**
 * A confirm of a cross-cell move asked for through the API (or by the periodic confirm). It can
 * land just after the move ended and before the conductor's own confirm for a queued delete, and
 * take the migration first: the conductor then gives way (see above), so the queued delete is
 * carried out here, once the confirm is done. A confirm with no delete queued changes nothing
 * more: a move request clears any flag left from before it.
 */
export async function confirmCrossCellThenQueuedDelete(deps: MoveDeps, ctx: RequestContext, args: CrossCellMoveArgs): Promise<void> {
  await confirmCrossCell(deps, ctx, args);
  const log = deps.logger.child({ request_id: ctx.requestId, instance_uuid: args.instance_uuid, migration_uuid: args.migration_uuid, cross_cell: true });
  await carryOutQueuedDelete(deps, ctx, args.instance_uuid, log);
}

function isBeingDeleted(i: { task_state: string | null; vm_state: string }): boolean {
  return i.task_state === TaskState.DELETING || i.task_state === TaskState.SOFT_DELETING || i.vm_state === VmState.SOFT_DELETED;
}
