import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../common/clock.js';
import { RandomIdGenerator } from '../common/ids.js';
import { silentLogger } from '../common/logger.js';
import { parseConfigText } from '../config/index.js';
import type { Flavor } from '../objects/flavor.js';
import type { RequestSpec } from '../objects/request-spec.js';
import { PlacementService, placementRuleDefaults, type PlacementClient } from '../placement/index.js';
import { PolicyEngine, allRuleDefaults } from '../policy/index.js';
import type { CachedHost } from './host-state-cache.js';
import { candidateQuery, flavorResources, NO_SUCH_AGGREGATE } from './placement-query.js';

const CELL1 = '11111111-1111-4111-8111-111111111111';
const CELL2 = '22222222-2222-4222-8222-222222222222';
const CELL3 = '33333333-3333-4333-8333-333333333333';

function flavor(over: Partial<Flavor> = {}): Flavor {
  return {
    id: 1, flavorid: '1', name: 'f', memory_mb: 512, vcpus: 1, root_gb: 1, ephemeral_gb: 0, swap: 0, rxtx_factor: 1, vcpu_weight: null,
    disabled: false, is_public: true, description: null, extra_specs: {}, created_at: '2026-01-01T00:00:00.000Z', updated_at: null, ...over,
  };
}

function spec(over: Partial<RequestSpec> = {}): RequestSpec {
  return {
    instance_uuid: 'i-1', project_id: 'p', user_id: 'u', flavor: flavor(),
    image: { id: 'img', min_disk: 0, min_ram: 0, properties: {} },
    availability_zone: null, num_instances: 1, ignore_hosts: [], requested_destination: null, scheduler_hints: {}, ...over,
  };
}

function host(name: string, cellUuid: string, cellName: string, zone: string): CachedHost {
  return {
    nodeUuid: `${name}-uuid`, host: name, nodename: name, cellUuid, cellName, zone, serviceUp: true, serviceDisabled: false,
    totalVcpus: 8, totalRamMb: 8192, totalDiskGb: 100, freeVcpus: 8, freeRamMb: 8192, freeDiskGb: 100,
  };
}

const hosts: CachedHost[] = [
  host('a1', CELL1, 'cell1', 'nova'),
  host('a2', CELL1, 'cell1', 'az1'),
  host('b1', CELL2, 'cell2', 'az1'),
  host('b2', CELL2, 'cell2', 'az2'),
  host('c1', CELL3, 'cell3', 'nova'),
];

describe('flavorResources', () => {
  it('asks for vCPUs, RAM and root + ephemeral disk', () => {
    assert.deepEqual(flavorResources(flavor({ vcpus: 2, memory_mb: 2048, root_gb: 10, ephemeral_gb: 5 })), { VCPU: 2, MEMORY_MB: 2048, DISK_GB: 15 });
  });

  it('counts swap (MiB) as disk, rounded up to whole GiB', () => {
    assert.equal(flavorResources(flavor({ root_gb: 10, swap: 1 }))['DISK_GB'], 11);
    assert.equal(flavorResources(flavor({ root_gb: 10, swap: 1024 }))['DISK_GB'], 11);
    assert.equal(flavorResources(flavor({ root_gb: 10, swap: 1025 }))['DISK_GB'], 12);
    assert.equal(flavorResources(flavor({ root_gb: 0, swap: 512 }))['DISK_GB'], 1);
  });

  it('leaves DISK_GB out when the flavor needs no disk', () => {
    const r = flavorResources(flavor({ vcpus: 1, memory_mb: 64, root_gb: 0, ephemeral_gb: 0, swap: 0 }));
    assert.deepEqual(r, { VCPU: 1, MEMORY_MB: 64 });
    assert.equal(Object.hasOwn(r, 'DISK_GB'), false);
  });
});

describe('candidateQuery', () => {
  it('is the flavor\'s resources with the limit, and no member_of when nothing restricts the request', () => {
    const q = candidateQuery(spec(), hosts, 250);
    assert.deepEqual(q, { resources: { VCPU: 1, MEMORY_MB: 512, DISK_GB: 1 }, limit: 250 });
  });

  it('does not prefilter on a requested host or node alone', () => {
    assert.equal(candidateQuery(spec({ requested_destination: { host: 'a1', node: 'a1' } }), hosts, 10).member_of, undefined);
  });

  it('applies a requested cell and a zone together, from a host view given as an iterator (as the scheduler passes it)', () => {
    const view = new Map(hosts.map((h) => [h.nodeUuid, h]));
    assert.deepEqual(candidateQuery(spec({ requested_destination: { cell: CELL1 }, availability_zone: 'az1' }), view, 10).member_of, [[CELL1], [CELL1, CELL2]]);
  });

  it('restricts to the requested cell through the cell-uuid aggregate, given by uuid or by name', () => {
    assert.deepEqual(candidateQuery(spec({ requested_destination: { cell: CELL2 } }), hosts, 10).member_of, [[CELL2]]);
    assert.deepEqual(candidateQuery(spec({ requested_destination: { cell: 'cell2' } }), hosts, 10).member_of, [[CELL2]]);
    assert.deepEqual(candidateQuery(spec({ requested_destination: { host: 'b1', cell: 'cell1' } }), hosts, 10).member_of, [[CELL1]]);
  });

  it('restricts to the cells that have hosts in the requested zone, each cell once', () => {
    assert.deepEqual(candidateQuery(spec({ availability_zone: 'az2' }), hosts, 10).member_of, [[CELL2]]);
    assert.deepEqual(candidateQuery(spec({ availability_zone: 'az1' }), hosts, 10).member_of?.map((l) => [...l].sort()), [[CELL1, CELL2]]);
    assert.deepEqual(candidateQuery(spec({ availability_zone: 'nova' }), hosts, 10).member_of?.map((l) => [...l].sort()), [[CELL1, CELL3]]);
  });

  it('with both a cell and a zone, asks for both (all of the any-of lists)', () => {
    const q = candidateQuery(spec({ requested_destination: { cell: 'cell1' }, availability_zone: 'az1' }), hosts, 10);
    assert.deepEqual(q.member_of?.map((l) => [...l].sort()), [[CELL1], [CELL1, CELL2]]);
  });

  it('turns an impossible cell or zone into a member_of that matches nothing', () => {
    const nothing = NO_SUCH_AGGREGATE;
    assert.deepEqual(candidateQuery(spec({ requested_destination: { cell: 'cell9' } }), hosts, 10).member_of, [[nothing]]);
    assert.deepEqual(candidateQuery(spec({ availability_zone: 'az9' }), hosts, 10).member_of, [[nothing]]);
    assert.deepEqual(candidateQuery(spec({ requested_destination: { cell: CELL1 }, availability_zone: 'az9' }), hosts, 10).member_of, [[CELL1], [nothing]]);
    assert.deepEqual(candidateQuery(spec({ availability_zone: 'nova' }), [], 10).member_of, [[nothing]], 'no hosts known at all');
  });

  it('takes the host view as the cache keeps it (a map by node), walking it for the cell and again for the zone', () => {
    const byNode = new Map(hosts.map((h) => [h.nodeUuid, h]));
    assert.deepEqual(candidateQuery(spec({ availability_zone: 'az2' }), byNode, 10).member_of, [[CELL2]]);
    assert.deepEqual(candidateQuery(spec({ requested_destination: { cell: 'cell2' }, availability_zone: 'az2' }), byNode, 10).member_of, [[CELL2], [CELL2]]);
  });
});

describe('candidateQuery against placement', () => {
  let service: PlacementService;
  let placement: PlacementClient;
  const ids = new RandomIdGenerator();
  const rp: Record<string, string> = {};

  before(async () => {
    const policy = await PolicyEngine.create({ defaults: [...allRuleDefaults(), ...placementRuleDefaults] });
    service = await PlacementService.create({ config: parseConfigText('', 'test'), clock: new ManualClock(), ids, logger: silentLogger(), policy, databaseUrl: 'sqlite://' });
    placement = service.client();
    for (const h of hosts) {
      const uuid = ids.uuid();
      rp[h.host] = uuid;
      await placement.ensureProvider({ uuid, name: h.nodename });
      await placement.setInventory(uuid, { VCPU: { total: 8 }, MEMORY_MB: { total: 8192 }, DISK_GB: { total: 100 } });
      await placement.setAggregates(uuid, [h.cellUuid]);
    }
  });
  after(() => service.close());

  async function providers(sp: RequestSpec): Promise<string[]> {
    const answer = await placement.getAllocationCandidates(candidateQuery(sp, hosts, 1000));
    return answer.flatMap((c) => Object.keys(c.allocation_request.allocations)).sort();
  }

  it('gets the providers of the requested cell or of the zone\'s cells only', async () => {
    assert.deepEqual(await providers(spec()), Object.values(rp).sort());
    assert.deepEqual(await providers(spec({ requested_destination: { cell: 'cell2' } })), [rp['b1'], rp['b2']].sort());
    assert.deepEqual(await providers(spec({ availability_zone: 'az1' })), [rp['a1'], rp['a2'], rp['b1'], rp['b2']].sort());
    assert.deepEqual(await providers(spec({ requested_destination: { cell: 'cell3' }, availability_zone: 'az1' })), []);
  });

  it('gets nothing for an impossible cell or zone', async () => {
    assert.deepEqual(await providers(spec({ requested_destination: { cell: 'cell9' } })), []);
    assert.deepEqual(await providers(spec({ availability_zone: 'az9' })), []);
  });
});
