import { bestEffort } from '../../common/best-effort.js';
import { asTesseraError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { CellRepos } from '../../db/cell/cell-repos.js';
import { MigrationStatus } from '../../objects/migration.js';
import { PowerState } from '../../objects/power-state.js';
import { VmState } from '../../objects/vm-state.js';
import type { CrossCellMoveArgs } from '../../rpc/contracts/conductor-rpc.js';
import type { MoveDeps } from '../move/migrate-server.js';
import { locateCrossCellMove } from './cross-cell-context.js';

/**
 * Confirms a cross-cell move (Nova's ConfirmResizeTask): the source compute drops what the move
 * left there, the source cell's records of the instance are deleted, the migration's allocation is
 * dropped, and the server settles in the target cell (ACTIVE, or SHUTOFF when its guest is off);
 * migration `confirmed`. On failure the server goes to ERROR with a fault and the migration to
 * `error`; its allocation is dropped all the same (nothing will use it, and nothing else would
 * release it). Not thrown: a delete that waited for the confirm goes on and deletes the server.
 */
export async function confirmCrossCell(deps: MoveDeps, ctx: RequestContext, args: CrossCellMoveArgs): Promise<void> {
  const started = deps.clock.now().toISOString();
  const log = deps.logger.child({ request_id: ctx.requestId, instance_uuid: args.instance_uuid, migration_uuid: args.migration_uuid, cross_cell: true });
  let home: CellRepos | undefined;
  try {
    const move = await locateCrossCellMove(deps, args.instance_uuid, args.migration_uuid);
    const { repos } = move.current;
    home = repos;
    await deps.notifier.instanceAction(ctx, repos, { instance: move.instance, action: 'resize_confirm', phase: 'start', host: move.current.host });
    const atSource = deps.clock.now().toISOString();
    await deps.compute.confirmSnapshotBasedResizeAtSource(ctx, move.source.host, { instance_uuid: args.instance_uuid, migration_uuid: args.migration_uuid });
    await repos.actions.recordEvent({ instanceUuid: args.instance_uuid, requestId: ctx.requestId, event: 'compute_confirm_snapshot_based_resize_at_source', startTime: atSource, result: 'Success', host: move.source.host });
    await move.source.repos.instances.hardDelete(args.instance_uuid);
    await deps.placement.deleteAllocations(args.migration_uuid);
    await repos.migrations.update(args.migration_uuid, { status: MigrationStatus.CONFIRMED }, [MigrationStatus.CONFIRMING]);
    const instance = await repos.instances.get(args.instance_uuid);
    await repos.instances.update(args.instance_uuid, {
      vm_state: instance.power_state === PowerState.SHUTDOWN ? VmState.STOPPED : VmState.ACTIVE, task_state: null, old_flavor: null, new_flavor: null,
    }, { vmState: [VmState.RESIZED] });
    await repos.actions.recordEvent({ instanceUuid: args.instance_uuid, requestId: ctx.requestId, event: 'conductor_confirm_snapshot_based_resize', startTime: started, result: 'Success', host: null });
    await bestEffort(log, 'update_source_resources', () => deps.compute.updateResources(ctx, move.source.host), { host: move.source.host });
    await deps.notifier.instanceAction(ctx, repos, { instance: await repos.instances.get(args.instance_uuid), action: 'resize_confirm', phase: 'end', host: move.current.host });
    log.info('cross-cell resize confirmed');
  } catch (err) {
    log.error({ err }, 'confirming the cross-cell resize failed');
    const e = asTesseraError(err);
    await bestEffort(log, 'drop_migration_allocation', () => deps.placement.deleteAllocations(args.migration_uuid));
    if (home === undefined) return;
    const repos = home;
    await bestEffort(log, 'record_event', () => repos.actions.recordEvent({ instanceUuid: args.instance_uuid, requestId: ctx.requestId, event: 'conductor_confirm_snapshot_based_resize', startTime: started, result: 'Error', host: null, traceback: e.message }));
    await bestEffort(log, 'error_migration', () => repos.migrations.update(args.migration_uuid, { status: MigrationStatus.ERROR }));
    await bestEffort(log, 'error_instance', () => repos.instances.update(args.instance_uuid, { vm_state: VmState.ERROR, task_state: null }));
    await bestEffort(log, 'record_fault', () => repos.faults.record({ instance_uuid: args.instance_uuid, code: e.status, message: e.message, details: err instanceof Error ? (err.stack ?? null) : null, host: null }));
  }
}
