import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../common/clock.js';
import { NoValidHostError, TesseraError } from '../common/errors.js';
import { silentLogger } from '../common/logger.js';
import { systemContext } from '../common/request-context.js';
import type { Flavor } from '../objects/flavor.js';
import type { RequestSpec } from '../objects/request-spec.js';
import type { RpcBus } from '../rpc/bus.js';
import type { Selection } from '../rpc/contracts/scheduler-rpc.js';
import { AvailabilityZoneFilter } from './filters/availability-zone-filter.js';
import { ComputeFilter } from './filters/compute-filter.js';
import { filtersFromConfig } from './filters/filter-registry.js';
import type { HostFilter } from './filters/host-filter.js';
import type { HostState } from './host-state.js';
import type { HostStateSource, PendingClaim } from './host-state-source.js';
import { SchedulerService } from './scheduler-service.js';

const ctx = systemContext('req-test');
const CELL1 = '11111111-1111-4111-8111-111111111111';
const CELL2 = '22222222-2222-4222-8222-222222222222';

function flavor(memory_mb: number, vcpus = 1, root_gb = 1, extra: Partial<Flavor> = {}): Flavor {
  return {
    id: 1, flavorid: '1', name: 'f', memory_mb, vcpus, root_gb, ephemeral_gb: 0, swap: 0, rxtx_factor: 1, vcpu_weight: null,
    disabled: false, is_public: true, description: null, extra_specs: {}, created_at: '2026-01-01T00:00:00.000Z', updated_at: null, ...extra,
  };
}

function spec(f: Flavor, over: Partial<RequestSpec> = {}): RequestSpec {
  return {
    instance_uuid: 'i-0', project_id: 'p', user_id: 'u', flavor: f,
    image: { id: 'img', min_disk: 0, min_ram: 0, properties: {} },
    availability_zone: null, num_instances: 1, ignore_hosts: [], requested_destination: null, scheduler_hints: {}, ...over,
  };
}

function host(name: string, freeRamMb: number, over: Partial<HostState> = {}): HostState {
  return {
    host: name, nodename: `${name}.node`, cellUuid: CELL1, cellName: 'cell1', zone: 'nova', serviceUp: true, serviceDisabled: false,
    totalVcpus: 16, totalRamMb: freeRamMb, totalDiskGb: 100, freeVcpus: 16, freeRamMb, freeDiskGb: 100, ...over,
  };
}

/**
 * Stands in for HostStateSource: returns fresh copies of the hosts with the pending claims it is
 * given subtracted, as the real one does, and records what it was asked.
 */
class FakeHosts {
  readonly seen: Map<string, PendingClaim>[] = [];
  loads = 0;
  gate: Promise<void> | undefined;

  constructor(public hosts: HostState[]) {}

  async load(pending: Map<string, PendingClaim>): Promise<HostState[]> {
    this.loads += 1;
    this.seen.push(new Map(pending));
    if (this.gate !== undefined) await this.gate;
    return this.hosts.map((h) => {
      const copy = { ...h };
      for (const c of pending.values()) {
        if (c.host !== h.host) continue;
        copy.freeVcpus -= c.flavor.vcpus;
        copy.freeRamMb -= c.flavor.memory_mb;
        copy.freeDiskGb -= c.flavor.root_gb + c.flavor.ephemeral_gb + Math.ceil(c.flavor.swap / 1024);
      }
      return copy;
    });
  }
}

function scheduler(hosts: FakeHosts, opts: { filters?: HostFilter[]; hostSubsetSize?: number; random?: () => number; clock?: ManualClock } = {}): SchedulerService {
  return new SchedulerService({
    bus: {} as RpcBus,
    hosts: hosts as unknown as HostStateSource,
    filters: opts.filters ?? [new ComputeFilter(), new AvailabilityZoneFilter()],
    hostSubsetSize: opts.hostSubsetSize ?? 1,
    clock: opts.clock ?? new ManualClock(),
    logger: silentLogger(),
    ...(opts.random === undefined ? {} : { random: opts.random }),
  });
}

async function pick(s: SchedulerService, sp: RequestSpec, uuids = ['i-1']): Promise<string[]> {
  return (await s.selectDestinations(ctx, { spec: sp, instance_uuids: uuids })).map((x) => x.service_host);
}

async function assertNoValidHost(p: Promise<unknown>): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof NoValidHostError, `expected NoValidHostError, got ${String(err)}`);
    assert.equal(err.code, 'scheduler.no_valid_host');
    assert.match(err.message, /No valid host was found/);
    return true;
  });
}

describe('SchedulerService.selectDestinations', () => {
  it('picks the host with the most free RAM and says where it is', async () => {
    const hosts = new FakeHosts([host('a', 2048), host('b', 8192, { cellUuid: CELL2, cellName: 'cell2' }), host('c', 4096)]);
    const got: Selection[] = await scheduler(hosts).selectDestinations(ctx, { spec: spec(flavor(512)), instance_uuids: ['i-1'] });
    assert.deepEqual(got, [{ service_host: 'b', nodename: 'b.node', cell_uuid: CELL2 }]);
  });

  it('breaks ties on free RAM by host name', async () => {
    const hosts = new FakeHosts([host('zeta', 4096), host('alpha', 4096)]);
    assert.deepEqual(await pick(scheduler(hosts), spec(flavor(512))), ['alpha']);
  });

  describe('AvailabilityZoneFilter', () => {
    const zoned = (): FakeHosts => new FakeHosts([host('big', 8192, { zone: 'nova' }), host('small', 2048, { zone: 'az2' })]);

    it('keeps to the requested zone', async () => {
      assert.deepEqual(await pick(scheduler(zoned()), spec(flavor(512), { availability_zone: 'az2' })), ['small']);
    });

    it('allows any zone when none is requested', async () => {
      assert.deepEqual(await pick(scheduler(zoned()), spec(flavor(512))), ['big']);
    });

    it('gives NoValidHost for a zone without hosts', async () => {
      await assertNoValidHost(scheduler(zoned()).selectDestinations(ctx, { spec: spec(flavor(512), { availability_zone: 'az9' }), instance_uuids: ['i-1'] }));
    });

    it('passes unit checks directly', () => {
      const f = new AvailabilityZoneFilter();
      assert.equal(f.name, 'AvailabilityZoneFilter');
      assert.equal(f.passes(host('h', 1, { zone: 'az1' }), spec(flavor(1), { availability_zone: 'az1' })), true);
      assert.equal(f.passes(host('h', 1, { zone: 'az1' }), spec(flavor(1), { availability_zone: 'AZ1' })), false);
    });
  });

  describe('ComputeFilter', () => {
    it('skips hosts whose service is down or disabled', async () => {
      const hosts = new FakeHosts([host('down', 16384, { serviceUp: false }), host('disabled', 8192, { serviceDisabled: true }), host('ok', 1024)]);
      assert.deepEqual(await pick(scheduler(hosts), spec(flavor(512))), ['ok']);
    });

    it('gives NoValidHost when every host is down or disabled', async () => {
      const hosts = new FakeHosts([host('down', 16384, { serviceUp: false }), host('disabled', 8192, { serviceDisabled: true })]);
      await assertNoValidHost(scheduler(hosts).selectDestinations(ctx, { spec: spec(flavor(512)), instance_uuids: ['i-1'] }));
    });

    it('only applies when enabled', async () => {
      const hosts = new FakeHosts([host('down', 16384, { serviceUp: false }), host('ok', 1024)]);
      assert.deepEqual(await pick(scheduler(hosts, { filters: [] }), spec(flavor(512))), ['down']);
    });
  });

  describe('RequestedDestinationFilter (always on)', () => {
    const many = (): FakeHosts =>
      new FakeHosts([
        host('a', 8192),
        host('b', 4096, { nodename: 'b-node-x' }),
        host('c', 2048, { cellUuid: CELL2, cellName: 'cell2' }),
      ]);
    const run = (dest: RequestSpec['requested_destination'], ignore: string[] = []): Promise<string[]> =>
      pick(scheduler(many(), { filters: [] }), spec(flavor(512), { requested_destination: dest, ignore_hosts: ignore }));

    it('restricts to a requested host', async () => {
      assert.deepEqual(await run({ host: 'b' }), ['b']);
    });

    it('restricts to a requested node', async () => {
      assert.deepEqual(await run({ node: 'b-node-x' }), ['b']);
    });

    it('restricts to a cell by uuid or by name', async () => {
      assert.deepEqual(await run({ cell: CELL2 }), ['c']);
      assert.deepEqual(await run({ cell: 'cell2' }), ['c']);
    });

    it('requires every part of the destination to match', async () => {
      await assertNoValidHost(run({ host: 'b', node: 'a.node' }));
      await assertNoValidHost(run({ host: 'a', cell: 'cell2' }));
      await assertNoValidHost(run({ host: 'nowhere' }));
    });

    it('never picks an ignored host', async () => {
      assert.deepEqual(await run(null, ['a']), ['b']);
      assert.deepEqual(await run(null, ['a', 'b']), ['c']);
      await assertNoValidHost(run({ host: 'a' }, ['a']));
    });
  });

  describe('capacity', () => {
    it('gives NoValidHost when the flavor needs more RAM than any host has free', async () => {
      const hosts = new FakeHosts([host('a', 2048), host('b', 1024)]);
      await assertNoValidHost(scheduler(hosts).selectDestinations(ctx, { spec: spec(flavor(4096)), instance_uuids: ['i-1'] }));
    });

    it('accepts a flavor that fits exactly', async () => {
      const hosts = new FakeHosts([host('a', 2048, { freeVcpus: 2, freeDiskGb: 20 })]);
      assert.deepEqual(await pick(scheduler(hosts), spec(flavor(2048, 2, 20))), ['a']);
    });

    it('checks vCPUs and disk too, counting swap as whole GB', async () => {
      const fewCpus = new FakeHosts([host('big-ram-few-cpus', 65536, { freeVcpus: 1 }), host('enough', 4096)]);
      assert.deepEqual(await pick(scheduler(fewCpus), spec(flavor(512, 4))), ['enough']);
      const disk = new FakeHosts([host('tight', 65536, { freeDiskGb: 10 }), host('roomy', 4096, { freeDiskGb: 11 })]);
      // 10 GB root + 1 MB swap needs 11 GB.
      assert.deepEqual(await pick(scheduler(disk), spec(flavor(512, 1, 10, { swap: 1 }))), ['roomy']);
    });

    it('is an error with status 500 and the no_valid_host code', async () => {
      const hosts = new FakeHosts([]);
      await assert.rejects(scheduler(hosts).selectDestinations(ctx, { spec: spec(flavor(1)), instance_uuids: ['i-1'] }), (err: unknown) => {
        assert.ok(err instanceof TesseraError);
        assert.equal(err.status, 500);
        assert.equal(err.code, 'scheduler.no_valid_host');
        return true;
      });
    });
  });

  describe('several instances in one request', () => {
    it('is all or nothing: 3 instances where 2 fit fail as a whole and hold nothing', async () => {
      const hosts = new FakeHosts([host('a', 2048), host('b', 2048)]);
      const s = scheduler(hosts);
      await assertNoValidHost(s.selectDestinations(ctx, { spec: spec(flavor(2048)), instance_uuids: ['i-1', 'i-2', 'i-3'] }));
      // Nothing was claimed by the failed request: both hosts are still free for two instances.
      assert.deepEqual((await pick(s, spec(flavor(2048)), ['j-1', 'j-2'])).sort(), ['a', 'b']);
      assert.equal(hosts.seen[1]?.size, 0, 'the failed request left no claims behind');
    });

    it('counts earlier instances of the request when placing later ones', async () => {
      const hosts = new FakeHosts([host('a', 4096), host('b', 3072)]);
      // a (4096) takes the first; a then has 2048 free, so b (3072) takes the second; then a again.
      assert.deepEqual(await pick(scheduler(hosts), spec(flavor(2048)), ['i-1', 'i-2', 'i-3']), ['a', 'b', 'a']);
    });

    it('returns one selection per instance, in order', async () => {
      const hosts = new FakeHosts([host('a', 65536)]);
      const got = await scheduler(hosts).selectDestinations(ctx, { spec: spec(flavor(512)), instance_uuids: ['x', 'y', 'z', 'w'] });
      assert.equal(got.length, 4);
      assert.ok(got.every((g) => g.service_host === 'a'));
    });
  });

  describe('claims', () => {
    it('holds the first request\'s choice for the next request', async () => {
      const hosts = new FakeHosts([host('a', 4096), host('b', 3072)]);
      const s = scheduler(hosts);
      assert.deepEqual(await pick(s, spec(flavor(2048)), ['i-1']), ['a']);
      assert.deepEqual(await pick(s, spec(flavor(2048)), ['i-2']), ['b']);
      const second = hosts.seen[1];
      assert.ok(second);
      assert.deepEqual([...second.keys()], ['i-1']);
      const claim = second.get('i-1');
      assert.equal(claim?.host, 'a');
      assert.equal(claim?.instanceUuid, 'i-1');
      assert.equal(claim?.flavor.memory_mb, 2048);
    });

    it('fills up hosts across requests and then refuses', async () => {
      const hosts = new FakeHosts([host('a', 4096)]);
      const s = scheduler(hosts);
      await pick(s, spec(flavor(2048)), ['i-1']);
      await pick(s, spec(flavor(2048)), ['i-2']);
      await assertNoValidHost(s.selectDestinations(ctx, { spec: spec(flavor(2048)), instance_uuids: ['i-3'] }));
    });

    it('lets claims expire after two minutes', async () => {
      const clock = new ManualClock();
      const hosts = new FakeHosts([host('a', 2048)]);
      const s = scheduler(hosts, { clock });
      await pick(s, spec(flavor(2048)), ['i-1']);
      clock.advance(119_999);
      await assertNoValidHost(s.selectDestinations(ctx, { spec: spec(flavor(2048)), instance_uuids: ['i-2'] }));
      assert.equal(hosts.seen[1]?.size, 1);
      clock.advance(1);
      assert.deepEqual(await pick(s, spec(flavor(2048)), ['i-3']), ['a']);
      assert.deepEqual([...(hosts.seen[2]?.keys() ?? [])], [], 'the expired claim is not passed on');
    });

    it('a new choice for the same instance replaces its old claim', async () => {
      const hosts = new FakeHosts([host('a', 4096), host('b', 3072)]);
      const s = scheduler(hosts);
      await pick(s, spec(flavor(2048)), ['i-1']);
      await pick(s, spec(flavor(2048), { ignore_hosts: ['a'] }), ['i-1']);
      await pick(s, spec(flavor(1)), ['probe']);
      const last = hosts.seen[2];
      assert.equal(last?.size, 1);
      assert.equal(last?.get('i-1')?.host, 'b');
    });
  });

  describe('concurrency', () => {
    it('serializes concurrent calls so that the second sees the first one\'s claim', async () => {
      const hosts = new FakeHosts([host('a', 4096), host('b', 3072)]);
      const s = scheduler(hosts);
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
      assert.deepEqual(await second, ['b']);
      assert.equal(hosts.loads, 2);
      assert.equal(hosts.seen[1]?.get('i-1')?.host, 'a');
    });

    it('a failed request does not block the ones queued behind it', async () => {
      const hosts = new FakeHosts([host('a', 1024)]);
      const s = scheduler(hosts);
      const failing = s.selectDestinations(ctx, { spec: spec(flavor(999_999)), instance_uuids: ['i-1'] });
      const ok = pick(s, spec(flavor(512)), ['i-2']);
      await assertNoValidHost(failing);
      assert.deepEqual(await ok, ['a']);
    });
  });

  describe('host_subset_size', () => {
    const four = (): FakeHosts => new FakeHosts([host('h1', 8000), host('h2', 7000), host('h3', 6000), host('h4', 5000)]);

    it('chooses among the best N with the injected random', async () => {
      assert.deepEqual(await pick(scheduler(four(), { hostSubsetSize: 3, random: () => 0 }), spec(flavor(1))), ['h1']);
      assert.deepEqual(await pick(scheduler(four(), { hostSubsetSize: 3, random: () => 0.5 }), spec(flavor(1))), ['h2']);
      assert.deepEqual(await pick(scheduler(four(), { hostSubsetSize: 3, random: () => 0.99 }), spec(flavor(1))), ['h3']);
    });

    it('never goes past the subset, even with random() close to 1', async () => {
      assert.deepEqual(await pick(scheduler(four(), { hostSubsetSize: 2, random: () => 0.9999999 }), spec(flavor(1))), ['h2']);
    });

    it('is clamped to the number of candidates', async () => {
      assert.deepEqual(await pick(scheduler(four(), { hostSubsetSize: 10, random: () => 0.99 }), spec(flavor(1))), ['h4']);
    });

    it('treats a size below 1 as 1', async () => {
      assert.deepEqual(await pick(scheduler(four(), { hostSubsetSize: 0, random: () => 0.99 }), spec(flavor(1))), ['h1']);
    });
  });
});

describe('filtersFromConfig', () => {
  it('builds the named filters in order', () => {
    const filters = filtersFromConfig(['AvailabilityZoneFilter', 'ComputeFilter']);
    assert.deepEqual(filters.map((f) => f.name), ['AvailabilityZoneFilter', 'ComputeFilter']);
    assert.ok(filters[0] instanceof AvailabilityZoneFilter);
    assert.ok(filters[1] instanceof ComputeFilter);
    assert.deepEqual(filtersFromConfig([]), []);
  });

  it('refuses an unknown filter and names it', () => {
    assert.throws(() => filtersFromConfig(['ComputeFilter', 'RamFilterz']), (err: unknown) => {
      assert.ok(err instanceof TesseraError);
      assert.equal(err.code, 'config.unknown_filter');
      assert.match(err.message, /unknown filter RamFilterz/);
      assert.match(err.message, /ComputeFilter/);
      return true;
    });
  });
});
