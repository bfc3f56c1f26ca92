import type { Clock } from '../common/clock.js';
import type { IdGenerator } from '../common/ids.js';
import type { Logger } from '../common/logger.js';
import type { RequestContext } from '../common/request-context.js';
import type { CellRepos } from '../db/cell/cell-repos.js';
import type { ImageClient } from '../image/index.js';
import type { NetworkClient } from '../network/index.js';
import type { InstanceNotifier } from '../notifications/index.js';
import type { RpcBus, RpcServer } from '../rpc/bus.js';
import {
  COMPUTE_METHODS, ComputeRpcClient, computeTopic, type AbortMoveArgs, type AttachInterfaceArgs, type AttachVolumeArgs, type BuildArgs, type DetachInterfaceArgs, type DetachVolumeArgs,
  type InstanceArgs, type MoveArgs, type RebootArgs, type SnapshotArgs, type SnapshotMoveArgs,
} from '../rpc/contracts/compute-rpc.js';
import type { PlacementClient } from '../placement/index.js';
import type { ConductorRpcClient } from '../rpc/contracts/conductor-rpc.js';
import type { VirtDriver } from '../virt/index.js';
import type { VolumeClient } from '../volume/index.js';
import { abortMove } from './handlers/abort-move.js';
import { buildAndRunInstance } from './handlers/build-and-run-instance.js';
import { confirmResize } from './handlers/confirm-resize.js';
import { finishSnapshotBasedResizeAtDest, revertSnapshotBasedResizeAtDest } from './handlers/cross-cell-dest.js';
import { confirmSnapshotBasedResizeAtSource, finishRevertSnapshotBasedResizeAtSource, prepSnapshotBasedResizeAtSource } from './handlers/cross-cell-source.js';
import { finishResize } from './handlers/finish-resize.js';
import { prepResize } from './handlers/prep-resize.js';
import { resizeInstance } from './handlers/resize-instance.js';
import { finishRevertResize, revertResize } from './handlers/revert-resize.js';
import { attachInterfaceHandler, detachInterfaceHandler } from './handlers/interface-attachment-handlers.js';
import { rebootInstance, startInstance, stopInstance } from './handlers/power-handlers.js';
import { reclaimQueuedDeletes } from './handlers/reclaim-queued-deletes.js';
import { restoreInstance } from './handlers/restore-instance.js';
import { softDeleteInstance } from './handlers/soft-delete-instance.js';
import { snapshotInstance } from './handlers/snapshot-instance.js';
import { terminateInstance } from './handlers/terminate-instance.js';
import { attachVolumeHandler, detachVolumeHandler } from './handlers/volume-attachment-handlers.js';
import type { HandlerDeps } from './handler-deps.js';
import { InstanceLocks } from './instance-locks.js';
import { confirmOldResizes } from './periodic/confirm-old-resizes.js';
import { ResourceTracker, type TrackerConfig } from './resource-tracker.js';

export interface ComputeServiceDeps {
  host: string;
  cellName: string;
  cellUuid: string;
  placement: PlacementClient;
  conductor: ConductorRpcClient;
  repos: CellRepos;
  driver: VirtDriver;
  /** The image service, for snapshots (in process, or a client of a real Glance). */
  images: ImageClient;
  /** The volume service, for volume attachments. */
  volumes: VolumeClient;
  /** The network service, for interface attachments. */
  network: NetworkClient;
  /** Versioned notifications, handed to the handlers. */
  notifier: InstanceNotifier;
  bus: RpcBus;
  clock: Clock;
  logger: Logger;
  tracker: TrackerConfig;
  /** Seconds between heartbeats (`[DEFAULT] report_interval`). */
  reportIntervalSeconds: number;
  /** Seconds between resource updates; Nova's update_available_resource periodic task. */
  resourceIntervalSeconds: number;
  /** `[DEFAULT] resize_confirm_window`: resizes waiting longer are confirmed; 0 never. */
  resizeConfirmWindowSeconds?: number;
  /** Request ids of the periodic tasks' own actions. */
  ids: IdGenerator;
  /** `[DEFAULT] reclaim_instance_interval`: soft-deleted servers older than this are deleted; 0 (or absent) is off. */
  reclaimInstanceIntervalSeconds?: number;
}

/**
 * One nova-compute: registers its service record and node, serves `compute.<host>`, reports a
 * heartbeat and its resources periodically. The handlers do the work; this only wires them.
 */
export class ComputeService {
  private server: RpcServer | undefined;
  private timers: NodeJS.Timeout[] = [];

  private constructor(private readonly deps: ComputeServiceDeps, private readonly handlerDeps: HandlerDeps, private readonly serviceId: number) {}

  static async create(deps: ComputeServiceDeps): Promise<ComputeService> {
    const log = deps.logger.child({ service: 'nova-compute', host: deps.host, cell: deps.cellName });
    await deps.driver.init(deps.host);
    const service = await deps.repos.services.register(deps.host, 'nova-compute', 'compute');
    const tracker = new ResourceTracker({
      host: deps.host, cellUuid: deps.cellUuid, serviceId: service.id, repos: deps.repos, driver: deps.driver, placement: deps.placement, config: deps.tracker, logger: log,
    });
    await tracker.update();
    const handlerDeps: HandlerDeps = {
      host: deps.host, cellUuid: deps.cellUuid, placement: deps.placement, conductor: deps.conductor, compute: new ComputeRpcClient({ bus: deps.bus }), repos: deps.repos, driver: deps.driver, images: deps.images,
      volumes: deps.volumes, network: deps.network, locks: new InstanceLocks(), tracker, notifier: deps.notifier, clock: deps.clock, logger: log,
    };
    return new ComputeService({ ...deps, logger: log }, handlerDeps, service.id);
  }

  async start(): Promise<void> {
    const d = this.handlerDeps;
    this.server = await this.deps.bus.serve(computeTopic(this.deps.host), {
      [COMPUTE_METHODS.buildAndRunInstance]: (ctx: RequestContext, args: BuildArgs) => buildAndRunInstance(d, ctx, args),
      [COMPUTE_METHODS.stopInstance]: (ctx: RequestContext, args: InstanceArgs) => stopInstance(d, ctx, args),
      [COMPUTE_METHODS.startInstance]: (ctx: RequestContext, args: InstanceArgs) => startInstance(d, ctx, args),
      [COMPUTE_METHODS.rebootInstance]: (ctx: RequestContext, args: RebootArgs) => rebootInstance(d, ctx, args),
      [COMPUTE_METHODS.terminateInstance]: (ctx: RequestContext, args: InstanceArgs) => terminateInstance(d, ctx, args),
      [COMPUTE_METHODS.snapshotInstance]: (ctx: RequestContext, args: SnapshotArgs) => snapshotInstance(d, ctx, args),
      [COMPUTE_METHODS.attachVolume]: (ctx: RequestContext, args: AttachVolumeArgs) => attachVolumeHandler(d, ctx, args),
      [COMPUTE_METHODS.detachVolume]: (ctx: RequestContext, args: DetachVolumeArgs) => detachVolumeHandler(d, ctx, args),
      [COMPUTE_METHODS.attachInterface]: (ctx: RequestContext, args: AttachInterfaceArgs) => attachInterfaceHandler(d, ctx, args),
      [COMPUTE_METHODS.detachInterface]: (ctx: RequestContext, args: DetachInterfaceArgs) => detachInterfaceHandler(d, ctx, args),
      [COMPUTE_METHODS.prepResize]: (ctx: RequestContext, args: MoveArgs) => prepResize(d, ctx, args),
      [COMPUTE_METHODS.resizeInstance]: (ctx: RequestContext, args: MoveArgs) => resizeInstance(d, ctx, args),
      [COMPUTE_METHODS.finishResize]: (ctx: RequestContext, args: MoveArgs) => finishResize(d, ctx, args),
      [COMPUTE_METHODS.confirmResize]: (ctx: RequestContext, args: MoveArgs) => confirmResize(d, ctx, args),
      [COMPUTE_METHODS.revertResize]: (ctx: RequestContext, args: MoveArgs) => revertResize(d, ctx, args),
      [COMPUTE_METHODS.finishRevertResize]: (ctx: RequestContext, args: MoveArgs) => finishRevertResize(d, ctx, args),
      [COMPUTE_METHODS.abortMove]: (ctx: RequestContext, args: AbortMoveArgs) => abortMove(d, ctx, args),
      [COMPUTE_METHODS.updateResources]: () => d.tracker.update(),
      [COMPUTE_METHODS.prepSnapshotBasedResizeAtSource]: (ctx: RequestContext, args: SnapshotMoveArgs) => prepSnapshotBasedResizeAtSource(d, ctx, args),
      [COMPUTE_METHODS.finishSnapshotBasedResizeAtDest]: (ctx: RequestContext, args: SnapshotMoveArgs) => finishSnapshotBasedResizeAtDest(d, ctx, args),
      [COMPUTE_METHODS.confirmSnapshotBasedResizeAtSource]: (ctx: RequestContext, args: MoveArgs) => confirmSnapshotBasedResizeAtSource(d, ctx, args),
      [COMPUTE_METHODS.revertSnapshotBasedResizeAtDest]: (ctx: RequestContext, args: MoveArgs) => revertSnapshotBasedResizeAtDest(d, ctx, args),
      [COMPUTE_METHODS.finishRevertSnapshotBasedResizeAtSource]: (ctx: RequestContext, args: MoveArgs) => finishRevertSnapshotBasedResizeAtSource(d, ctx, args),
      [COMPUTE_METHODS.softDeleteInstance]: (ctx: RequestContext, args: InstanceArgs) => softDeleteInstance(d, ctx, args),
      [COMPUTE_METHODS.restoreInstance]: (ctx: RequestContext, args: InstanceArgs) => restoreInstance(d, ctx, args),
    });
    this.every(this.deps.reportIntervalSeconds, 'heartbeat', () => this.deps.repos.services.heartbeat(this.serviceId));
    this.every(this.deps.resourceIntervalSeconds, 'update_available_resource', () => d.tracker.update({ correct: true }));
    const window = this.deps.resizeConfirmWindowSeconds ?? 0;
    // Nova polls every minute; a window under a minute is polled four times per window (at most
    // every 250 ms), so that a resize is confirmed close to when its window ends.
    if (window > 0) this.every(window >= 60 ? 60 : Math.max(0.25, window / 4), 'poll_unconfirmed_resizes', async () => void (await confirmOldResizes({ ...d, ids: this.deps.ids }, window)));
    const reclaim = this.deps.reclaimInstanceIntervalSeconds ?? 0;
    // Nova runs this periodic task every minute; a shorter interval is looked at as often as it lasts.
    if (reclaim > 0) this.every(Math.min(reclaim, 60), 'reclaim_queued_deletes', () => reclaimQueuedDeletes(d, reclaim).then(() => undefined));
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.server?.stop();
    await this.deps.driver.cleanup();
  }

  private every(seconds: number, name: string, work: () => Promise<void>): void {
    const timer = setInterval(() => {
      work().catch((err: unknown) => this.deps.logger.error({ err, task: name }, 'periodic task failed'));
    }, seconds * 1000);
    timer.unref();
    this.timers.push(timer);
  }
}
