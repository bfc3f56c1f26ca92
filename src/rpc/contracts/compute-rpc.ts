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

export function computeTopic(host: string): string {
  return `compute.${host}`;
}

/**
 * The caller's side of the compute contract. Lifecycle operations are casts, as in Nova; the
 * attachments are calls, so that the API answers with their result (the device, the port) and
 * hears of their failure (to release what it reserved).
 */
export class ComputeRpcClient {
  constructor(private readonly deps: { bus: RpcBus }) {}

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
