import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../common/clock.js';
import { NoValidHostError } from '../common/errors.js';
import { RandomIdGenerator } from '../common/ids.js';
import { silentLogger } from '../common/logger.js';
import { RecordingMetrics } from '../common/metrics.js';
import { systemContext } from '../common/request-context.js';
import { parseConfigText } from '../config/index.js';
import type { Flavor } from '../objects/flavor.js';
import type { RequestSpec } from '../objects/request-spec.js';
import { PlacementService, placementRuleDefaults, type AllocationCandidate, type CandidateQuery, type PlacementClient } from '../placement/index.js';
import { PolicyEngine, allRuleDefaults } from '../policy/index.js';
import type { RpcBus } from '../rpc/bus.js';
import { SchedulerRpcClient, type Selection } from '../rpc/contracts/scheduler-rpc.js';
import { InprocBus } from '../rpc/inproc/inproc-bus.js';
import { AvailabilityZoneFilter } from './filters/availability-zone-filter.js';
import { ComputeFilter } from './filters/compute-filter.js';
import { filtersFromConfig } from './filters/filter-registry.js';
import type { HostFilter } from './filters/host-filter.js';
import type { CachedHost, HostStateCache } from './host-state-cache.js';
import { SchedulerService, type SchedulerDeps } from './scheduler-service.js';
import { ALL_WEIGHERS, weighersFromConfig } from './weighers/weigher-registry.js';

const ctx = systemContext('req-scheduler-test');
const ids = new RandomIdGenerator();
const config = parseConfigText('', 'test');
const CELL1 = '11111111-1111-4111-8111-111111111111';
const CELL2 = '22222222-2222-4222-8222-222222222222';
const cellNames: Record<string, string> = { [CELL1]: 'cell1', [CELL2]: 'cell2' };

function flavor(memory_mb: number, vcpus = 1, root_gb = 1, extra: Partial<Flavor> = {}): Flavor {
  return {
    id: 1, flavorid: '1', name: 'f', memory_mb, vcpus, root_gb, ephemeral_gb: 0, swap: 0, rxtx_factor: 1, vcpu_weight: null,
    disabled: false, is_public: true, description: null, extra_specs: {}, created_at: '2026-01-01T00:00:00.000Z', updated_at: null, ...extra,
  };
}

function spec(f: Flavor, over: Partial<RequestSpec> = {}): RequestSpec {
  return {
    instance_uuid: 'i-0', project_id: 'project-s', user_id: 'user-s', flavor: f,
    image: { id: 'img', min_disk: 0, min_ram: 0, properties: {} },
    availability_zone: null, num_instances: 1, ignore_hosts: [], requested_destination: null, scheduler_hints: {}, ...over,
  };
}

/** Stands in for the HostStateCache: a fixed host view, with spies on what the scheduler tells it. */
class FakeHosts {
  byNode = new Map<string, CachedHost>();
  readonly placed: [nodeUuid: string, instanceUuid: string][] = [];
  invalidations = 0;
  loads = 0;
  /** When set, `nodes()` waits for it (to hold a decision in the middle). */
  gate: Promise<void> | undefined;

  async nodes(): Promise<Map<string, CachedHost>> {
    this.loads += 1;
    if (this.gate !== undefined) await this.gate;
    return this.byNode;
  }

  invalidate(): void {
    this.invalidations += 1;
  }

  /** Publishes a new view as a reload does: a new map of new host objects. */
  reload(change: (h: CachedHost) => Partial<CachedHost>): void {
    this.byNode = new Map([...this.byNode].map(([uuid, h]) => [uuid, { ...h, ...change(h) }]));
  }

  notePlaced(nodeUuid: string, instanceUuid: string): void {
    this.placed.push([nodeUuid, instanceUuid]);
  }
}

interface HostOptions {
  cell?: string;
  vcpus?: number;
  diskGb?: number;
  zone?: string;
  zoneAggregate?: boolean;
  serviceUp?: boolean;
  serviceDisabled?: boolean;
}

/** Placement wrapper whose candidate answer can be tampered with before the scheduler claims. */
class RacingPlacement {
  readonly queries: CandidateQuery[] = [];
  afterCandidates: (() => Promise<void>) | undefined;

  constructor(private readonly inner: PlacementClient) {}

  client(): PlacementClient {
    const getAllocationCandidates = async (query: CandidateQuery): Promise<AllocationCandidate[]> => {
      this.queries.push(query);
      const answer = await this.inner.getAllocationCandidates(query);
      const hook = this.afterCandidates;
      this.afterCandidates = undefined;
      if (hook !== undefined) await hook();
      return answer;
    };
    return new Proxy(this.inner, {
      get: (target, prop, receiver) => {
        if (prop === 'getAllocationCandidates') return getAllocationCandidates;
        const value: unknown = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  }
}

async function assertNoValidHost(p: Promise<unknown>): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof NoValidHostError, `expected NoValidHostError, got ${String(err)}`);
    assert.equal(err.code, 'scheduler.no_valid_host');
    assert.equal(err.status, 500);
    assert.match(err.message, /No valid host was found/);
    return true;
  });
}

describe('SchedulerService', () => {
  let service: PlacementService;
  let placement: PlacementClient;
  let racing: RacingPlacement;
  let hosts: FakeHosts;
  /** host name → provider (= compute node) uuid */
  let rp: Record<string, string>;

  beforeEach(async () => {
    const policy = await PolicyEngine.create({ defaults: [...allRuleDefaults(), ...placementRuleDefaults] });
    service = await PlacementService.create({ config, clock: new ManualClock(), ids, logger: silentLogger(), policy, databaseUrl: 'sqlite://' });
    placement = service.client();
    racing = new RacingPlacement(placement);
    hosts = new FakeHosts();
    rp = {};
  });
  afterEach(() => service.close());

  /** A compute node: a provider with inventory in placement, in its cell's aggregate, and in the host view. */
  async function addHost(name: string, ramMb: number, o: HostOptions = {}): Promise<string> {
    const uuid = ids.uuid();
    const cell = o.cell ?? CELL1;
    const vcpus = o.vcpus ?? 16;
    const diskGb = o.diskGb ?? 100;
    await placement.ensureProvider({ uuid, name: `${name}.node` });
    await placement.setInventory(uuid, { VCPU: { total: vcpus }, MEMORY_MB: { total: ramMb }, DISK_GB: { total: diskGb } });
    await placement.setAggregates(uuid, [cell]);
    const zone = o.zone ?? 'nova';
    hosts.byNode.set(uuid, {
      nodeUuid: uuid, host: name, nodename: `${name}.node`, cellUuid: cell, cellName: cellNames[cell] ?? 'cellX', zone,
      serviceUp: o.serviceUp ?? true, serviceDisabled: o.serviceDisabled ?? false,
      totalVcpus: vcpus, totalRamMb: ramMb, totalDiskGb: diskGb, freeVcpus: vcpus, freeRamMb: ramMb, freeDiskGb: diskGb,
      aggregates: o.zoneAggregate === true ? [{ uuid: ids.uuid(), name: `agg-${zone}`, metadata: { availability_zone: zone } }] : [],
      instanceUuids: [], numInstances: 0, supportedInstances: [['x86_64', 'fake', 'hvm']],
    });
    rp[name] = uuid;
    return uuid;
  }

  function scheduler(over: Partial<SchedulerDeps> & { filters?: HostFilter[] } = {}): SchedulerService {
    return new SchedulerService({
      bus: {} as RpcBus,
      hosts: hosts as unknown as HostStateCache,
      placement: racing.client(),
      filters: [new ComputeFilter(), new AvailabilityZoneFilter()],
      weighers: weighersFromConfig([ALL_WEIGHERS]),
      weigherOptions: config.filter_scheduler,
      hostSubsetSize: 1,
      maxAttempts: 3,
      maxPlacementResults: 1000,
      clock: new ManualClock(),
      logger: silentLogger(),
      ...over,
    });
  }

  async function pick(s: SchedulerService, sp: RequestSpec, uuids = ['i-1']): Promise<string[]> {
    return (await s.selectDestinations(ctx, { spec: sp, instance_uuids: uuids })).map((x) => x.service_host);
  }

  /** Provider uuids the consumer holds allocations on. */
  async function allocatedOn(consumer: string): Promise<string[]> {
    return Object.keys((await placement.getAllocations(consumer)).allocations).sort();
  }

  async function usedRam(host: string): Promise<number> {
    return (await placement.usages(rp[host] as string)).usages['MEMORY_MB'] ?? 0;
  }

  describe('choosing and claiming', () => {
    it('picks the host with the most free RAM and claims it in placement under the instance uuid', async () => {
      await addHost('a', 2048);
      await addHost('b', 8192, { cell: CELL2 });
      await addHost('c', 4096);
      const got: Selection[] = await scheduler().selectDestinations(ctx, { spec: spec(flavor(512)), instance_uuids: ['i-1'] });
      assert.equal(got.length, 1);
      const sel = got[0]!;
      assert.equal(sel.service_host, 'b');
      assert.equal(sel.nodename, 'b.node');
      assert.equal(sel.cell_uuid, CELL2);
      assert.deepEqual(sel.allocation_request, { [rp['b']!]: { resources: { VCPU: 1, MEMORY_MB: 512, DISK_GB: 1 } } });
      assert.deepEqual(sel.alternates, [], 'b is alone in cell2');

      const claim = await placement.getAllocations('i-1');
      assert.deepEqual(Object.keys(claim.allocations), [rp['b']]);
      assert.deepEqual(claim.allocations[rp['b']!]?.resources, { VCPU: 1, MEMORY_MB: 512, DISK_GB: 1 });
      assert.equal(claim.project_id, 'project-s');
      assert.equal(claim.user_id, 'user-s');
      assert.equal(await usedRam('b'), 512);
      assert.equal(await usedRam('a'), 0);
      assert.deepEqual(hosts.placed, [[rp['b'], 'i-1']]);
    });

    it('ranks by the free RAM placement reports, not the totals of the host view', async () => {
      await addHost('a', 8192);
      await addHost('b', 4096);
      // Something else already uses 6 GiB of a: a has 2048 free, b 4096.
      assert.ok(await placement.claim('other', { [rp['a']!]: { resources: { MEMORY_MB: 6144 } } }, { projectId: 'p', userId: 'u', consumerGeneration: null }));
      assert.deepEqual(await pick(scheduler(), spec(flavor(512))), ['b']);
    });

    it('fills up hosts across requests and then refuses', async () => {
      await addHost('a', 4096);
      const s = scheduler();
      assert.deepEqual(await pick(s, spec(flavor(2048)), ['i-1']), ['a']);
      assert.deepEqual(await pick(s, spec(flavor(2048)), ['i-2']), ['a']);
      await assertNoValidHost(s.selectDestinations(ctx, { spec: spec(flavor(2048)), instance_uuids: ['i-3'] }));
      assert.deepEqual(await allocatedOn('i-3'), []);
      assert.equal(await usedRam('a'), 4096);
    });

    it('skips providers the host view does not know', async () => {
      await addHost('known', 1024);
      const stray = ids.uuid();
      await placement.ensureProvider({ uuid: stray, name: 'stray' });
      await placement.setInventory(stray, { VCPU: { total: 64 }, MEMORY_MB: { total: 65536 }, DISK_GB: { total: 1000 } });
      assert.deepEqual(await pick(scheduler(), spec(flavor(512))), ['known']);
      assert.deepEqual(await allocatedOn('i-1'), [rp['known']]);
    });
  });

  describe('consecutive decisions', () => {
    it('see a reload of the host view even for the candidates placement hands out unchanged', async () => {
      await addHost('a', 8192);
      await addHost('b', 4096);
      await addHost('c', 2048);
      const s = scheduler();
      assert.deepEqual(await pick(s, spec(flavor(512)), ['i-1']), ['a']);
      // Only a's candidate changes (the claim); b's and c's are the very objects of the last decision.
      hosts.reload((h) => (h.host === 'c' ? {} : { serviceDisabled: true }));
      assert.deepEqual(await pick(s, spec(flavor(512)), ['i-2']), ['c']);
    });

    it('see each claim of the decisions before them', async () => {
      await addHost('a', 4096);
      await addHost('b', 3072);
      const s = scheduler();
      const order: string[] = [];
      for (let i = 0; i < 6; i++) order.push(...(await pick(s, spec(flavor(1024)), [`i-${i}`])));
      // RAM first; on equal free RAM the host with more free vCPUs.
      assert.deepEqual(order, ['a', 'b', 'a', 'b', 'a', 'b']);
      assert.equal(await usedRam('a'), 3072);
      assert.equal(await usedRam('b'), 3072);
    });
  });

  describe('alternates', () => {
    it('come from the chosen host\'s cell only, best first, at most max_attempts - 1, and are not claimed', async () => {
      await addHost('c1-a', 8192);
      await addHost('c1-b', 7168);
      await addHost('c1-c', 6144);
      await addHost('c1-d', 5120);
      await addHost('c2-a', 7680, { cell: CELL2 });
      await addHost('c2-b', 7000, { cell: CELL2 });
      const [sel] = await scheduler({ maxAttempts: 3 }).selectDestinations(ctx, { spec: spec(flavor(512)), instance_uuids: ['i-1'] });
      assert.equal(sel?.service_host, 'c1-a');
      assert.deepEqual(sel.alternates.map((a) => a.service_host), ['c1-b', 'c1-c']);
      for (const alt of sel.alternates) {
        assert.equal(alt.cell_uuid, CELL1);
        assert.equal(alt.nodename, `${alt.service_host}.node`);
        assert.deepEqual(alt.allocation_request, { [rp[alt.service_host]!]: { resources: { VCPU: 1, MEMORY_MB: 512, DISK_GB: 1 } } });
        assert.equal(await usedRam(alt.service_host), 0, 'alternates are not claimed');
      }
      assert.deepEqual(await allocatedOn('i-1'), [rp['c1-a']]);
    });

    it('are as many as the cell has, and none with max_attempts = 1', async () => {
      await addHost('c1-a', 8192);
      await addHost('c1-b', 4096);
      await addHost('c2-a', 7000, { cell: CELL2 });
      const [wide] = await scheduler({ maxAttempts: 10 }).selectDestinations(ctx, { spec: spec(flavor(512)), instance_uuids: ['i-1'] });
      assert.deepEqual(wide?.alternates.map((a) => a.service_host), ['c1-b']);
      const [single] = await scheduler({ maxAttempts: 1 }).selectDestinations(ctx, { spec: spec(flavor(512)), instance_uuids: ['i-2'] });
      assert.equal(single?.service_host, 'c1-a');
      assert.deepEqual(single.alternates, []);
    });

    it('leave out hosts that cannot take the flavor or that the filters reject', async () => {
      await addHost('a', 8192);
      await addHost('small', 256);
      await addHost('down', 7000, { serviceUp: false });
      await addHost('b', 4096);
      const [sel] = await scheduler({ maxAttempts: 5 }).selectDestinations(ctx, { spec: spec(flavor(512)), instance_uuids: ['i-1'] });
      assert.equal(sel?.service_host, 'a');
      assert.deepEqual(sel.alternates.map((a) => a.service_host), ['b']);
    });
  });

  describe('filters', () => {
    it('ComputeFilter skips hosts whose service is down or disabled', async () => {
      await addHost('down', 16384, { serviceUp: false });
      await addHost('disabled', 8192, { serviceDisabled: true });
      await addHost('ok', 1024);
      assert.deepEqual(await pick(scheduler(), spec(flavor(512))), ['ok']);
    });

    it('ComputeFilter: NoValidHost when every host is down or disabled, and nothing claimed', async () => {
      await addHost('down', 16384, { serviceUp: false });
      await addHost('disabled', 8192, { serviceDisabled: true });
      await assertNoValidHost(scheduler().selectDestinations(ctx, { spec: spec(flavor(512)), instance_uuids: ['i-1'] }));
      assert.deepEqual(await allocatedOn('i-1'), []);
      assert.equal(await usedRam('down'), 0);
      assert.equal(await usedRam('disabled'), 0);
    });

    it('ComputeFilter only applies when enabled', async () => {
      await addHost('down', 16384, { serviceUp: false });
      await addHost('ok', 1024);
      assert.deepEqual(await pick(scheduler({ filters: [] }), spec(flavor(512))), ['down']);
    });

    it('AvailabilityZoneFilter keeps to the requested zone, and placement is asked for the zone\'s cells only', async () => {
      await addHost('big', 8192, { zone: 'nova' });
      await addHost('small', 2048, { zone: 'az2', zoneAggregate: true, cell: CELL2 });
      await addHost('mid', 4096, { zone: 'az3', zoneAggregate: true });
      assert.deepEqual(await pick(scheduler(), spec(flavor(512), { availability_zone: 'az2' })), ['small']);
      assert.deepEqual(racing.queries.at(-1)?.member_of, [[CELL2]]);
      assert.deepEqual(await pick(scheduler(), spec(flavor(512), { availability_zone: 'az3' }), ['i-2']), ['mid']);
      assert.deepEqual(await pick(scheduler(), spec(flavor(512)), ['i-3']), ['big']);
      assert.equal(racing.queries.at(-1)?.member_of, undefined);
    });

    it('AvailabilityZoneFilter: NoValidHost for a zone without hosts', async () => {
      await addHost('big', 8192);
      await assertNoValidHost(scheduler().selectDestinations(ctx, { spec: spec(flavor(512), { availability_zone: 'az9' }), instance_uuids: ['i-1'] }));
      assert.deepEqual(await allocatedOn('i-1'), []);
    });

    it('builds the configured filters by name', async () => {
      await addHost('down', 16384, { serviceUp: false });
      await addHost('ok', 1024);
      const s = scheduler({ filters: filtersFromConfig(['ComputeFilter', 'AvailabilityZoneFilter'], config.filter_scheduler) });
      assert.deepEqual(await pick(s, spec(flavor(512))), ['ok']);
    });
  });

  describe('requested destination (always on)', () => {
    beforeEach(async () => {
      await addHost('a', 8192);
      await addHost('b', 4096);
      await addHost('c', 2048, { cell: CELL2 });
    });

    it('restricts to a requested host or node', async () => {
      assert.deepEqual(await pick(scheduler(), spec(flavor(512), { requested_destination: { host: 'b' } })), ['b']);
      assert.deepEqual(await allocatedOn('i-1'), [rp['b']]);
      assert.deepEqual(await pick(scheduler(), spec(flavor(512), { requested_destination: { node: 'c.node' } }), ['i-2']), ['c']);
    });

    it('restricts to a requested cell, by uuid or by name', async () => {
      assert.deepEqual(await pick(scheduler(), spec(flavor(512), { requested_destination: { cell: CELL2 } })), ['c']);
      assert.deepEqual(racing.queries.at(-1)?.member_of, [[CELL2]]);
      assert.deepEqual(await pick(scheduler(), spec(flavor(512), { requested_destination: { cell: 'cell2' } }), ['i-2']), ['c']);
    });

    it('never picks an ignored host', async () => {
      assert.deepEqual(await pick(scheduler(), spec(flavor(512), { ignore_hosts: ['a'] })), ['b']);
    });

    it('NoValidHost when the requested host is missing, full, or outside the requested cell', async () => {
      const s = scheduler();
      await assertNoValidHost(s.selectDestinations(ctx, { spec: spec(flavor(512), { requested_destination: { host: 'nowhere' } }), instance_uuids: ['i-1'] }));
      await assertNoValidHost(s.selectDestinations(ctx, { spec: spec(flavor(4096), { requested_destination: { host: 'c' } }), instance_uuids: ['i-2'] }));
      await assertNoValidHost(s.selectDestinations(ctx, { spec: spec(flavor(512), { requested_destination: { host: 'a', cell: 'cell2' } }), instance_uuids: ['i-3'] }));
      await assertNoValidHost(s.selectDestinations(ctx, { spec: spec(flavor(512), { requested_destination: { cell: 'cell9' } }), instance_uuids: ['i-4'] }));
      for (const i of ['i-1', 'i-2', 'i-3', 'i-4']) assert.deepEqual(await allocatedOn(i), []);
    });
  });

  describe('no valid host', () => {
    it('when the flavor fits nowhere: NoValidHostError, no allocation left, nothing noted', async () => {
      await addHost('a', 2048);
      await addHost('b', 1024);
      await assertNoValidHost(scheduler().selectDestinations(ctx, { spec: spec(flavor(4096)), instance_uuids: ['i-1'] }));
      assert.deepEqual(await allocatedOn('i-1'), []);
      assert.deepEqual(hosts.placed, []);
    });

    it('when there are no hosts at all', async () => {
      await assertNoValidHost(scheduler().selectDestinations(ctx, { spec: spec(flavor(1)), instance_uuids: ['i-1'] }));
    });

    it('checks vCPUs and disk too, counting swap as whole GiB', async () => {
      await addHost('few-cpus', 65536, { vcpus: 1 });
      await addHost('tight-disk', 32768, { diskGb: 10 });
      await addHost('roomy', 4096, { diskGb: 11 });
      // 4 vCPUs rule out few-cpus; 10 GiB root + 1 MiB swap need 11 GiB, which rules out tight-disk.
      assert.deepEqual(await pick(scheduler(), spec(flavor(512, 4, 10, { swap: 1 }))), ['roomy']);
      assert.deepEqual((await placement.getAllocations('i-1')).allocations[rp['roomy']!]?.resources, { VCPU: 4, MEMORY_MB: 512, DISK_GB: 11 });
    });
  });

  describe('several instances in one request', () => {
    it('is all or nothing: 3 instances where 2 fit fail as a whole, releasing both earlier claims', async () => {
      await addHost('a', 2048);
      await addHost('b', 2048);
      const s = scheduler();
      await assertNoValidHost(s.selectDestinations(ctx, { spec: spec(flavor(2048)), instance_uuids: ['i-1', 'i-2', 'i-3'] }));
      for (const i of ['i-1', 'i-2', 'i-3']) assert.deepEqual(await allocatedOn(i), [], `${i} holds nothing`);
      assert.equal(await usedRam('a'), 0);
      assert.equal(await usedRam('b'), 0);
      assert.deepEqual(hosts.placed, [], 'the host view is not told about a failed request');
      // Both hosts are still free for two instances.
      assert.deepEqual((await pick(s, spec(flavor(2048)), ['j-1', 'j-2'])).sort(), ['a', 'b']);
    });

    it('counts earlier instances of the request when placing later ones, and notes each choice', async () => {
      await addHost('a', 4096);
      await addHost('b', 3072);
      // a (4096) takes the first; a then has 2048 free, so b (3072) takes the second; then a again.
      const got = await scheduler().selectDestinations(ctx, { spec: spec(flavor(2048)), instance_uuids: ['i-1', 'i-2', 'i-3'] });
      assert.deepEqual(got.map((g) => g.service_host), ['a', 'b', 'a']);
      assert.deepEqual(await allocatedOn('i-1'), [rp['a']]);
      assert.deepEqual(await allocatedOn('i-2'), [rp['b']]);
      assert.deepEqual(await allocatedOn('i-3'), [rp['a']]);
      assert.deepEqual(hosts.placed, [[rp['a'], 'i-1'], [rp['b'], 'i-2'], [rp['a'], 'i-3']]);
    });

    it('keeps the members of an anti-affinity group of one request on different hosts', async () => {
      await addHost('a', 16384);
      await addHost('b', 4096);
      const group = { uuid: ids.uuid(), policy: 'anti-affinity' as const, rules: {}, hosts: [], members: ['i-1', 'i-2'] };
      const s = scheduler({ filters: filtersFromConfig(['ComputeFilter', 'ServerGroupAntiAffinityFilter']) });
      // a has by far the most free RAM after the first claim too, so only the group rule keeps i-2 off it.
      const got = await pick(s, spec(flavor(512), { instance_group: group }), ['i-1', 'i-2']);
      assert.deepEqual(got, ['a', 'b'], 'the second member must not land next to the first');
    });
  });

  describe('claim races', () => {
    it('claims the next host when another consumer takes the room between the candidates and the claim', async () => {
      await addHost('best', 4096);
      await addHost('second', 3072);
      await addHost('third', 2048);
      racing.afterCandidates = async () => {
        assert.ok(await placement.claim('thief', { [rp['best']!]: { resources: { MEMORY_MB: 3584 } } }, { projectId: 'p', userId: 'u', consumerGeneration: null }));
      };
      const [sel] = await scheduler().selectDestinations(ctx, { spec: spec(flavor(1024)), instance_uuids: ['i-1'] });
      assert.equal(sel?.service_host, 'second');
      assert.deepEqual(await allocatedOn('i-1'), [rp['second']]);
      assert.deepEqual(await allocatedOn('thief'), [rp['best']], 'the other consumer keeps its claim');
      assert.equal(await usedRam('best'), 3584);
      assert.ok(!sel.alternates.some((a) => a.service_host === 'best'), 'the host that lost the race is no alternate');
      assert.deepEqual(hosts.placed, [[rp['second'], 'i-1']]);
    });

    it('gives NoValidHost when every candidate filled up meanwhile', async () => {
      await addHost('only', 2048);
      racing.afterCandidates = async () => {
        assert.ok(await placement.claim('thief', { [rp['only']!]: { resources: { MEMORY_MB: 2048 } } }, { projectId: 'p', userId: 'u', consumerGeneration: null }));
      };
      await assertNoValidHost(scheduler().selectDestinations(ctx, { spec: spec(flavor(1024)), instance_uuids: ['i-1'] }));
      assert.deepEqual(await allocatedOn('i-1'), []);
    });
  });

  describe('concurrency', () => {
    it('serializes decisions: the second waits for the first and sees its claim', async () => {
      await addHost('a', 4096);
      await addHost('b', 3072);
      const s = scheduler();
      let open!: () => void;
      hosts.gate = new Promise<void>((r) => {
        open = r;
      });
      const first = pick(s, spec(flavor(2048)), ['i-1']);
      const second = pick(s, spec(flavor(2048)), ['i-2']);
      for (let n = 0; n < 5; n++) await new Promise((r) => setImmediate(r));
      assert.equal(hosts.loads, 1, 'the second request must wait for the first to finish');
      hosts.gate = undefined;
      open();
      assert.deepEqual(await first, ['a']);
      // a has 2048 left, b 3072: the second sees the first claim and goes to b.
      assert.deepEqual(await second, ['b']);
      assert.equal(hosts.loads, 2);
    });

    it('two concurrent requests for the last room on a host: one gets it, the other NoValidHost', async () => {
      await addHost('a', 1024);
      const s = scheduler();
      const results = await Promise.allSettled([
        s.selectDestinations(ctx, { spec: spec(flavor(1024)), instance_uuids: ['i-1'] }),
        s.selectDestinations(ctx, { spec: spec(flavor(1024)), instance_uuids: ['i-2'] }),
      ]);
      assert.equal(results[0]?.status, 'fulfilled');
      assert.equal(results[1]?.status, 'rejected');
      assert.ok(results[1]?.status === 'rejected' && results[1].reason instanceof NoValidHostError);
      assert.deepEqual(await allocatedOn('i-1'), [rp['a']]);
      assert.deepEqual(await allocatedOn('i-2'), []);
      assert.equal(await usedRam('a'), 1024);
    });

    it('a failed request does not block the ones queued behind it', async () => {
      await addHost('a', 1024);
      const s = scheduler();
      const failing = s.selectDestinations(ctx, { spec: spec(flavor(999_999)), instance_uuids: ['i-1'] });
      const ok = pick(s, spec(flavor(512)), ['i-2']);
      await assertNoValidHost(failing);
      assert.deepEqual(await ok, ['a']);
    });
  });

  describe('host_subset_size', () => {
    beforeEach(async () => {
      await addHost('h1', 8000);
      await addHost('h2', 7000);
      await addHost('h3', 6000);
      await addHost('h4', 5000);
    });

    it('chooses among the best N with the injected random, and claims that one', async () => {
      assert.deepEqual(await pick(scheduler({ hostSubsetSize: 3, random: () => 0 }), spec(flavor(1)), ['i-1']), ['h1']);
      const [mid] = await scheduler({ hostSubsetSize: 3, random: () => 0.5 }).selectDestinations(ctx, { spec: spec(flavor(1)), instance_uuids: ['i-2'] });
      assert.equal(mid?.service_host, 'h2');
      assert.deepEqual(mid.alternates.map((a) => a.service_host), ['h1', 'h3'], 'the others follow in rank order');
      assert.deepEqual(await allocatedOn('i-2'), [rp['h2']]);
      assert.deepEqual(await pick(scheduler({ hostSubsetSize: 3, random: () => 0.99 }), spec(flavor(1)), ['i-3']), ['h3']);
    });

    it('never goes past the subset, is clamped to the candidates, and a size below 1 means 1', async () => {
      assert.deepEqual(await pick(scheduler({ hostSubsetSize: 2, random: () => 0.9999999 }), spec(flavor(1)), ['i-1']), ['h2']);
      assert.deepEqual(await pick(scheduler({ hostSubsetSize: 10, random: () => 0.99 }), spec(flavor(1)), ['i-2']), ['h4']);
      assert.deepEqual(await pick(scheduler({ hostSubsetSize: 0, random: () => 0.99 }), spec(flavor(1)), ['i-3']), ['h1']);
    });
  });

  describe('metrics', () => {
    it('observes scheduler.decision once per decision and placement.allocation_candidates once per instance', async () => {
      await addHost('a', 4096);
      const metrics = new RecordingMetrics();
      const s = scheduler({ metrics });
      await pick(s, spec(flavor(512)), ['i-1']);
      assert.equal(metrics.count('scheduler.decision'), 1);
      assert.equal(metrics.count('placement.allocation_candidates'), 1);
      await pick(s, spec(flavor(512)), ['i-2', 'i-3']);
      assert.equal(metrics.count('scheduler.decision'), 2);
      assert.equal(metrics.count('placement.allocation_candidates'), 3);
      await assertNoValidHost(s.selectDestinations(ctx, { spec: spec(flavor(999_999)), instance_uuids: ['i-4'] }));
      assert.equal(metrics.count('scheduler.decision'), 3, 'a failed decision is timed too');
      assert.equal(metrics.count('placement.allocation_candidates'), 4);
      const p50 = metrics.quantile('scheduler.decision', 0.5);
      assert.ok(p50 !== null && p50 >= 0);
    });
  });

  describe('over the bus', () => {
    it('serves select_destinations and invalidate_host_state', async () => {
      await addHost('a', 4096);
      const bus = new InprocBus({ logger: silentLogger(), ids, clock: new ManualClock(), defaultTimeoutMs: 5000 });
      const s = scheduler({ bus });
      await s.start();
      try {
        const client = new SchedulerRpcClient({ bus });
        const got = await client.selectDestinations(ctx, { spec: spec(flavor(512)), instance_uuids: ['i-1'] });
        assert.deepEqual(got.map((g) => g.service_host), ['a']);
        assert.deepEqual(await allocatedOn('i-1'), [rp['a']]);

        assert.equal(hosts.invalidations, 0);
        await client.invalidateHostState(ctx);
        for (let n = 0; n < 50 && hosts.invalidations === 0; n++) await new Promise((r) => setImmediate(r));
        assert.equal(hosts.invalidations, 1);

        await assert.rejects(client.selectDestinations(ctx, { spec: spec(flavor(999_999)), instance_uuids: ['i-2'] }), (err: unknown) => {
          assert.ok(err instanceof Error);
          assert.match(err.message, /No valid host was found/);
          return true;
        });
      } finally {
        await s.stop();
        await bus.close();
      }
    });
  });
});
