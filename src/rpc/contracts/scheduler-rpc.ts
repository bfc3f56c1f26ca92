import type { RequestContext } from '../../common/request-context.js';
import type { RequestSpec } from '../../objects/request-spec.js';
import type { RpcBus } from '../bus.js';

export const SCHEDULER_TOPIC = 'scheduler';

export const SCHEDULER_METHODS = {
  selectDestinations: 'select_destinations',
  invalidateHostState: 'invalidate_host_state',
} as const;

/** One host for an instance: where to build, in which cell, and the placement allocation for it. */
export interface HostChoice {
  service_host: string;
  nodename: string;
  cell_uuid: string;
  /** Provider uuid → resources, as placement's allocation request gave it. */
  allocation_request: Record<string, { resources: Record<string, number> }>;
}

/**
 * The host chosen for an instance, already claimed in placement under the instance's uuid, and
 * the alternates in the same cell (not claimed) that a reschedule may try.
 */
export interface Selection extends HostChoice {
  alternates: HostChoice[];
  /** Whether a failed build goes back to the conductor (`[scheduler] max_attempts` > 1). */
  reschedulable: boolean;
}

export interface SelectDestinationsArgs {
  spec: RequestSpec;
  instance_uuids: string[];
}

/** The caller's side of the scheduler contract: a call that returns one selection per instance. */
export class SchedulerRpcClient {
  constructor(private readonly deps: { bus: RpcBus }) {}

  selectDestinations(ctx: RequestContext, args: SelectDestinationsArgs): Promise<Selection[]> {
    return this.deps.bus.call<Selection[]>(ctx, SCHEDULER_TOPIC, SCHEDULER_METHODS.selectDestinations, args);
  }

  /** Tells the scheduler that services or aggregates changed, so its next decision reloads hosts. */
  invalidateHostState(ctx: RequestContext): Promise<void> {
    return this.deps.bus.cast(ctx, SCHEDULER_TOPIC, SCHEDULER_METHODS.invalidateHostState, {});
  }
}
