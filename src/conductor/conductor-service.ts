import type { RequestContext } from '../common/request-context.js';
import type { RpcBus, RpcServer } from '../rpc/bus.js';
import { CONDUCTOR_METHODS, CONDUCTOR_TOPIC, type CrossCellMoveArgs, type MigrateServerArgs, type RescheduleArgs, type RescheduleMoveArgs, type ScheduleAndBuildArgs } from '../rpc/contracts/conductor-rpc.js';
import { rescheduleBuild } from './build/reschedule-build.js';
import { scheduleAndBuild } from './build/schedule-and-build.js';
import { confirmCrossCellThenQueuedDelete } from './cross-cell/queued-delete.js';
import { revertCrossCell } from './cross-cell/revert-cross-cell.js';
import { migrateServer, type MoveDeps } from './move/migrate-server.js';
import { rescheduleMove } from './move/reschedule-move.js';

/**
 * The (super)conductor: the only service that writes to the API database and the cell databases
 * in one operation. It serves the `conductor` topic; the flows live in their own modules.
 */
export class ConductorService {
  private server: RpcServer | undefined;

  constructor(private readonly deps: MoveDeps & { bus: RpcBus }) {}

  async start(): Promise<void> {
    this.server = await this.deps.bus.serve(CONDUCTOR_TOPIC, {
      [CONDUCTOR_METHODS.scheduleAndBuildInstances]: (ctx: RequestContext, args: ScheduleAndBuildArgs) => scheduleAndBuild(this.deps, ctx, args.instance_uuids),
      [CONDUCTOR_METHODS.rescheduleBuild]: (ctx: RequestContext, args: RescheduleArgs) => rescheduleBuild(this.deps, ctx, args),
      [CONDUCTOR_METHODS.migrateServer]: (ctx: RequestContext, args: MigrateServerArgs) => migrateServer(this.deps, ctx, args),
      [CONDUCTOR_METHODS.rescheduleMove]: (ctx: RequestContext, args: RescheduleMoveArgs) => rescheduleMove(this.deps, ctx, args),
      [CONDUCTOR_METHODS.confirmSnapshotBasedResize]: (ctx: RequestContext, args: CrossCellMoveArgs) => confirmCrossCellThenQueuedDelete(this.deps, ctx, args),
      [CONDUCTOR_METHODS.revertSnapshotBasedResize]: (ctx: RequestContext, args: CrossCellMoveArgs) => revertCrossCell(this.deps, ctx, args),
    });
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }
}
