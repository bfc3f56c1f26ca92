import type { RequestContext } from '../../common/request-context.js';
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

export function computeTopic(host: string): string {
  return `compute.${host}`;
}

/** The caller's side of the compute contract: everything is a cast, as in Nova. */
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
}
