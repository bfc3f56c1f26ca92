import type { Clock } from '../common/clock.js';
import { NoValidHostError } from '../common/errors.js';
import type { Logger } from '../common/logger.js';
import type { Metrics } from '../common/metrics.js';
import type { RequestContext } from '../common/request-context.js';
import type { RequestSpec } from '../objects/request-spec.js';
import type { AllocationCandidate, Allocations, PlacementClient } from '../placement/index.js';
import type { RpcBus, RpcServer } from '../rpc/bus.js';
import { SCHEDULER_METHODS, SCHEDULER_TOPIC, type HostChoice, type SelectDestinationsArgs, type Selection } from '../rpc/contracts/scheduler-rpc.js';
import type { HostFilter } from './filters/host-filter.js';
import { RequestedDestinationFilter } from './filters/requested-destination-filter.js';
import type { CachedHost, HostStateCache } from './host-state-cache.js';
import { noteGroupHost } from './host-state.js';
import { candidateQuery } from './placement-query.js';
import { chooseFromSubset } from './weighers/host-subset.js';
import type { HostWeigher, WeigherOptions } from './weighers/host-weigher.js';
import { weighHosts } from './weighers/weigh-hosts.js';

export interface SchedulerDeps {
  bus: RpcBus;
  hosts: HostStateCache;
  placement: PlacementClient;
  /** The filters from `[filter_scheduler] enabled_filters`. */
  filters: HostFilter[];
  /** The weighers from `[filter_scheduler] weight_classes`. */
  weighers: HostWeigher[];
  weigherOptions: WeigherOptions;
  hostSubsetSize: number;
  /** `[scheduler] max_attempts`: the chosen host plus up to this many minus one alternates. */
  maxAttempts: number;
  /** `[scheduler] max_placement_results`: how many candidates to ask placement for. */
  maxPlacementResults: number;
  clock: Clock;
  logger: Logger;
  random?: () => number;
  /** Receives `scheduler.decision` and `placement.allocation_candidates` timings in ms. */
  metrics?: Metrics;
}

/**
 * The scheduler, as Nova's: placement's allocation candidates → host states → filters → weighers
 * → a claim in placement for the best host (the next one when a concurrent claim took the room)
 * → the selection with alternates from the same cell. A request gets at least its `min_count`
 * hosts or none (one selection per placed instance, in order): on failure every claim made for
 * the request is released.
 */
export class SchedulerService {
  private server: RpcServer | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /**
   * The last decision's candidates and the host each was joined with (undefined where the host
   * was a copy): the next decision, usually handed the same candidate objects, skips the lookups.
   */
  private lastJoin: { nodes: Map<string, CachedHost>; answer: readonly AllocationCandidate[]; hosts: (CachedHost | undefined)[] } | undefined;
  /** The requested-destination restriction (always on), then the configured filters. */
  private readonly filters: HostFilter[];

  constructor(private readonly deps: SchedulerDeps) {
    this.filters = [new RequestedDestinationFilter(), ...deps.filters];
  }

  async start(): Promise<void> {
    this.server = await this.deps.bus.serve(SCHEDULER_TOPIC, {
      [SCHEDULER_METHODS.selectDestinations]: (ctx: RequestContext, args: SelectDestinationsArgs) => this.selectDestinations(ctx, args),
      [SCHEDULER_METHODS.invalidateHostState]: () => Promise.resolve(this.deps.hosts.invalidate()),
    });
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }

  /**
   * Decisions are made one request at a time: each sees the previous one's claims in placement
   * and its choices in the host view (group members, same/different host).
   */
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
    const nodes = await this.deps.hosts.nodes();
    const spec: RequestSpec = { ...args.spec, ...(args.spec.instance_group ? { instance_group: { ...args.spec.instance_group, hosts: [...args.spec.instance_group.hosts] } } : {}) };
    const chosen: Selection[] = [];
    const chosenNodes: string[] = [];
    // Instances of this request placed so far, by node: the next instance's filters and weighers
    // (anti-affinity, same/different host) must see them; the cache learns them only on success.
    const placedNow = new Map<string, string[]>();
    try {
      for (const instanceUuid of args.instance_uuids) {
        const instanceSpec: RequestSpec = { ...spec, instance_uuid: instanceUuid };
        const candidates = await this.candidates(spec, nodes, placedNow);
        const passed = this.filtered(candidates, instanceSpec);
        const ranked = weighHosts(passed, instanceSpec, this.deps.weighers, this.deps.weigherOptions, {
          limit: this.deps.hostSubsetSize + this.deps.maxAttempts + 8,
        }).map((w) => w.host as CachedHost);
        const order = chooseFromSubset(ranked, this.deps.hostSubsetSize, this.deps.random ?? Math.random);
        const claimed = await this.claimFirst(instanceUuid, spec, order);
        if (claimed === undefined && chosen.length >= (spec.min_count ?? args.instance_uuids.length)) {
          // All or nothing at min_count: enough fit; the rest of the request is not built.
          log.info({ placed: chosen.length, requested: args.instance_uuids.length }, 'request placed down to its min_count');
          break;
        }
        if (claimed === undefined) {
          log.info({ instance_uuid: instanceUuid, candidates: candidates.length, passed: passed.length }, 'no valid host');
          throw new NoValidHostError('No valid host was found. There are not enough hosts available.');
        }
        chosen.push(claimed.selection);
        chosenNodes.push(claimed.nodeUuid);
        placedNow.set(claimed.nodeUuid, [...(placedNow.get(claimed.nodeUuid) ?? []), instanceUuid]);
      }
    } catch (err) {
      await this.release(args.instance_uuids.slice(0, chosen.length), log);
      throw err;
    }
    const move = spec.move !== undefined && spec.move !== null;
    for (const [i, nodeUuid] of chosenNodes.entries()) this.deps.hosts.notePlaced(nodeUuid, args.instance_uuids[i] as string, move);
    log.info({ selections: chosen.map((s) => s.service_host) }, 'destinations selected');
    return chosen;
  }

  /** The hosts that every filter passes (plain loops: this runs for each of ~1,000 candidates). */
  private filtered(hosts: readonly CachedHost[], spec: RequestSpec): CachedHost[] {
    const filters = this.filters;
    const passed: CachedHost[] = [];
    outer: for (const host of hosts) {
      for (const filter of filters) if (!filter.passes(host, spec)) continue outer;
      passed.push(host);
    }
    return passed;
  }

  /**
   * Placement's candidates joined with the host view; capacity comes from placement's summary.
   * The cached host objects are updated in place (decisions run one at a time and each sets the
   * free capacity and the allocation request afresh), so a decision over 1,000 candidates copies
   * none of them; only a host that already took an instance of this request gets a copy with that
   * instance added.
   */
  private async candidates(spec: RequestSpec, nodes: Map<string, CachedHost>, placedNow: Map<string, string[]>): Promise<CachedHost[]> {
    const started = performance.now();
    const answer: AllocationCandidate[] = await this.deps.placement.getAllocationCandidates(candidateQuery(spec, nodes, this.deps.maxPlacementResults));
    this.deps.metrics?.observe('placement.allocation_candidates', performance.now() - started);
    const last = this.lastJoin?.nodes === nodes ? this.lastJoin : undefined;
    const joined: (CachedHost | undefined)[] = new Array<CachedHost | undefined>(answer.length);
    const hosts: CachedHost[] = [];
    for (let i = 0; i < answer.length; i += 1) {
      const candidate = answer[i] as AllocationCandidate;
      const rp = candidate.provider;
      const extra = placedNow.size === 0 ? undefined : placedNow.get(rp);
      // The same candidate object at the same place as in the last decision (placement hands out
      // one object per provider generation and amounts): its host already holds what it says.
      if (extra === undefined && last !== undefined && last.answer[i] === candidate) {
        const same = last.hosts[i];
        if (same !== undefined) {
          joined[i] = same;
          hosts.push(same);
          continue;
        }
      }
      let host = nodes.get(rp);
      if (host === undefined) continue; // a provider the host view does not know yet
      const resources = candidate.summary.resources;
      if (extra !== undefined) {
        const instanceUuids = [...(host.instanceUuids ?? []), ...extra];
        host = { ...host, instanceUuids, numInstances: instanceUuids.length };
      } else {
        joined[i] = host;
      }
      host.freeVcpus = freeOf(resources['VCPU']);
      host.freeRamMb = freeOf(resources['MEMORY_MB']);
      host.freeDiskGb = freeOf(resources['DISK_GB']);
      host.allocationRequest = candidate.allocation_request.allocations;
      hosts.push(host);
    }
    this.lastJoin = { nodes, answer, hosts: joined };
    return hosts;
  }

  /** Claims the first host of `order` that still has room; alternates come from the same cell. */
  private async claimFirst(instanceUuid: string, spec: RequestSpec, order: CachedHost[]): Promise<{ selection: Selection; nodeUuid: string } | undefined> {
    for (const [i, host] of order.entries()) {
      const request = host.allocationRequest as Allocations;
      const ok = await this.deps.placement.claim(instanceUuid, request, { projectId: spec.project_id, userId: spec.user_id, consumerGeneration: null });
      if (!ok) continue; // another request took the room since the candidates were read
      noteGroupHost(spec, host.host);
      const alternates = order
        .slice(i + 1)
        .filter((h) => h.cellUuid === host.cellUuid)
        .slice(0, this.deps.maxAttempts - 1)
        .map((h) => choiceOf(h, h.allocationRequest as Allocations));
      return { selection: { ...choiceOf(host, request), alternates, reschedulable: this.deps.maxAttempts > 1 }, nodeUuid: host.nodeUuid };
    }
    return undefined;
  }

  private async release(instanceUuids: string[], log: Logger): Promise<void> {
    for (const uuid of instanceUuids) {
      await this.deps.placement.deleteAllocations(uuid).catch((err: unknown) => log.error({ err, instance_uuid: uuid }, 'could not release a claim'));
    }
  }
}

function choiceOf(h: CachedHost, request: Allocations): HostChoice {
  return { service_host: h.host, nodename: h.nodename, cell_uuid: h.cellUuid, allocation_request: request };
}

function freeOf(r: { capacity: number; used: number } | undefined): number {
  return r === undefined ? 0 : r.capacity - r.used;
}
