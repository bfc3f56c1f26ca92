import { ConflictError } from '../../common/errors.js';
import type { IdGenerator } from '../../common/ids.js';
import { systemContext, type RequestContext } from '../../common/request-context.js';
import { bestEffort } from '../../common/best-effort.js';
import type { Logger } from '../../common/logger.js';
import { MigrationStatus, type Migration } from '../../objects/migration.js';
import { VmState } from '../../objects/vm-state.js';
import type { HandlerDeps } from '../handler-deps.js';

/**
 * Nova's _poll_unconfirmed_resizes: confirms the moves into this host that have waited in
 * VERIFY_RESIZE longer than `resize_confirm_window` seconds, as if their owner had asked, under a
 * request of its own (an instance action `confirmResize` by the system). A move that someone is
 * confirming or reverting meanwhile is left alone; one whose server is no longer VERIFY_RESIZE
 * (errored, deleted) is marked `error` so it is not tried again.
 *
 * @returns how many confirmations were started.
 */
export async function confirmOldResizes(deps: HandlerDeps & { ids: IdGenerator }, windowSeconds: number): Promise<number> {
  if (windowSeconds <= 0) return 0;
  const cutoff = new Date(deps.clock.now().getTime() - windowSeconds * 1000).toISOString();
  let started = 0;
  for (const migration of await deps.repos.migrations.unconfirmedInto(deps.host, cutoff)) {
    const ctx = systemContext(`req-${deps.ids.uuid()}`);
    const log = deps.logger.child({ request_id: ctx.requestId, instance_uuid: migration.instance_uuid, migration_uuid: migration.uuid, host: deps.host });
    // One move's trouble does not stop the others.
    try {
      if (await confirmOne(deps, ctx, migration, log)) started++;
    } catch (err) {
      log.error({ err }, 'the automatic confirm of a resize failed; it is tried again at the next poll');
    }
  }
  return started;
}

/** Confirms one move that waited too long; false when it was left alone. */
async function confirmOne(deps: HandlerDeps, ctx: RequestContext, migration: Migration, log: Logger): Promise<boolean> {
  const instance = await deps.repos.instances.find(migration.instance_uuid);
  if (instance === undefined || instance.vm_state !== VmState.RESIZED) {
    await bestEffort(log, 'error_migration', () => deps.repos.migrations.update(migration.uuid, { status: MigrationStatus.ERROR }, [MigrationStatus.FINISHED]));
    log.warn({ vm_state: instance?.vm_state }, 'unconfirmed move of a server no longer in VERIFY_RESIZE; marked error');
    return false;
  }
  if (instance.task_state !== null) return false;
  try {
    await deps.repos.migrations.update(migration.uuid, { status: MigrationStatus.CONFIRMING }, [MigrationStatus.FINISHED]);
  } catch (err) {
    if (err instanceof ConflictError) return false; // a user's confirm or revert got there first
    throw err;
  }
  try {
    await deps.repos.actions.start({ action: 'confirmResize', instanceUuid: instance.uuid, requestId: ctx.requestId, userId: instance.user_id, projectId: instance.project_id });
    // A cross-cell move spans two cells, which only the conductor reaches.
    if (migration.cross_cell_move) await deps.conductor.confirmSnapshotBasedResize(ctx, { instance_uuid: instance.uuid, migration_uuid: migration.uuid });
    else await deps.compute.confirmResize(ctx, migration.source_compute ?? deps.host, { instance_uuid: instance.uuid, migration_uuid: migration.uuid });
  } catch (err) {
    // Nobody got the confirm: the move waits again, and the next poll retries it.
    log.warn({ err }, 'could not hand the automatic confirm over; it is retried at the next poll');
    await bestEffort(log, 'release_migration', () => deps.repos.migrations.update(migration.uuid, { status: MigrationStatus.FINISHED }, [MigrationStatus.CONFIRMING]));
    return false;
  }
  log.info('resize confirmed automatically after the confirm window');
  return true;
}
