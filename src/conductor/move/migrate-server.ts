import type { FaultInjector } from '../../common/fault-injector.js';
import type { IdGenerator } from '../../common/ids.js';
import { ConflictError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import { MigrationStatus } from '../../objects/migration.js';
import { VmState } from '../../objects/vm-state.js';
import { bestEffort } from '../../common/best-effort.js';
import type { RequestSpec } from '../../objects/request-spec.js';
import type { MigrateServerArgs } from '../../rpc/contracts/conductor-rpc.js';
import type { Selection } from '../../rpc/contracts/scheduler-rpc.js';
import type { BuildDeps } from '../build/schedule-and-build.js';
import { runTasks } from '../tasks/task-runner.js';
import { CreateMigrationTask } from './create-migration-task.js';
import { moveRequestSpec } from './move-request-spec.js';
import { SwapSourceAllocationTask } from './swap-source-allocation-task.js';
import { runCrossCellMove } from '../cross-cell/cross-cell-migrate.js';
import { carryOutQueuedDelete } from '../cross-cell/queued-delete.js';
import { failBeforeCompute } from './fail-before-compute.js';
import type { CrossCellMove } from '../cross-cell/cross-cell-tasks.js';
import { moveError } from '../../rpc/contracts/move-error.js';
import type { ImageClient } from '../../image/index.js';
import type { NetworkClient } from '../../network/index.js';

export interface MoveDeps extends BuildDeps {
  ids: IdGenerator;
  /** The network service: a cross-cell move binds the ports for the destination beforehand. */
  network: NetworkClient;
  /** The image service: a cross-cell move of an image-backed server goes through a snapshot. */
  images: ImageClient;
  /** Makes each task of a move a fault point (`task.<name>`), for tests and rehearsals. */
  faults?: FaultInjector;
  /** `[DEFAULT] allow_resize_to_same_host`: a resize may pick the host the server is on. */
  allowResizeToSameHost: boolean;
  /**
   * `[DEFAULT] reclaim_instance_interval`: above 0, a delete that the conductor carries out for
   * the API (one that came during a cross-cell move) is a soft delete, as the API's own would be.
   */
  reclaimInstanceIntervalSeconds: number;
}

/**
 * The conductor's half of a resize or cold migration (Nova's MigrationTask): record the migration,
 * move the source allocation to the migration's consumer, ask the scheduler for a destination
 * (which claims the new flavor there under the instance), note the destination, and hand the move
 * to the destination compute. When any of it fails (no valid host, most often), the completed
 * steps are undone in reverse (allocations back as they were, migration `error`), the server goes
 * back to how it was before the request (ACTIVE or SHUTOFF) with a fault, and the action's
 * `conductor_migrate_server` event records the error.
 */
export async function migrateServer(deps: MoveDeps, ctx: RequestContext, args: MigrateServerArgs): Promise<void> {
  const started = deps.clock.now().toISOString();
  const mapping = await deps.api.instanceMappings.get(args.instance_uuid);
  if (mapping.cell_id === null) throw new ConflictError('compute.instance_not_in_cell', `Instance ${args.instance_uuid} is not in a cell.`);
  const cell = await deps.api.cells.getById(mapping.cell_id);
  const repos = deps.cells.repos(cell);
  const instance = await repos.instances.get(args.instance_uuid);
  const migrationUuid = deps.ids.uuid();
  const log = deps.logger.child({ request_id: ctx.requestId, instance_uuid: instance.uuid, migration_uuid: migrationUuid, cell: cell.name, host: instance.host });
  const newFlavor = instance.new_flavor ?? instance.flavor;
  const oldFlavor = instance.old_flavor ?? instance.flavor;
  let selection: Selection | undefined;
  let spec: RequestSpec | undefined;
  let crossCell: CrossCellMove | undefined;
  try {
    await runTasks(
      [
        new CreateMigrationTask({
          repos,
          values: {
            uuid: migrationUuid, instance_uuid: instance.uuid, source_compute: instance.host, source_node: instance.node, dest_compute: null, dest_node: null,
            dest_host: null, old_instance_type_id: oldFlavor.id, new_instance_type_id: newFlavor.id, status: MigrationStatus.PRE_MIGRATING,
            migration_type: args.migration_type, user_id: ctx.userId, project_id: instance.project_id,
          },
        }),
        new SwapSourceAllocationTask({ placement: deps.placement, instanceUuid: instance.uuid, migrationUuid }),
        {
          name: 'select_destination',
          execute: async () => {
            spec = await moveRequestSpec(deps, instance, cell, newFlavor, {
              host: args.host, allowSameHost: args.migration_type === 'resize' && deps.allowResizeToSameHost, allowCrossCell: args.allow_cross_cell === true,
            });
            [selection] = await deps.scheduler.selectDestinations(ctx, { spec, instance_uuids: [instance.uuid] });
          },
          // The claim goes with the allocation swap's rollback, which replaces it.
          rollback: () => Promise.resolve(),
        },
        {
          name: 'record_destination',
          execute: async () => {
            const chosen = required(selection);
            await repos.migrations.update(migrationUuid, { dest_compute: chosen.service_host, dest_node: chosen.nodename }, [MigrationStatus.PRE_MIGRATING]);
          },
          rollback: () => Promise.resolve(),
        },
        {
          name: 'start_move',
          execute: async () => {
            const chosen = required(selection);
            if (chosen.cell_uuid === cell.uuid) {
              const zone = (await deps.api.aggregates.zoneOf(chosen.service_host)) ?? null;
              await deps.compute.prepResize(ctx, chosen.service_host, { instance_uuid: instance.uuid, migration_uuid: migrationUuid, availability_zone: zone, ...(chosen.reschedulable ? { alternates: chosen.alternates } : {}) });
              return;
            }
            const targetCell = (await deps.api.cells.list()).find((c) => c.uuid === chosen.cell_uuid);
            if (targetCell === undefined) throw new ConflictError('cells.cell_not_found', `Cell ${chosen.cell_uuid} is not mapped.`);
            crossCell = {
              ctx, instance, migrationUuid, api: deps.api, compute: deps.compute, network: deps.network, volumes: deps.volumes, images: deps.images, ids: deps.ids, faults: deps.faults,
              source: { cell, repos, host: instance.host ?? '' }, target: { cell: targetCell, repos: deps.cells.repos(targetCell), host: chosen.service_host },
              snapshotId: null, sourceTouched: false, log: log.child({ target_cell: targetCell.name, dest_host: chosen.service_host }),
            };
            await runCrossCellMove(crossCell);
          },
          rollback: () => Promise.resolve(),
        },
      ],
      log,
      deps.faults,
    );
  } catch (err) {
    if (crossCell?.sourceTouched === true) {
      // The source compute already powered the guest off and set its disks aside: it takes the
      // instance back, in ERROR with a fault (the allocations are already back on the instance).
      await bestEffort(log, 'record_event', () => repos.actions.recordEvent({
        instanceUuid: instance.uuid, requestId: ctx.requestId, event: 'conductor_migrate_server', startTime: started, result: 'Error', host: null, traceback: err instanceof Error ? (err.stack ?? err.message) : String(err),
      }));
      const handed = await bestEffort(log, 'hand_back_to_source', () => deps.compute.abortMove(ctx, instance.host ?? '', { instance_uuid: instance.uuid, migration_uuid: migrationUuid, failed_host: instance.host ?? '', error: moveError(err) }));
      // Nobody will take it back: at least it does not stay in a move state for ever.
      if (!handed) await failBeforeCompute(repos, ctx, instance.uuid, started, err, log, { vm_state: VmState.ERROR });
    } else {
      await failBeforeCompute(repos, ctx, instance.uuid, started, err, log);
    }
    if (crossCell !== undefined) await carryOutQueuedDelete(deps, ctx, instance.uuid, log);
    let requestSpec = spec;
    if (requestSpec === undefined) await bestEffort(log, 'read_request_spec', async () => (requestSpec = await deps.api.requestSpecs.get(instance.uuid)));
    if (requestSpec !== undefined) {
      await deps.notifier.computeTaskError(ctx, { task: 'migrate_server', instanceUuid: instance.uuid, requestSpec, state: instance.vm_state, reason: err, host: instance.host ?? '' });
    }
    return;
  }
  // After a cross-cell move the instance lives in the target cell: its action is recorded there.
  const home = crossCell === undefined ? repos : crossCell.target.repos;
  try {
    await home.actions.recordEvent({ instanceUuid: instance.uuid, requestId: ctx.requestId, event: 'conductor_migrate_server', startTime: started, result: 'Success', host: null });
    log.info({ destination: selection?.service_host }, 'move handed to the destination compute');
  } finally {
    // A delete queued during a cross-cell move (see queued-delete.ts) is carried out whatever else happens here.
    if (crossCell !== undefined) await carryOutQueuedDelete(deps, ctx, instance.uuid, log);
  }
}

function required<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('a move step ran before the one it depends on');
  return value;
}
