import { bestEffort } from '../../common/best-effort.js';
import { asTesseraError } from '../../common/errors.js';
import { elevated, type RequestContext } from '../../common/request-context.js';
import type { CellRepos } from '../../db/cell/cell-repos.js';
import { MigrationStatus } from '../../objects/migration.js';
import { TaskState } from '../../objects/task-state.js';
import { VmState } from '../../objects/vm-state.js';
import type { CrossCellMoveArgs } from '../../rpc/contracts/conductor-rpc.js';
import type { MoveDeps } from '../move/migrate-server.js';
import { copyInstanceRecords } from './copy-instance-records.js';
import { locateCrossCellMove } from './cross-cell-context.js';
import { syncVolumeMappings } from './sync-volume-mappings.js';
import { carryOutQueuedDelete } from './queued-delete.js';
import type { Logger } from '../../common/logger.js';

/**
 * Reverts a cross-cell move (Nova's RevertResizeTask): the revert's instance action and the volume
 * mappings as they are now (volumes attached or detached meanwhile) are copied to the source cell,
 * the destination destroys its guest and drops its attachments, the mapping
 * points back at the source cell, the source copy shows again and the target copy is deleted;
 * then the source binds the ports and connects the volumes again, brings the guest back with its
 * old flavor and puts the allocation back on the instance; the destination's port bindings go
 * last. On failure the server is left in ERROR with a fault where its mapping points, migration
 * `error`; a hard reboot there brings it back.
 */
export async function revertCrossCell(deps: MoveDeps, ctx: RequestContext, args: CrossCellMoveArgs): Promise<void> {
  const started = deps.clock.now().toISOString();
  const uuid = args.instance_uuid;
  let log = deps.logger.child({ request_id: ctx.requestId, instance_uuid: uuid, migration_uuid: args.migration_uuid, cross_cell: true });
  let home: CellRepos | undefined;
  let targetHost: string | undefined;
  const admin = elevated(ctx);
  try {
    const move = await locateCrossCellMove(deps, uuid, args.migration_uuid);
    const target = move.current;
    const source = move.source;
    home = target.repos;
    targetHost = target.host;
    log = log.child({ source_cell: source.cell.name, target_cell: target.cell.name });
    await copyInstanceRecords(target.repos.db, source.repos.db, uuid, { hidden: true, only: ['actions'], actionRequestIds: [ctx.requestId] });
    await syncVolumeMappings(ctx, target.repos, source.repos, deps.volumes, uuid);
    await source.repos.instances.update(uuid, { task_state: TaskState.RESIZE_REVERTING });
    await source.repos.migrations.update(args.migration_uuid, { status: MigrationStatus.REVERTING });
    const atDest = deps.clock.now().toISOString();
    await deps.compute.revertSnapshotBasedResizeAtDest(ctx, target.host, { instance_uuid: uuid, migration_uuid: args.migration_uuid });
    await source.repos.actions.recordEvent({ instanceUuid: uuid, requestId: ctx.requestId, event: 'compute_revert_snapshot_based_resize_at_dest', startTime: atDest, result: 'Success', host: target.host });
    // The target copy is hidden before the mapping moves, so no stale copy ever shows.
    await target.repos.instances.update(uuid, { hidden: true });
    await deps.api.instanceMappings.setCell(uuid, source.cell.id);
    home = source.repos;
    await source.repos.migrations.update(args.migration_uuid, { hidden: false });
    await source.repos.instances.update(uuid, { hidden: false });
    await target.repos.instances.hardDelete(uuid);
    const zone = (await deps.api.aggregates.zoneOf(source.host)) ?? null;
    await deps.compute.finishRevertSnapshotBasedResizeAtSource(ctx, source.host, { instance_uuid: uuid, migration_uuid: args.migration_uuid, availability_zone: zone });
    for (const vif of await source.repos.vifs.list(uuid)) {
      await bestEffort(log, 'delete_destination_binding', () => deps.network.deletePortBinding(admin, vif.uuid, target.host), { port_id: vif.uuid, host: target.host });
    }
    await source.repos.actions.recordEvent({ instanceUuid: uuid, requestId: ctx.requestId, event: 'conductor_revert_snapshot_based_resize', startTime: started, result: 'Success', host: null });
    await bestEffort(log, 'update_destination_resources', () => deps.compute.updateResources(ctx, target.host), { host: target.host });
    log.info('cross-cell resize reverted');
  } catch (err) {
    await failRevert(deps, ctx, args, { home, targetHost, started, log, admin }, err);
  }
  await carryOutQueuedDelete(deps, ctx, uuid, log);
}

/** The server waits in ERROR where its mapping points, with the allocations put back as before the move. */
async function failRevert(
  deps: MoveDeps,
  ctx: RequestContext,
  args: CrossCellMoveArgs,
  at: { home: CellRepos | undefined; targetHost: string | undefined; started: string; log: Logger; admin: RequestContext },
  err: unknown,
): Promise<void> {
  const { home, targetHost, started, log, admin } = at;
  const uuid = args.instance_uuid;
  log.error({ err }, 'reverting the cross-cell resize failed');
  const e = asTesseraError(err);
  // The allocations go back as before the move (the source allocation onto the instance, which
  // drops the destination claim); the destination's bindings go; the server waits in ERROR.
  await bestEffort(log, 'restore_allocations', () => deps.placement.moveAllocations(args.migration_uuid, uuid, { consumerType: 'INSTANCE' }));
  if (home === undefined) return;
  const repos = home;
  if (targetHost !== undefined) {
    const host = targetHost;
    for (const vif of await repos.vifs.list(uuid).catch(() => [])) {
      await bestEffort(log, 'delete_destination_binding', () => deps.network.deletePortBinding(admin, vif.uuid, host), { port_id: vif.uuid, host });
    }
  }
  await bestEffort(log, 'record_event', () => repos.actions.recordEvent({ instanceUuid: uuid, requestId: ctx.requestId, event: 'conductor_revert_snapshot_based_resize', startTime: started, result: 'Error', host: null, traceback: e.message }));
  await bestEffort(log, 'error_migration', () => repos.migrations.update(args.migration_uuid, { status: MigrationStatus.ERROR }));
  await bestEffort(log, 'error_instance', () => repos.instances.update(uuid, { vm_state: VmState.ERROR, task_state: null }));
  await bestEffort(log, 'record_fault', () => repos.faults.record({ instance_uuid: uuid, code: e.status, message: e.message, details: err instanceof Error ? (err.stack ?? null) : null, host: null }));
}
