import type { RequestContext } from '../../common/request-context.js';
import type { RpcBus } from '../bus.js';
import type { HostChoice } from './scheduler-rpc.js';

export const CONDUCTOR_TOPIC = 'conductor';

export const CONDUCTOR_METHODS = {
  scheduleAndBuildInstances: 'schedule_and_build_instances',
  rescheduleBuild: 'reschedule_build',
  rescheduleMove: 'reschedule_move',
  migrateServer: 'migrate_server',
  confirmSnapshotBasedResize: 'confirm_snapshot_based_resize',
  revertSnapshotBasedResize: 'revert_snapshot_based_resize',
} as const;

/** A finished cross-cell move to confirm or revert; the API has claimed the migration (`confirming`/`reverting`). */
export interface CrossCellMoveArgs {
  instance_uuid: string;
  migration_uuid: string;
}

/**
 * A resize or cold migration the API accepted: the instance is in RESIZE_PREP with its old and
 * new flavors recorded (equal for a cold migration), and its action started under the request id.
 */
export interface MigrateServerArgs {
  instance_uuid: string;
  migration_type: 'resize' | 'migration';
  /** The host an administrator asked for (2.56+), already checked to exist; null lets the scheduler choose. */
  host: string | null;
  /** The requester passed `compute:servers:resize:cross_cell`: the scheduler may pick another cell. */
  allow_cross_cell?: boolean;
}

export interface RescheduleArgs {
  instance_uuid: string;
  cell_uuid: string;
  /** The host whose build failed, and why. */
  failed_host: string;
  reason: string;
  alternates: HostChoice[];
}

/**
 * A resize or cold migration whose destination failed its prep step (Nova's prep_resize) and gave
 * the source allocation back to the instance: try the next alternate of the same cell.
 */
export interface RescheduleMoveArgs {
  instance_uuid: string;
  migration_uuid: string;
  /** The destination that failed, and why. */
  failed_host: string;
  reason: string;
  alternates: HostChoice[];
}

export interface ScheduleAndBuildArgs {
  /** Instances of one request, whose build requests and request specs are in the API database. */
  instance_uuids: string[];
}

/** The caller's side of the conductor contract. */
export class ConductorRpcClient {
  constructor(private readonly deps: { bus: RpcBus }) {}

  scheduleAndBuildInstances(ctx: RequestContext, args: ScheduleAndBuildArgs): Promise<void> {
    return this.deps.bus.cast(ctx, CONDUCTOR_TOPIC, CONDUCTOR_METHODS.scheduleAndBuildInstances, args);
  }

  /** Schedules and starts a resize or cold migration (Nova's migrate_server, cast). */
  migrateServer(ctx: RequestContext, args: MigrateServerArgs): Promise<void> {
    return this.deps.bus.cast(ctx, CONDUCTOR_TOPIC, CONDUCTOR_METHODS.migrateServer, args);
  }

  /** Confirms a cross-cell move (cast). */
  confirmSnapshotBasedResize(ctx: RequestContext, args: CrossCellMoveArgs): Promise<void> {
    return this.deps.bus.cast(ctx, CONDUCTOR_TOPIC, CONDUCTOR_METHODS.confirmSnapshotBasedResize, args);
  }

  /** Confirms a cross-cell move and answers once done (a delete of the server waits for it). */
  confirmSnapshotBasedResizeAndWait(ctx: RequestContext, args: CrossCellMoveArgs): Promise<void> {
    return this.deps.bus.call(ctx, CONDUCTOR_TOPIC, CONDUCTOR_METHODS.confirmSnapshotBasedResize, args);
  }

  /** Reverts a cross-cell move (cast). */
  revertSnapshotBasedResize(ctx: RequestContext, args: CrossCellMoveArgs): Promise<void> {
    return this.deps.bus.cast(ctx, CONDUCTOR_TOPIC, CONDUCTOR_METHODS.revertSnapshotBasedResize, args);
  }

  /** A compute whose build failed hands the instance back to try the next alternate host. */
  rescheduleBuild(ctx: RequestContext, args: RescheduleArgs): Promise<void> {
    return this.deps.bus.cast(ctx, CONDUCTOR_TOPIC, CONDUCTOR_METHODS.rescheduleBuild, args);
  }

  /** A destination whose prep step failed hands the move back to try the next alternate host. */
  rescheduleMove(ctx: RequestContext, args: RescheduleMoveArgs): Promise<void> {
    return this.deps.bus.cast(ctx, CONDUCTOR_TOPIC, CONDUCTOR_METHODS.rescheduleMove, args);
  }
}
