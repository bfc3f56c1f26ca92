import type { Clock } from '../common/clock.js';
import { NoValidHostError } from '../common/errors.js';
import type { Logger } from '../common/logger.js';
import type { Metrics } from '../common/metrics.js';
import type { RequestContext } from '../common/request-context.js';
import type { RpcBus, RpcServer } from '../rpc/bus.js';
import { SCHEDULER_METHODS, SCHEDULER_TOPIC, type SelectDestinationsArgs, type Selection } from '../rpc/contracts/scheduler-rpc.js';
import { CapacityFilter } from './filters/capacity-filter.js';
import type { HostFilter } from './filters/host-filter.js';
import { RequestedDestinationFilter } from './filters/requested-destination-filter.js';
import type { HostState } from './host-state.js';
import type { HostStateSource, PendingClaim } from './host-state-source.js';

export interface SchedulerDeps {
  bus: RpcBus;
  hosts: HostStateSource;
  /** The filters from `[filter_scheduler] enabled_filters`. */
  filters: HostFilter[];
  hostSubsetSize: number;
  clock: Clock;
  logger: Logger;
  random?: () => number;
  /** Receives `scheduler.decision` timings (ms per select_destinations). */
  metrics?: Metrics;
}

// How long a choice holds its resources while the conductor writes the instance row.
const CLAIM_TTL_MS = 120_000;

/**
 * The scheduler: filters the hosts of every cell, prefers the one with the most free RAM (choosing
 * at random among the best `host_subset_size`), and holds the resources it handed out until the
 * instance row accounts for them. All instances of a request get a host, or none does.
 */
export class SchedulerService {
  private server: RpcServer | undefined;
  private readonly pending = new Map<string, PendingClaim>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: SchedulerDeps) {}

  async start(): Promise<void> {
    this.server = await this.deps.bus.serve(SCHEDULER_TOPIC, {
      [SCHEDULER_METHODS.selectDestinations]: (ctx: RequestContext, args: SelectDestinationsArgs) => this.selectDestinations(ctx, args),
    });
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }

  /** Decisions are made one request at a time so that each sees the previous one's claims. */
  selectDestinations(ctx: RequestContext, args: SelectDestinationsArgs): Promise<Selection[]> {
    const run = this.queue.then(async () => {
      const started = performance.now();
      try {
        return await this.select(ctx, args);
      } finally {
        this.deps.metrics?.observe('scheduler.decision', performance.now() - started);
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async select(ctx: RequestContext, args: SelectDestinationsArgs): Promise<Selection[]> {
    const log = this.deps.logger.child({ request_id: ctx.requestId });
    const now = this.deps.clock.now().getTime();
    for (const [uuid, claim] of this.pending) if (claim.expiresAt <= now) this.pending.delete(uuid);
    const hosts = await this.deps.hosts.load(this.pending);
    const filters = [new RequestedDestinationFilter(), ...this.deps.filters, new CapacityFilter()];
    const chosen: Selection[] = [];
    const claims: PendingClaim[] = [];
    for (const instanceUuid of args.instance_uuids) {
      let candidates = hosts;
      for (const filter of filters) {
        candidates = candidates.filter((h) => filter.passes(h, args.spec));
        log.debug({ filter: filter.name, remaining: candidates.length }, 'filter applied');
      }
      if (candidates.length === 0) {
        log.info({ instance_uuids: args.instance_uuids, hosts: hosts.length }, 'no valid host');
        throw new NoValidHostError(`No valid host was found. There are not enough hosts available.`);
      }
      const host = this.pick(candidates);
      const f = args.spec.flavor;
      host.freeVcpus -= f.vcpus;
      host.freeRamMb -= f.memory_mb;
      host.freeDiskGb -= f.root_gb + f.ephemeral_gb + Math.ceil(f.swap / 1024);
      claims.push({ instanceUuid, host: host.host, flavor: f, expiresAt: now + CLAIM_TTL_MS });
      chosen.push({ service_host: host.host, nodename: host.nodename, cell_uuid: host.cellUuid });
    }
    for (const c of claims) this.pending.set(c.instanceUuid, c);
    log.info({ selections: chosen.map((s) => s.service_host) }, 'destinations selected');
    return chosen;
  }

  private pick(candidates: HostState[]): HostState {
    const sorted = [...candidates].sort((a, b) => b.freeRamMb - a.freeRamMb || a.host.localeCompare(b.host));
    const subset = sorted.slice(0, Math.max(1, this.deps.hostSubsetSize));
    const index = Math.floor((this.deps.random ?? Math.random)() * subset.length);
    return subset[Math.min(index, subset.length - 1)] as HostState;
  }
}
