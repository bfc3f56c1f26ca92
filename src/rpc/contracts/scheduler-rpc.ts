import type { RequestContext } from '../../common/request-context.js';
import type { RequestSpec } from '../../objects/request-spec.js';
import type { RpcBus } from '../bus.js';

export const SCHEDULER_TOPIC = 'scheduler';

export const SCHEDULER_METHODS = {
  selectDestinations: 'select_destinations',
} as const;

/** One chosen host: where to build, and in which cell. */
export interface Selection {
  service_host: string;
  nodename: string;
  cell_uuid: string;
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
}
