import type { RequestContext } from '../../common/request-context.js';
import type { FixedIpRequest, PortView } from '../../network/index.js';
import type { BlockDeviceMapping } from '../../objects/block-device.js';
import type { RequestedNetwork } from '../../objects/requested-network.js';
import type { RpcBus } from '../bus.js';
import type { HostChoice } from './scheduler-rpc.js';

/** Methods each compute serves on its topic `compute.<host>`. */
export const COMPUTE_METHODS = {
  buildAndRunInstance: 'build_and_run_instance',
  stopInstance: 'stop_instance',
  startInstance: 'start_instance',
  rebootInstance: 'reboot_instance',
  terminateInstance: 'terminate_instance',
  snapshotInstance: 'snapshot_instance',
  attachVolume: 'attach_volume',
  detachVolume: 'detach_volume',
  attachInterface: 'attach_interface',
  detachInterface: 'detach_interface',
  prepResize: 'prep_resize',
  resizeInstance: 'resize_instance',
  finishResize: 'finish_resize',
  confirmResize: 'confirm_resize',
  revertResize: 'revert_resize',
  finishRevertResize: 'finish_revert_resize',
  abortMove: 'abort_move',
  updateResources: 'update_available_resource',
  prepSnapshotBasedResizeAtSource: 'prep_snapshot_based_resize_at_source',
  finishSnapshotBasedResizeAtDest: 'finish_snapshot_based_resize_at_dest',
  confirmSnapshotBasedResizeAtSource: 'confirm_snapshot_based_resize_at_source',
  revertSnapshotBasedResizeAtDest: 'revert_snapshot_based_resize_at_dest',
  finishRevertSnapshotBasedResizeAtSource: 'finish_revert_snapshot_based_resize_at_source',
  softDeleteInstance: 'soft_delete_instance',
  restoreInstance: 'restore_instance',
} as const;

export interface BuildArgs {
  instance_uuid: string;
  node: string;
  /** Hosts of the same cell a failed build may be retried on (already filtered and weighed). */
  alternates: HostChoice[];
  /**
   * A failed build goes back to the conductor, which tries the alternates and reports "Exceeded
   * maximum number of retries" when none is left; false when retries are off (max_attempts = 1).
   */
  reschedulable: boolean;
  /**
   * The interfaces to give the instance (from its request spec, `auto` resolved): ports to create
   * on networks, and ports the user made. Absent from older senders means none.
   */
  requested_networks?: RequestedNetwork[];
}
export interface InstanceArgs {
  instance_uuid: string;
}
export interface RebootArgs extends InstanceArgs {
  reboot_type: 'SOFT' | 'HARD';
}

export interface SnapshotArgs extends InstanceArgs {
  /** The queued image the API created for the snapshot. */
  image_id: string;
}

export interface AttachVolumeArgs extends InstanceArgs {
  volume_id: string;
  /** The attachment the API reserved; the API deletes it if the attach fails. */
  attachment_id: string;
  /** The device the user asked for; the first free one when null. */
  device: string | null;
  tag: string | null;
  delete_on_termination: boolean;
}

export interface DetachVolumeArgs extends InstanceArgs {
  volume_id: string;
}

/** Exactly one of `port_id` and `network_id`. */
export interface AttachInterfaceArgs extends InstanceArgs {
  port_id: string | null;
  network_id: string | null;
  fixed_ips: FixedIpRequest[] | null;
  tag: string | null;
}

export interface DetachInterfaceArgs extends InstanceArgs {
  port_id: string;
}

/** What attach_interface answers: the port as it is now, bound to the instance, and its tag. */
export interface AttachInterfaceResult {
  port: PortView;
  tag: string | null;
}

/** One step of a resize or cold migration: the instance and its migration record (same cell). */
export interface MoveArgs extends InstanceArgs {
  migration_uuid: string;
  /**
   * The zone of the host the instance ends on when this flow lands (the destination's for a move,
   * the source's for a revert), which the instance then shows, as Nova's does; absent: unchanged.
   */
  availability_zone?: string | null;
  /**
   * For the destination's prep step (Nova's host_list): other hosts of the same cell the scheduler
   * claimed nothing on, to try in turn when this one fails; absent when the move may not be
   * retried (`[scheduler] max_attempts` = 1).
   */
  alternates?: HostChoice[];
}

/**
 * A move failed at `failed_host`; the source compute puts the instance back on itself (guest,
 * volumes, ports, allocations) in ERROR with a fault carrying the error.
 */
export interface AbortMoveArgs extends MoveArgs {
  failed_host: string;
  error: { code: string; message: string; status: number; details: string | null };
}

/** A step of a cross-cell move: the temporary snapshot of an image-backed guest, null for a volume-backed one. */
export interface SnapshotMoveArgs extends MoveArgs {
  snapshot_id: string | null;
}

export function computeTopic(host: string): string {
  return `compute.${host}`;
}

/**
 * The caller's side of the compute contract. Lifecycle operations are casts, as in Nova; the
 * attachments are calls, so that the API answers with their result (the device, the port) and
 * hears of their failure (to release what it reserved).
 */
export class ComputeRpcClient {
  /** `longTimeoutMs` (Nova's long_rpc_timeout) bounds the calls that snapshot, upload or spawn. */
  constructor(private readonly deps: { bus: RpcBus; longTimeoutMs?: number }) {}

  private long(): { timeoutMs?: number } {
    return this.deps.longTimeoutMs === undefined ? {} : { timeoutMs: this.deps.longTimeoutMs };
  }

  buildAndRunInstance(ctx: RequestContext, host: string, args: BuildArgs): Promise<void> {
    return this.deps.bus.cast(ctx, computeTopic(host), COMPUTE_METHODS.buildAndRunInstance, args);
  }

  stopInstance(ctx: RequestContext, host: string, args: InstanceArgs): Promise<void> {
    return this.deps.bus.cast(ctx, computeTopic(host), COMPUTE_METHODS.stopInstance, args);
  }

  startInstance(ctx: RequestContext, host: string, args: InstanceArgs): Promise<void> {
    return this.deps.bus.cast(ctx, computeTopic(host), COMPUTE_METHODS.startInstance, args);
  }

  rebootInstance(ctx: RequestContext, host: string, args: RebootArgs): Promise<void> {
    return this.deps.bus.cast(ctx, computeTopic(host), COMPUTE_METHODS.rebootInstance, args);
  }

  terminateInstance(ctx: RequestContext, host: string, args: InstanceArgs): Promise<void> {
    return this.deps.bus.cast(ctx, computeTopic(host), COMPUTE_METHODS.terminateInstance, args);
  }

  snapshotInstance(ctx: RequestContext, host: string, args: SnapshotArgs): Promise<void> {
    return this.deps.bus.cast(ctx, computeTopic(host), COMPUTE_METHODS.snapshotInstance, args);
  }

  /** Destination: claims the move and hands it to the source (Nova's prep_resize). */
  prepResize(ctx: RequestContext, host: string, args: MoveArgs): Promise<void> {
    return this.deps.bus.cast(ctx, computeTopic(host), COMPUTE_METHODS.prepResize, args);
  }

  /** Source: powers the guest off, sets its disks aside, hands over to the destination. */
  resizeInstance(ctx: RequestContext, host: string, args: MoveArgs): Promise<void> {
    return this.deps.bus.cast(ctx, computeTopic(host), COMPUTE_METHODS.resizeInstance, args);
  }

  /** Destination: builds the guest with the new flavor; the server goes to VERIFY_RESIZE. */
  finishResize(ctx: RequestContext, host: string, args: MoveArgs): Promise<void> {
    return this.deps.bus.cast(ctx, computeTopic(host), COMPUTE_METHODS.finishResize, args);
  }

  /** Source: drops what the move left there and the source allocation. */
  confirmResize(ctx: RequestContext, host: string, args: MoveArgs): Promise<void> {
    return this.deps.bus.cast(ctx, computeTopic(host), COMPUTE_METHODS.confirmResize, args);
  }

  /** As confirmResize, answering once the source is done (a delete of a resized server waits for it). */
  confirmResizeAndWait(ctx: RequestContext, host: string, args: MoveArgs): Promise<void> {
    return this.deps.bus.call(ctx, computeTopic(host), COMPUTE_METHODS.confirmResize, args);
  }

  /** Destination: tears the new guest down and hands the revert to the source. */
  revertResize(ctx: RequestContext, host: string, args: MoveArgs): Promise<void> {
    return this.deps.bus.cast(ctx, computeTopic(host), COMPUTE_METHODS.revertResize, args);
  }

  /** Source: brings the guest back with its old flavor. */
  finishRevertResize(ctx: RequestContext, host: string, args: MoveArgs): Promise<void> {
    return this.deps.bus.cast(ctx, computeTopic(host), COMPUTE_METHODS.finishRevertResize, args);
  }

  /** Source: a step of a move failed elsewhere; put the instance back here, in ERROR. */
  abortMove(ctx: RequestContext, host: string, args: AbortMoveArgs): Promise<void> {
    return this.deps.bus.cast(ctx, computeTopic(host), COMPUTE_METHODS.abortMove, args);
  }

  /** Asks a compute to report its resources now (a move it took part in was undone elsewhere). */
  updateResources(ctx: RequestContext, host: string): Promise<void> {
    return this.deps.bus.cast(ctx, computeTopic(host), COMPUTE_METHODS.updateResources, {});
  }

  /** Cross-cell, source: powers off, snapshots an image-backed guest into `snapshot_id`, sets the disks aside. */
  prepSnapshotBasedResizeAtSource(ctx: RequestContext, host: string, args: SnapshotMoveArgs): Promise<void> {
    return this.deps.bus.call(ctx, computeTopic(host), COMPUTE_METHODS.prepSnapshotBasedResizeAtSource, args, this.long());
  }

  /** Cross-cell, destination: activates bindings, connects volumes, builds the guest (from the snapshot). */
  finishSnapshotBasedResizeAtDest(ctx: RequestContext, host: string, args: SnapshotMoveArgs): Promise<void> {
    return this.deps.bus.call(ctx, computeTopic(host), COMPUTE_METHODS.finishSnapshotBasedResizeAtDest, args, this.long());
  }

  /** Cross-cell confirm, source: drops the disks set aside, the source attachments and bindings. */
  confirmSnapshotBasedResizeAtSource(ctx: RequestContext, host: string, args: MoveArgs): Promise<void> {
    return this.deps.bus.call(ctx, computeTopic(host), COMPUTE_METHODS.confirmSnapshotBasedResizeAtSource, args, this.long());
  }

  /** Cross-cell revert, destination: destroys the guest and drops the destination's attachments. */
  revertSnapshotBasedResizeAtDest(ctx: RequestContext, host: string, args: MoveArgs): Promise<void> {
    return this.deps.bus.call(ctx, computeTopic(host), COMPUTE_METHODS.revertSnapshotBasedResizeAtDest, args, this.long());
  }

  /** Cross-cell revert, source: ports and volumes back, the guest brought back with its old flavor. */
  finishRevertSnapshotBasedResizeAtSource(ctx: RequestContext, host: string, args: MoveArgs): Promise<void> {
    return this.deps.bus.call(ctx, computeTopic(host), COMPUTE_METHODS.finishRevertSnapshotBasedResizeAtSource, args, this.long());
  }

  /** Attaches a volume the API reserved; answers with its block device mapping. */
  attachVolume(ctx: RequestContext, host: string, args: AttachVolumeArgs): Promise<BlockDeviceMapping> {
    return this.deps.bus.call(ctx, computeTopic(host), COMPUTE_METHODS.attachVolume, args);
  }

  /** Detaches a volume; answers once the volume is available again. */
  detachVolume(ctx: RequestContext, host: string, args: DetachVolumeArgs): Promise<void> {
    return this.deps.bus.call(ctx, computeTopic(host), COMPUTE_METHODS.detachVolume, args);
  }

  /** Attaches a port, or a new port on a network; answers with the port. */
  attachInterface(ctx: RequestContext, host: string, args: AttachInterfaceArgs): Promise<AttachInterfaceResult> {
    return this.deps.bus.call(ctx, computeTopic(host), COMPUTE_METHODS.attachInterface, args);
  }

  /** Detaches a port: deleted if Nova created it, unbound otherwise. */
  detachInterface(ctx: RequestContext, host: string, args: DetachInterfaceArgs): Promise<void> {
    return this.deps.bus.call(ctx, computeTopic(host), COMPUTE_METHODS.detachInterface, args);
  }

  /** Powers off a server the API marked soft-deleting; it stays on the host, restorable. */
  softDeleteInstance(ctx: RequestContext, host: string, args: InstanceArgs): Promise<void> {
    return this.deps.bus.cast(ctx, computeTopic(host), COMPUTE_METHODS.softDeleteInstance, args);
  }

  /** Powers a soft-deleted server the API marked restoring back on. */
  restoreInstance(ctx: RequestContext, host: string, args: InstanceArgs): Promise<void> {
    return this.deps.bus.cast(ctx, computeTopic(host), COMPUTE_METHODS.restoreInstance, args);
  }
}
