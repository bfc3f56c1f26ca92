import { asTesseraError } from '../../common/errors.js';
import { elevated, type RequestContext } from '../../common/request-context.js';
import { MigrationStatus } from '../../objects/migration.js';
import { TaskState } from '../../objects/task-state.js';
import { VmState } from '../../objects/vm-state.js';
import type { CrossCellMoveArgs } from '../../rpc/contracts/conductor-rpc.js';
import type { MoveDeps } from '../move/migrate-server.js';
import { copyInstanceRecords } from './copy-instance-records.js';
import { locateCrossCellMove } from './cross-cell-context.js';
import { syncVolumeMappings } from './sync-volume-mappings.js';

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
  const move = await locateCrossCellMove(deps, args.instance_uuid, args.migration_uuid);
  const uuid = args.instance_uuid;
  const target = move.current;
  const source = move.source;
  const log = deps.logger.child({ request_id: ctx.requestId, instance_uuid: uuid, migration_uuid: args.migration_uuid, source_cell: source.cell.name, target_cell: target.cell.name, cross_cell: true });
  let home = target.repos;
  try {
    await copyInstanceRecords(target.repos.db, source.repos.db, uuid, { hidden: true, only: ['actions'], actionRequestIds: [ctx.requestId] });
    await syncVolumeMappings(ctx, target.repos, source.repos, deps.volumes, uuid);
    await source.repos.instances.update(uuid, { task_state: TaskState.RESIZE_REVERTING });
    await source.repos.migrations.update(args.migration_uuid, { status: MigrationStatus.REVERTING });
    const atDest = deps.clock.now().toISOString();
    await deps.compute.revertSnapshotBasedResizeAtDest(ctx, target.host, { instance_uuid: uuid, migration_uuid: args.migration_uuid });
    await source.repos.actions.recordEvent({ instanceUuid: uuid, requestId: ctx.requestId, event: 'compute_revert_snapshot_based_resize_at_dest', startTime: atDest, result: 'Success', host: target.host });
    await deps.api.instanceMappings.setCell(uuid, source.cell.id);
    home = source.repos;
    await source.repos.migrations.update(args.migration_uuid, { hidden: false });
    await source.repos.instances.update(uuid, { hidden: false });
    await target.repos.instances.hardDelete(uuid);
    const zone = (await deps.api.aggregates.zoneOf(source.host)) ?? null;
    await deps.compute.finishRevertSnapshotBasedResizeAtSource(ctx, source.host, { instance_uuid: uuid, migration_uuid: args.migration_uuid, availability_zone: zone });
    const admin = elevated(ctx);
    for (const vif of await source.repos.vifs.list(uuid)) await deps.network.deletePortBinding(admin, vif.uuid, target.host).catch(() => undefined);
    await source.repos.actions.recordEvent({ instanceUuid: uuid, requestId: ctx.requestId, event: 'conductor_revert_snapshot_based_resize', startTime: started, result: 'Success', host: null });
    await deps.compute.updateResources(ctx, target.host).catch(() => undefined);
    log.info('cross-cell resize reverted');
  } catch (err) {
    log.error({ err }, 'reverting the cross-cell resize failed');
    const e = asTesseraError(err);
    await home.actions.recordEvent({ instanceUuid: uuid, requestId: ctx.requestId, event: 'conductor_revert_snapshot_based_resize', startTime: started, result: 'Error', host: null, traceback: e.message }).catch(() => undefined);
    await home.migrations.update(args.migration_uuid, { status: MigrationStatus.ERROR }).catch(() => undefined);
    await home.instances.update(uuid, { vm_state: VmState.ERROR, task_state: null }).catch(() => undefined);
    await home.faults.record({ instance_uuid: uuid, code: e.status, message: e.message, details: err instanceof Error ? (err.stack ?? null) : null, host: null }).catch(() => undefined);
  }
}
