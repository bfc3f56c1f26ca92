import type { Clock } from '../common/clock.js';
import type { ApiRepos } from '../db/api/api-repos.js';
import type { CellDatabases } from '../db/cell/cell-databases.js';
import { CELL0_UUID } from '../objects/cell-mapping.js';
import { isServiceUp } from '../objects/service-liveness.js';
import type { Allocations } from '../placement/index.js';
import type { HostAggregate, HostState } from './host-state.js';

/**
 * The aggregates of a host in none: one shared empty list, so that the weighers' check of 1,000
 * candidates' aggregates per decision reads one array rather than a thousand. Frozen, being shared.
 */
const NO_AGGREGATES = Object.freeze([]) as readonly HostAggregate[] as HostAggregate[];

/** How long a noted choice is put back on its host while no cell database shows its instance. */
const UNCONFIRMED_TTL_MS = 60_000;

/** A host as the cache keeps it: everything but the free capacity, which placement knows. */
export type CachedHost = HostState & {
  nodeUuid: string;
  /**
   * What to claim on this host, set by each scheduling decision for its candidates (decisions run
   * one at a time, and each sets it afresh with the free capacity).
   */
  allocationRequest?: Allocations;
};

export interface HostStateCacheDeps {
  api: ApiRepos;
  cells: CellDatabases;
  clock: Clock;
  serviceDownTime: number;
  defaultZone: string;
  /** How old the view may get before a decision reloads it. */
  maxAgeMs: number;
}

/**
 * The scheduler's view of every compute node of every cell: cell, zone, aggregates, service
 * state, what it can run and which instances it has. Reading all of that from every cell database
 * on each decision costs O(hosts + instances); the cache reloads it at most every `maxAgeMs`, or
 * at once after `invalidate()` (the API casts one when a service or an aggregate changes). Free
 * capacity is not cached: placement's candidates carry it, and placement's claim is the truth.
 * A view that only aged is still used while it reloads in the background; an invalidated one is not.
 */
export class HostStateCache {
  private byNode = new Map<string, CachedHost>();
  private loadedAt = Number.NEGATIVE_INFINITY;
  /** Set by invalidate(): the next decision must wait for a reload instead of using the old view. */
  private invalidated = true;
  private loading: Promise<void> | undefined;
  /** Bumped by invalidate(): a load that started before an invalidation leaves the view stale. */
  private generation = 0;
  /**
   * Choices noted and not yet seen in a cell database, instance uuid → node and when. The cell's
   * row comes after the choice (the conductor writes it), and a load may read the cell before
   * that: every load puts these back on their hosts until it finds the instance itself.
   */
  private readonly unconfirmed = new Map<string, { nodeUuid: string; at: number; move: boolean }>();

  constructor(private readonly deps: HostStateCacheDeps) {}

  /** The hosts by compute node uuid (= placement provider uuid), reloaded when stale. */
  async nodes(): Promise<Map<string, CachedHost>> {
    // After an invalidation (a service or aggregate changed, a build moved) the decision waits for
    // a fresh view. A load overtaken by another invalidation does not count; load again (bounded,
    // so a stream of invalidations cannot starve a decision).
    for (let i = 0; i < 3 && this.invalidated; i++) await this.reload();
    // A view that merely aged is used while a reload runs behind it, so that the decisions do not
    // wait for a full read of every cell (stale-while-revalidate).
    if (this.deps.clock.now().getTime() - this.loadedAt > this.deps.maxAgeMs) void this.reload().catch(() => undefined);
    return this.byNode;
  }

  /** Resolves when no reload is running (for tests and orderly shutdown). */
  async whenLoaded(): Promise<void> {
    await this.loading;
  }

  invalidate(): void {
    this.generation += 1;
    this.invalidated = true;
    this.loadedAt = Number.NEGATIVE_INFINITY;
  }

  /**
   * Records a choice, so that the next decisions see the instance on its host: in this view, and
   * in the views loaded after it until one reads the instance from its cell's database. For a
   * move (`move`), the instance is already in a cell on its source host: the choice holds until a
   * load finds it on the chosen host (the move finished there).
   */
  notePlaced(nodeUuid: string, instanceUuid: string, move = false): void {
    this.unconfirmed.set(instanceUuid, { nodeUuid, at: this.deps.clock.now().getTime(), move });
    placeOn(this.byNode, nodeUuid, instanceUuid);
  }

  /**
   * Puts the noted choices the load did not confirm back on their hosts. A build's note ends when a
   * load finds its instance (on that host or, after a reschedule, another), a move's when a load
   * finds it on the chosen host; any note ends after UNCONFIRMED_TTL_MS (the build failed before
   * its row was written, the move was given up or reverted, the server was deleted).
   */
  private keepUnconfirmed(next: Map<string, CachedHost>, seen: Map<string, string>, now: number): void {
    for (const [instanceUuid, note] of this.unconfirmed) {
      const at = seen.get(instanceUuid);
      const confirmed = at !== undefined && (!note.move || at === next.get(note.nodeUuid)?.host);
      if (confirmed || now - note.at > UNCONFIRMED_TTL_MS) this.unconfirmed.delete(instanceUuid);
      else placeOn(next, note.nodeUuid, instanceUuid);
    }
  }

  private reload(): Promise<void> {
    // One load at a time; decisions arriving meanwhile wait for it.
    this.loading ??= this.load().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async load(): Promise<void> {
    const now = this.deps.clock.now();
    const generation = this.generation;
    const aggregates = await this.deps.api.aggregates.list();
    const aggregatesByHost = new Map<string, HostAggregate[]>();
    for (const a of aggregates) {
      for (const h of a.hosts) aggregatesByHost.set(h, [...(aggregatesByHost.get(h) ?? []), { uuid: a.uuid, name: a.name, metadata: a.metadata }]);
    }
    const next = new Map<string, CachedHost>();
    const seen = new Map<string, string>(); // instance uuid → the host a cell has it on
    for (const cell of await this.deps.api.cells.list()) {
      if (cell.uuid === CELL0_UUID || cell.disabled) continue;
      const repos = this.deps.cells.repos(cell);
      const [nodes, services, placed] = await Promise.all([
        repos.computeNodes.schedulingList(),
        repos.services.states('nova-compute'),
        repos.instances.hostsOfInstances(),
      ]);
      const serviceByHost = new Map(services.map((s) => [s.host, s]));
      const instancesByHost = new Map<string, string[]>();
      for (const p of placed) {
        instancesByHost.set(p.host, [...(instancesByHost.get(p.host) ?? []), p.uuid]);
        seen.set(p.uuid, p.host);
      }
      for (const node of nodes) {
        const service = serviceByHost.get(node.host);
        const hostAggregates = aggregatesByHost.get(node.host) ?? NO_AGGREGATES;
        const instanceUuids = instancesByHost.get(node.host) ?? [];
        const totalVcpus = Math.floor((node.vcpus - node.reserved_host_cpus) * node.cpu_allocation_ratio);
        const totalRamMb = Math.floor((node.memory_mb - node.reserved_host_memory_mb) * node.ram_allocation_ratio);
        const totalDiskGb = Math.floor((node.local_gb - node.reserved_host_disk_mb / 1024) * node.disk_allocation_ratio);
        next.set(node.uuid, {
          nodeUuid: node.uuid,
          host: node.host,
          nodename: node.hypervisor_hostname,
          cellUuid: cell.uuid,
          cellName: cell.name,
          zone: hostAggregates.map((a) => a.metadata['availability_zone']).find((z) => z !== undefined) ?? this.deps.defaultZone,
          serviceUp: service !== undefined && isServiceUp(service, now, this.deps.serviceDownTime),
          serviceDisabled: service?.disabled ?? true,
          totalVcpus,
          totalRamMb,
          totalDiskGb,
          freeVcpus: totalVcpus,
          freeRamMb: totalRamMb,
          freeDiskGb: totalDiskGb,
          aggregates: hostAggregates,
          instanceUuids,
          numInstances: instanceUuids.length,
          supportedInstances: [['x86_64', node.hypervisor_type, 'hvm']],
        });
      }
    }
    this.keepUnconfirmed(next, seen, now.getTime());
    this.byNode = next;
    if (generation === this.generation) {
      this.loadedAt = now.getTime();
      this.invalidated = false;
    }
  }
}

/** Adds the instance to the node's host, in a fresh array (holders of the old one see no change). */
function placeOn(view: Map<string, CachedHost>, nodeUuid: string, instanceUuid: string): void {
  const host = view.get(nodeUuid);
  if (host === undefined || host.instanceUuids?.includes(instanceUuid)) return;
  host.instanceUuids = [...(host.instanceUuids ?? []), instanceUuid];
  host.numInstances = host.instanceUuids.length;
}
