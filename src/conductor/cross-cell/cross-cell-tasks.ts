import type { FaultInjector } from '../../common/fault-injector.js';
import type { IdGenerator } from '../../common/ids.js';
import { bestEffort } from '../../common/best-effort.js';
import type { Logger } from '../../common/logger.js';
import { elevated, type RequestContext } from '../../common/request-context.js';
import type { ApiRepos } from '../../db/api/api-repos.js';
import type { CellRepos } from '../../db/cell/cell-repos.js';
import type { ImageClient } from '../../image/index.js';
import type { NetworkClient } from '../../network/index.js';
import type { CellMapping } from '../../objects/cell-mapping.js';
import type { Instance } from '../../objects/instance.js';
import { MigrationStatus } from '../../objects/migration.js';
import { MOVE_SNAPSHOT_MIGRATION, MOVE_SNAPSHOT_OF } from '../../objects/move-snapshot.js';
import type { ComputeRpcClient } from '../../rpc/contracts/compute-rpc.js';
import type { VolumeClient } from '../../volume/index.js';
import type { Task } from '../tasks/task.js';
import { copyInstanceRecords } from './copy-instance-records.js';
import { syncActionEvents } from './sync-action-events.js';

/** What the steps of one cross-cell move share. */
export interface CrossCellMove {
  ctx: RequestContext;
  instance: Instance;
  migrationUuid: string;
  source: { cell: CellMapping; repos: CellRepos; host: string };
  target: { cell: CellMapping; repos: CellRepos; host: string };
  api: ApiRepos;
  compute: ComputeRpcClient;
  network: NetworkClient;
  volumes: VolumeClient;
  images: ImageClient;
  ids: IdGenerator;
  faults?: FaultInjector;
  /** Carries the request, instance, migration and cells. */
  log: Logger;
  /** The temporary snapshot of an image-backed guest, once made. */
  snapshotId: string | null;
  /** Set once the source compute took part: a failure from then on puts the instance back there in ERROR. */
  sourceTouched: boolean;
}

/**
 * Step 1 (Nova's TargetDBSetupTask): the instance and everything that belongs to it copied into
 * the target cell, hidden, with the migration (same uuid) marked cross-cell in both cells.
 * Rollback removes the copy for good.
 */
export function targetDbSetupTask(m: CrossCellMove): Task {
  return {
    name: 'target_db_setup',
    execute: async () => {
      await m.source.repos.migrations.update(m.migrationUuid, { cross_cell_move: true });
      await copyInstanceRecords(m.source.repos.db, m.target.repos.db, m.instance.uuid, { hidden: true });
    },
    rollback: () => m.target.repos.instances.hardDelete(m.instance.uuid),
  };
}

/**
 * Step 2 (Nova's PrepResizeAtDestTask): an inactive port binding for the destination host on each
 * port, and an attachment reserved for each volume, recorded in the target cell's mappings; the
 * destination's tracker then counts the incoming instance. Rollback deletes bindings and
 * attachments.
 */
export function prepAtDestTask(m: CrossCellMove): Task {
  const bound: string[] = [];
  const reserved: string[] = [];
  const admin = elevated(m.ctx);
  const undo = async (): Promise<void> => {
    for (const port of bound) await bestEffort(m.log, 'delete_destination_binding', () => m.network.deletePortBinding(admin, port, m.target.host), { port_id: port, host: m.target.host });
    for (const id of reserved) await bestEffort(m.log, 'delete_reserved_attachment', () => m.volumes.attachmentDelete(m.ctx, id), { attachment_id: id });
    await bestEffort(m.log, 'update_destination_resources', () => m.compute.updateResources(m.ctx, m.target.host), { host: m.target.host });
  };
  return {
    name: 'prep_resize_at_dest',
    // A failure part way undoes what this step already did (the runner undoes only completed steps).
    execute: () => withSelfUndo(m.log, undo, async () => {
      for (const vif of await m.target.repos.vifs.list(m.instance.uuid)) {
        await m.network.createPortBinding(admin, vif.uuid, { host: m.target.host });
        bound.push(vif.uuid);
      }
      for (const bdm of await m.target.repos.bdms.list(m.instance.uuid)) {
        if (bdm.destination_type !== 'volume' || bdm.volume_id === null) continue;
        const attachment = await m.volumes.attachmentCreate(m.ctx, bdm.volume_id, m.instance.uuid);
        reserved.push(attachment.id);
        await m.target.repos.bdms.update(bdm.uuid, { attachment_id: attachment.id, connection_info: null });
      }
      await m.target.repos.migrations.update(m.migrationUuid, { status: MigrationStatus.PRE_MIGRATING });
      await m.compute.updateResources(m.ctx, m.target.host);
    }),
    rollback: undo,
  };
}

/**
 * Step 3 (Nova's PrepResizeAtSourceTask): for an image-backed server a temporary snapshot image
 * (marked as the move's, so an audit can tell an orphan), then the source compute powers off,
 * snapshots and sets the disks aside. Rollback deletes the snapshot.
 */
export function prepAtSourceTask(m: CrossCellMove, volumeBacked: boolean): Task {
  const admin = elevated(m.ctx);
  const undo = async (): Promise<void> => {
    const id = m.snapshotId;
    if (id !== null) await bestEffort(m.log, 'delete_snapshot', () => m.images.delete(admin, id), { image_id: id });
    m.snapshotId = null;
  };
  return {
    name: 'prep_resize_at_source',
    execute: () => withSelfUndo(m.log, undo, async () => {
      if (!volumeBacked) {
        const image = await m.images.create(admin, {
          name: `${m.instance.display_name}-resize-temp`,
          visibility: 'private',
          properties: { [MOVE_SNAPSHOT_OF]: m.instance.uuid, [MOVE_SNAPSHOT_MIGRATION]: m.migrationUuid, image_type: 'snapshot', instance_uuid: m.instance.uuid },
        });
        m.snapshotId = image.id;
      }
      m.sourceTouched = true;
      await m.compute.prepSnapshotBasedResizeAtSource(m.ctx, m.source.host, { instance_uuid: m.instance.uuid, migration_uuid: m.migrationUuid, snapshot_id: m.snapshotId });
      // The target copy follows the source's progress (it was copied before the source moved on).
      const now = await m.source.repos.instances.get(m.instance.uuid);
      await m.target.repos.instances.update(m.instance.uuid, { task_state: now.task_state, power_state: now.power_state, system_metadata: now.system_metadata });
      await m.target.repos.migrations.update(m.migrationUuid, { status: MigrationStatus.POST_MIGRATING });
    }),
    rollback: undo,
  };
}

/**
 * Step 4 (Nova's FinishResizeAtDestTask, compute half): the destination builds the guest on the
 * target copy. Rollback (a later step failed) has the destination destroy it and drop its
 * attachments.
 */
export function finishAtDestTask(m: CrossCellMove): Task {
  return {
    name: 'finish_resize_at_dest',
    execute: async () => {
      const zone = (await m.api.aggregates.zoneOf(m.target.host)) ?? null;
      await m.compute.finishSnapshotBasedResizeAtDest(m.ctx, m.target.host, { instance_uuid: m.instance.uuid, migration_uuid: m.migrationUuid, snapshot_id: m.snapshotId, availability_zone: zone });
    },
    rollback: () => m.compute.revertSnapshotBasedResizeAtDest(m.ctx, m.target.host, { instance_uuid: m.instance.uuid, migration_uuid: m.migrationUuid }),
  };
}

/**
 * Step 5 (FinishResizeAtDestTask, conductor half): the switch. The source copy is hidden first,
 * then the mapping points at the target cell and the target copy shows, so the server is never
 * listed twice; the events recorded in the source cell during the move are carried over.
 */
export function switchCellsTask(m: CrossCellMove): Task {
  const uuid = m.instance.uuid;
  const rollback = async (): Promise<void> => {
    await m.target.repos.instances.update(uuid, { hidden: true });
    await m.target.repos.migrations.update(m.migrationUuid, { hidden: true });
    await m.api.instanceMappings.setCell(uuid, m.source.cell.id);
    await m.source.repos.migrations.update(m.migrationUuid, { hidden: false });
    await m.source.repos.instances.update(uuid, { hidden: false });
  };
  return {
    name: 'switch_to_target_cell',
    // A failure part way puts everything back as before the switch (the runner undoes only
    // completed steps); the events are carried first, and only history depends on them.
    execute: () => withSelfUndo(m.log, rollback, async () => {
      await bestEffort(m.log, 'carry_events', () => syncActionEvents(m.source.repos.db, m.target.repos.db, uuid));
      await m.source.repos.instances.update(uuid, { hidden: true });
      await m.source.repos.migrations.update(m.migrationUuid, { hidden: true, status: MigrationStatus.FINISHED });
      await m.api.instanceMappings.setCell(uuid, m.target.cell.id);
      await m.target.repos.migrations.update(m.migrationUuid, { hidden: false });
      await m.target.repos.instances.update(uuid, { hidden: false });
    }),
    rollback,
  };
}

/** Runs a step; when it fails part way, undoes what it did (logging an undo that fails) before rethrowing the original error. */
async function withSelfUndo(log: Logger, undo: () => Promise<void>, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    await bestEffort(log, 'undo_failed_step', undo);
    throw err;
  }
}
