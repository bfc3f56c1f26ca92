import { bestEffort } from '../../common/best-effort.js';
import { BadRequestError, ConflictError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import { MigrationStatus, type Migration } from '../../objects/migration.js';
import { TaskState } from '../../objects/task-state.js';
import { VmState } from '../../objects/vm-state.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { checkResizeQuota } from '../quotas/instance-quota.js';
import { checkActionState, type ActionTarget } from './begin-action.js';
import { locateInstance } from './instance-locator.js';

/**
 * confirmResize: the server is in VERIFY_RESIZE and its move `finished`; the migration goes to
 * `confirming` by compare-and-swap (a racing confirm or revert gets 409), and the source compute
 * drops what the move left there.
 */
export async function confirmResize(deps: ComputeApiDeps, ctx: RequestContext, uuid: string): Promise<void> {
  const { target, migration } = await finishedMove(deps, ctx, uuid, 'confirmResize', 'os_compute_api:servers:confirm_resize');
  await claimMigration(target, migration, MigrationStatus.CONFIRMING);
  await handOver(deps, ctx, target, migration, MigrationStatus.CONFIRMING, async () => {
    await target.repos.actions.start({ action: 'confirmResize', instanceUuid: uuid, requestId: ctx.requestId, userId: ctx.userId, projectId: ctx.projectId });
    if (migration.cross_cell_move) await deps.conductor.confirmSnapshotBasedResize(ctx, { instance_uuid: uuid, migration_uuid: migration.uuid });
    else await deps.compute.confirmResize(ctx, migration.source_compute ?? target.host, { instance_uuid: uuid, migration_uuid: migration.uuid });
  });
}

/**
 * revertResize: as confirm, plus the quota for going back to the old flavor when it is bigger;
 * the server shows REVERT_RESIZE until the source has it back.
 */
export async function revertResize(deps: ComputeApiDeps, ctx: RequestContext, uuid: string): Promise<void> {
  const { target, migration } = await finishedMove(deps, ctx, uuid, 'revertResize', 'os_compute_api:servers:revert_resize');
  const i = target.instance;
  if (i.old_flavor !== null) await checkResizeQuota(deps, i.project_id, i.flavor, i.old_flavor);
  // A delete queued while the conductor moved the server between cells, which the conductor is
  // about to carry out now that the move has ended: the delete came first and wins. (The move's
  // request cleared any flag left from before it, so a flag here is such a delete.)
  if (migration.cross_cell_move && (await deps.api.instanceMappings.find(uuid))?.queued_for_delete === true) {
    throw new ConflictError('compute.instance_invalid_state', `Cannot 'revertResize' instance ${uuid} while it is being deleted`);
  }
  await claimMigration(target, migration, MigrationStatus.REVERTING);
  try {
    await target.repos.instances.update(uuid, { task_state: TaskState.RESIZE_REVERTING }, { taskState: [null], vmState: [VmState.RESIZED] });
  } catch (err) {
    await target.repos.migrations.update(migration.uuid, { status: MigrationStatus.FINISHED }, [MigrationStatus.REVERTING]);
    throw new ConflictError('compute.instance_invalid_state', `Cannot 'revertResize' instance ${uuid} while it is in task_state ${String((await target.repos.instances.get(uuid)).task_state)}`, { cause: err });
  }
  await handOver(deps, ctx, target, migration, MigrationStatus.REVERTING, async () => {
    await target.repos.actions.start({ action: 'revertResize', instanceUuid: uuid, requestId: ctx.requestId, userId: ctx.userId, projectId: ctx.projectId });
    if (migration.cross_cell_move) await deps.conductor.revertSnapshotBasedResize(ctx, { instance_uuid: uuid, migration_uuid: migration.uuid });
    else {
      const zone = migration.source_compute === null ? undefined : ((await deps.api.aggregates.zoneOf(migration.source_compute)) ?? null);
      await deps.compute.revertResize(ctx, migration.dest_compute ?? target.host, { instance_uuid: uuid, migration_uuid: migration.uuid, ...(zone === undefined ? {} : { availability_zone: zone }) });
    }
  });
}

/**
 * Records the action and hands the confirm or revert over; when that fails, the claim on the
 * migration (and the revert's task state) is undone, so the server waits in VERIFY_RESIZE again
 * for another try, and the caller hears why.
 */
async function handOver(deps: ComputeApiDeps, ctx: RequestContext, target: ActionTarget, migration: Migration, claimed: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    const log = deps.logger.child({ request_id: ctx.requestId, instance_uuid: target.instance.uuid, migration_uuid: migration.uuid });
    await bestEffort(log, 'release_migration', () => target.repos.migrations.update(migration.uuid, { status: MigrationStatus.FINISHED }, [claimed]));
    if (claimed === MigrationStatus.REVERTING) {
      await bestEffort(log, 'clear_task_state', () => target.repos.instances.update(target.instance.uuid, { task_state: null }, { taskState: [TaskState.RESIZE_REVERTING] }));
    }
    throw err;
  }
}

async function finishedMove(deps: ComputeApiDeps, ctx: RequestContext, uuid: string, verb: string, policy: string): Promise<{ target: ActionTarget; migration: Migration }> {
  const located = await locateInstance(deps, ctx, uuid);
  deps.policy.authorize(policy, ctx, { project_id: located.instance.project_id, user_id: located.instance.user_id });
  const target = checkActionState(located, { verb, vmStates: [VmState.RESIZED], taskStates: [null] });
  const migration = await target.repos.migrations.latestFor(uuid, [MigrationStatus.FINISHED]);
  if (migration === undefined) throw new BadRequestError('compute.migration_not_found', `Instance ${uuid} has not been resized.`);
  return { target, migration };
}

async function claimMigration(target: ActionTarget, migration: Migration, status: string): Promise<void> {
  try {
    await target.repos.migrations.update(migration.uuid, { status }, [MigrationStatus.FINISHED]);
  } catch (err) {
    if (err instanceof ConflictError) throw new ConflictError('compute.instance_invalid_state', `Instance ${target.instance.uuid} is already being confirmed or reverted.`, { cause: err });
    throw err;
  }
}
