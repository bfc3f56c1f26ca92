import { bestEffort } from '../../common/best-effort.js';
import { TesseraError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import type { RequestContext } from '../../common/request-context.js';
import type { CellRepos } from '../../db/cell/cell-repos.js';
import { MigrationStatus, type Migration } from '../../objects/migration.js';
import { TaskState } from '../../objects/task-state.js';
import type { RescheduleMoveArgs } from '../../rpc/contracts/conductor-rpc.js';
import { failBeforeCompute } from './fail-before-compute.js';
import type { MoveDeps } from './migrate-server.js';

/**
 * A resize or cold migration whose destination failed its prep step (Nova's prep_resize
 * reschedule): the destination cleared itself from the migration and handed the move back. The
 * source allocation is still held under the migration; the instance's consumer holds the failed
 * destination's claim. As Nova's MigrationTask with a host list: drop that claim, claim the first
 * alternate that still has room and hand the move to it, with the alternates after it. When none
 * has room, or anything fails, everything goes back as it was before the request: the source
 * allocation on the instance, the migration in `error`, the server in its old state with Nova's
 * "Exceeded maximum number of retries" fault. A server that changed meanwhile (deleted, or no
 * longer preparing this move) is left alone, and a claim taken for it is released.
 */
export async function rescheduleMove(deps: MoveDeps, ctx: RequestContext, args: RescheduleMoveArgs): Promise<void> {
  const started = deps.clock.now().toISOString();
  const log = deps.logger.child({ request_id: ctx.requestId, instance_uuid: args.instance_uuid, migration_uuid: args.migration_uuid, failed_host: args.failed_host });
  const mapping = await deps.api.instanceMappings.find(args.instance_uuid);
  if (mapping?.cell_id === null || mapping === undefined || mapping.queued_for_delete) {
    log.info('instance gone or being deleted; move not rescheduled');
    return;
  }
  const cell = await deps.api.cells.getById(mapping.cell_id);
  const repos = deps.cells.repos(cell);
  const instance = await repos.instances.find(args.instance_uuid);
  const migration = await repos.migrations.find(args.migration_uuid);
  if (instance === undefined || instance.task_state !== TaskState.RESIZE_PREP || migration?.status !== MigrationStatus.PRE_MIGRATING) {
    log.info({ task_state: instance?.task_state, migration_status: migration?.status }, 'instance no longer preparing this move; not rescheduled');
    return;
  }
  const moveLog = log.child({ cell: cell.name, host: instance.host });
  try {
    // The failed destination's claim goes; the source allocation stays under the migration.
    await deps.placement.deleteAllocations(instance.uuid);
    for (const [i, alt] of args.alternates.entries()) {
      let claimed: boolean;
      try {
        claimed = await deps.placement.claim(instance.uuid, alt.allocation_request, { projectId: instance.project_id, userId: instance.user_id, consumerGeneration: null });
      } catch (err) {
        moveLog.warn({ err, host: alt.service_host }, 'could not claim on the alternate; trying the next');
        continue;
      }
      if (!claimed) {
        moveLog.info({ host: alt.service_host }, 'alternate has no room any more; trying the next');
        continue;
      }
      // A delete may have started since the first check; its release of the instance's
      // allocations may have come before this claim.
      if (!(await stillPreparing(repos, instance.uuid))) {
        await deps.placement.deleteAllocations(instance.uuid);
        moveLog.info('server changed while rescheduling (deleted?); claim released');
        return;
      }
      await repos.migrations.update(migration.uuid, { dest_compute: alt.service_host, dest_node: alt.nodename }, [MigrationStatus.PRE_MIGRATING]);
      const zone = (await deps.api.aggregates.zoneOf(alt.service_host)) ?? null;
      await deps.compute.prepResize(ctx, alt.service_host, { instance_uuid: instance.uuid, migration_uuid: migration.uuid, availability_zone: zone, alternates: args.alternates.slice(i + 1) });
      // The alternate has the move now: a failure to record it must not give the move up.
      await bestEffort(moveLog, 'record conductor_reschedule_move', () =>
        repos.actions.recordEvent({ instanceUuid: instance.uuid, requestId: ctx.requestId, event: 'conductor_reschedule_move', startTime: started, result: 'Success', host: null }),
      );
      moveLog.info({ host: alt.service_host, reason: args.reason }, 'move rescheduled to an alternate host');
      return;
    }
  } catch (err) {
    await giveUp(deps, ctx, repos, migration, started, err, moveLog);
    return;
  }
  const exhausted = new TesseraError(
    'compute.max_retries_exceeded',
    500,
    `Exceeded maximum number of retries. Exhausted all hosts available for retrying the move of instance ${instance.uuid}. Last failure on ${args.failed_host}: ${args.reason}`,
  );
  await giveUp(deps, ctx, repos, migration, started, exhausted, moveLog);
}

/** Whether the server is still preparing a move (not deleted, no delete under way). */
async function stillPreparing(repos: CellRepos, uuid: string): Promise<boolean> {
  const now = await repos.instances.find(uuid);
  return now !== undefined && now.task_state === TaskState.RESIZE_PREP;
}

/**
 * Everything back as before the request: any claim dropped, the source allocation on the
 * instance, the migration in error, the server as it was. A delete that started meanwhile may have
 * released the instance's allocations before they came back: then they are released here.
 */
async function giveUp(deps: MoveDeps, ctx: RequestContext, repos: CellRepos, migration: Migration, started: string, err: unknown, log: Logger): Promise<void> {
  const uuid = migration.instance_uuid;
  try {
    await deps.placement.deleteAllocations(uuid);
    const restored = await deps.placement.moveAllocations(migration.uuid, uuid, { consumerType: 'INSTANCE' });
    if (restored && !(await stillPreparing(repos, uuid))) await deps.placement.deleteAllocations(uuid);
  } catch (e) {
    log.error({ err: e }, 'could not put the source allocation back on the instance');
  }
  await repos.migrations.update(migration.uuid, { status: MigrationStatus.ERROR }).catch((e: unknown) => log.error({ err: e }, 'could not mark the migration failed'));
  await failBeforeCompute(repos, ctx, uuid, started, err, log);
}
