/**
 * Scheduling through placement, end to end over HTTP: where servers land (zone, server groups,
 * disabled or forced-down services), what placement holds for them (one allocation, on the
 * provider of the host the server runs on), reschedules to alternates after a spawn failure, and
 * all-or-nothing multi-create. Every claim must be released when a build fails or a server goes.
 *
 * The test cloud has two hosts per cell and each cell is an availability zone; every host has the
 * fake driver's 8 vCPUs, 16384 MB and 200 GB (ratios 16 / 1.5 / 1.0, 512 MB reserved).
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { startTestCloud, UNLIMITED_INSTANCE_QUOTAS, waitFor, type ApiClient, type HttpResult, type TestCloud } from '../fixtures/test-cloud.js';
import { ALL_HOSTS, C, CELL_HOSTS, imageId, waitForGone, waitForSettled } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

const PLACEMENT_HEADERS = { 'OpenStack-API-Version': 'placement 1.39' };
type Resources = Record<string, number>;
/** What the default flavors ask of placement. */
const TINY: Resources = { VCPU: 1, MEMORY_MB: 512, DISK_GB: 1 };
const LARGE: Resources = { VCPU: 4, MEMORY_MB: 8192, DISK_GB: 80 };
const XLARGE: Resources = { VCPU: 8, MEMORY_MB: 16384, DISK_GB: 160 };
const CELL1 = CELL_HOSTS['cell1'] as string[];
const CELL2 = CELL_HOSTS['cell2'] as string[];

/** A boot request; `group` becomes the `os:scheduler_hints` group, beside (not inside) `server`. */
interface Boot {
  name: string;
  imageRef: string;
  flavorRef?: string;
  zone?: string;
  group?: string;
}

/** POST /servers at 2.37 with `networks: none`, as the CLI sends it; returns the raw response. */
function postBoot(client: ApiClient, r: Boot, server: Record<string, unknown> = {}): Promise<HttpResult> {
  return client.withMicroversion('2.37').post(`${C}/servers`, {
    server: {
      name: r.name,
      imageRef: r.imageRef,
      flavorRef: r.flavorRef ?? '1',
      networks: 'none',
      ...(r.zone === undefined ? {} : { availability_zone: r.zone }),
      ...server,
    },
    ...(r.group === undefined ? {} : { 'os:scheduler_hints': { group: r.group } }),
  });
}

function placementGet(admin: ApiClient, path: string): Promise<HttpResult> {
  return admin.withMicroversion(undefined).request('GET', `/placement${path}`, undefined, PLACEMENT_HEADERS);
}

/** The placement view and cleanup helpers one cloud needs. */
class Probe {
  /** Host name → resource provider uuid. */
  readonly providers = new Map<string, string>();
  /** Servers created by the current test, deleted after it. */
  created: string[] = [];

  constructor(readonly t: TestCloud) {}

  async loadProviders(): Promise<void> {
    for (const host of ALL_HOSTS) {
      const res = await placementGet(this.t.admin, `/resource_providers?name=${host}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const rps = res.body.resource_providers as { uuid: string; name: string }[];
      assert.equal(rps.length, 1, `one provider named ${host}`);
      this.providers.set(host, (rps[0] as { uuid: string }).uuid);
    }
  }

  provider(host: string): string {
    const uuid = this.providers.get(host);
    assert.ok(uuid !== undefined, `provider of ${host}`);
    return uuid;
  }

  async allocations(consumer: string): Promise<Record<string, { resources: Resources; generation?: number }>> {
    const res = await placementGet(this.t.admin, `/allocations/${consumer}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.allocations as Record<string, { resources: Resources }>;
  }

  async allocationBody(consumer: string): Promise<Record<string, any>> {
    const res = await placementGet(this.t.admin, `/allocations/${consumer}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as Record<string, any>;
  }

  async usages(host: string): Promise<Resources> {
    const res = await placementGet(this.t.admin, `/resource_providers/${this.provider(host)}/usages`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.usages as Resources;
  }

  async allUsages(): Promise<Record<string, Resources>> {
    const out: Record<string, Resources> = {};
    for (const host of ALL_HOSTS) out[host] = await this.usages(host);
    return out;
  }

  /** The consumers holding resources on a host's provider. */
  async consumersOn(host: string): Promise<string[]> {
    const res = await placementGet(this.t.admin, `/resource_providers/${this.provider(host)}/allocations`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return Object.keys(res.body.allocations as object).sort();
  }

  /** Asserts that the server's only allocation is `resources` on its host's provider. */
  async assertAllocatedOn(serverId: string, host: string, resources: Resources): Promise<void> {
    const allocations = await this.allocations(serverId);
    assert.deepEqual(Object.keys(allocations), [this.provider(host)], `${serverId} is allocated on ${host} only: ${JSON.stringify(allocations)}`);
    assert.deepEqual(allocations[this.provider(host)]?.resources, resources);
  }

  async assertNoAllocation(serverId: string): Promise<void> {
    assert.deepEqual(await this.allocations(serverId), {}, `no allocation is left for ${serverId}`);
  }

  async create(client: ApiClient, r: Boot): Promise<string> {
    const res = await postBoot(client, r);
    assert.equal(res.status, 202, `create ${r.name}: ${JSON.stringify(res.body)}`);
    const id = res.body.server?.id as string;
    assert.equal(typeof id, 'string');
    this.created.push(id);
    return id;
  }

  /** A multi-create; returns the ids of the servers of the reservation, in launch order. */
  async createMany(client: ApiClient, r: Boot, count: { min?: number; max: number }): Promise<string[]> {
    const res = await postBoot(client, r, { ...(count.min === undefined ? {} : { min_count: count.min }), max_count: count.max, return_reservation_id: true });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const reservation = res.body.reservation_id as string;
    const listed = await this.t.admin.get(`${C}/servers/detail?all_tenants=1&reservation_id=${reservation}`);
    assert.equal(listed.status, 200, JSON.stringify(listed.body));
    const servers = (listed.body.servers as Record<string, any>[]).sort((a, b) => String(a['name']).localeCompare(String(b['name'])));
    assert.equal(servers.length, count.max, `${count.max} servers in reservation ${reservation}`);
    const ids = servers.map((s) => s['id'] as string);
    this.created.push(...ids);
    return ids;
  }

  /** Boots one server and waits for it to be ACTIVE; returns its host. */
  async boot(client: ApiClient, r: Boot): Promise<{ id: string; host: string }> {
    const id = await this.create(client, r);
    const s = await waitForSettled(this.t.admin, id);
    assert.equal(s['status'], 'ACTIVE', `${r.name} is ACTIVE: ${JSON.stringify(s['fault'])}`);
    return { id, host: s['OS-EXT-SRV-ATTR:host'] as string };
  }

  async hostOf(id: string): Promise<string> {
    const s = await waitForSettled(this.t.admin, id);
    assert.equal(s['status'], 'ACTIVE', `${id} is ACTIVE: ${JSON.stringify(s['fault'])}`);
    return s['OS-EXT-SRV-ATTR:host'] as string;
  }

  async deleteCreated(): Promise<void> {
    const ids = this.created;
    this.created = [];
    for (const id of ids) {
      const res = await this.t.admin.delete(`${C}/servers/${id}`);
      assert.ok(res.status === 204 || res.status === 404, `delete ${id}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    for (const id of ids) await waitForGone(this.t.admin, id, 20_000);
  }

  async serviceId(host: string): Promise<string> {
    const res = await this.t.admin.withMicroversion('2.53').get(`${C}/os-services?host=${host}&binary=nova-compute`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const services = res.body.services as { id: string }[];
    assert.equal(services.length, 1);
    return (services[0] as { id: string }).id;
  }

  async updateService(host: string, body: Record<string, unknown>): Promise<Record<string, any>> {
    const res = await this.t.admin.withMicroversion('2.53').put(`${C}/os-services/${await this.serviceId(host)}`, body);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.service as Record<string, any>;
  }

  async group(policy: string, name: string): Promise<string> {
    const res = await this.t.member.withMicroversion('2.64').post(`${C}/os-server-groups`, { server_group: { name, policy } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.server_group.policy, policy);
    return res.body.server_group.id as string;
  }
}

function plus(a: Resources, ...bs: Resources[]): Resources {
  const out: Resources = { ...a };
  for (const b of bs) for (const [rc, n] of Object.entries(b)) out[rc] = (out[rc] ?? 0) + n;
  return out;
}

function times(r: Resources, n: number): Resources {
  return Object.fromEntries(Object.entries(r).map(([rc, v]) => [rc, v * n]));
}

describe('scheduling with placement', () => {
  let t: TestCloud;
  let p: Probe;
  let image: string;
  let baseline: Record<string, Resources>;

  before(async () => {
    t = await startTestCloud(UNLIMITED_INSTANCE_QUOTAS);
    p = new Probe(t);
    image = await imageId(t.member);
    await p.loadProviders();
    baseline = await p.allUsages();
    for (const host of ALL_HOSTS) assert.deepEqual(baseline[host], { VCPU: 0, MEMORY_MB: 0, DISK_GB: 0 }, `${host} starts empty`);
  });
  afterEach(async () => {
    t.cloud.faults.disarm();
    await p.deleteCreated();
  });
  after(async () => {
    await t?.stop();
  });

  it('boots into a zone land on the hosts of that zone, allocated on the provider of their host', async () => {
    for (const zone of ['cell1', 'cell2', 'cell1', 'cell2']) {
      const { id, host } = await p.boot(t.member, { name: `in-${zone}`, imageRef: image, zone });
      assert.ok(CELL_HOSTS[zone]?.includes(host), `${host} is in ${zone}`);
      await p.assertAllocatedOn(id, host, TINY);
      const body = await p.allocationBody(id);
      const server = (await t.member.get(`${C}/servers/${id}`)).body.server as Record<string, any>;
      assert.equal(body['project_id'], server['tenant_id'], 'the consumer belongs to the server\'s project');
      assert.equal(body['user_id'], server['user_id']);
      assert.equal(body['consumer_generation'], 1);
    }
    const usages = await p.allUsages();
    for (const zone of ['cell1', 'cell2']) {
      const hosts = CELL_HOSTS[zone] as string[];
      assert.deepEqual(plus(usages[hosts[0] as string] as Resources, usages[hosts[1] as string] as Resources), times(TINY, 2), `two tiny servers in ${zone}`);
    }
    // The spreading weighers put the second boot of a zone on the empty host.
    for (const zone of ['cell1', 'cell2']) {
      for (const host of CELL_HOSTS[zone] as string[]) assert.deepEqual(usages[host], TINY, `one tiny server on ${host}`);
    }
  });

  it('deleting servers releases their allocations: usages go back to the baseline', async () => {
    const ids = await p.createMany(t.member, { name: 'released', imageRef: image }, { max: 3 });
    const hosts = await Promise.all(ids.map((id) => p.hostOf(id)));
    for (const [i, id] of ids.entries()) await p.assertAllocatedOn(id, hosts[i] as string, TINY);
    const during = await p.allUsages();
    const total = Object.values(during).reduce((sum, u) => plus(sum, u), {});
    assert.deepEqual(total, times(TINY, 3));

    await p.deleteCreated();
    for (const id of ids) await p.assertNoAllocation(id);
    assert.deepEqual(await p.allUsages(), baseline);
    for (const host of ALL_HOSTS) assert.deepEqual(await p.consumersOn(host), [], `no consumer left on ${host}`);
  });

  it('an anti-affinity group of two in one zone lands on two hosts; a third member goes to ERROR cleanly', async () => {
    const group = await p.group('anti-affinity', 'apart');
    const a = await p.boot(t.member, { name: 'apart-a', imageRef: image, zone: 'cell1', group: group });
    const b = await p.boot(t.member, { name: 'apart-b', imageRef: image, zone: 'cell1', group: group });
    assert.deepEqual([a.host, b.host].sort(), CELL1, 'one member on each host of cell1');
    const before = await p.allUsages();

    const c = await p.create(t.member, { name: 'apart-c', imageRef: image, zone: 'cell1', group: group });
    const failed = await waitForSettled(t.admin, c);
    assert.equal(failed['status'], 'ERROR');
    assert.equal(failed['fault']?.code, 500);
    assert.match(failed['fault']?.message as string, /No valid host was found/);
    assert.equal(failed['OS-EXT-SRV-ATTR:host'], null);
    await p.assertNoAllocation(c);
    assert.deepEqual(await p.allUsages(), before, 'the failed member holds nothing anywhere');

    // The other two are untouched.
    for (const m of [a, b]) {
      const s = await waitForSettled(t.admin, m.id);
      assert.equal(s['status'], 'ACTIVE');
      assert.equal(s['OS-EXT-SRV-ATTR:host'], m.host);
      await p.assertAllocatedOn(m.id, m.host, TINY);
    }
    const shown = await t.member.withMicroversion('2.64').get(`${C}/os-server-groups/${group}`);
    assert.equal(shown.status, 200);
    for (const m of [a, b]) assert.ok((shown.body.server_group.members as string[]).includes(m.id), `${m.id} is a member`);
  });

  it('anti-affinity holds within one multi-create request of two', async () => {
    const group = await p.group('anti-affinity', 'apart-multi');
    const pair = await p.createMany(t.member, { name: 'apart-pair', imageRef: image, zone: 'cell2', group }, { max: 2 });
    const hosts = await Promise.all(pair.map((id) => p.hostOf(id)));
    assert.deepEqual([...hosts].sort(), CELL2);
  });

  it('an anti-affinity multi-create of three into a zone of two hosts fails as a whole, holding nothing', async () => {
    // The members placed earlier in the same request must count on their hosts (Nova's
    // _consume_selected_host adds them to the host state): the third member has nowhere to go.
    const group = await p.group('anti-affinity', 'apart-three');
    const before = await p.allUsages();
    // min_count = max_count: all three or none (below, min_count 1 builds what fits).
    const three = await p.createMany(t.member, { name: 'apart-three', imageRef: image, zone: 'cell2', group }, { min: 3, max: 3 });
    const settled = await Promise.all(three.map((id) => waitForSettled(t.admin, id)));
    assert.deepEqual(
      settled.map((s) => [s['name'], s['status'], s['OS-EXT-SRV-ATTR:host']]),
      settled.map((s) => [s['name'], 'ERROR', null]),
      'no host may hold two members, so no member is built',
    );
    for (const s of settled) {
      assert.match(s['fault']?.message as string, /No valid host was found/);
      await p.assertNoAllocation(s['id'] as string);
    }
    assert.deepEqual(await p.allUsages(), before);
  });

  it('an affinity group keeps its members on the first member\'s host', async () => {
    const group = await p.group('affinity', 'together');
    const first = await p.boot(t.member, { name: 'together-1', imageRef: image, zone: 'cell2', group: group });
    // Without the group the spreading weighers would send the next ones to the other, empty host.
    const second = await p.boot(t.member, { name: 'together-2', imageRef: image, zone: 'cell2', group: group });
    const more = await p.createMany(t.member, { name: 'together-more', imageRef: image, group: group }, { max: 2 });
    const hosts = [first.host, second.host, ...(await Promise.all(more.map((id) => p.hostOf(id))))];
    assert.deepEqual(new Set(hosts), new Set([first.host]), `all members on ${first.host}: ${hosts.join(', ')}`);
    assert.deepEqual(await p.usages(first.host), times(TINY, 4));
    const other = CELL2.find((h) => h !== first.host) as string;
    assert.deepEqual(await p.usages(other), baseline[other]);
  });

  it('a soft-anti-affinity group spreads: with two hosts in the zone the first two members go to different hosts', async () => {
    const group = await p.group('soft-anti-affinity', 'spread');
    const a = await p.boot(t.member, { name: 'spread-a', imageRef: image, zone: 'cell1', group: group });
    const b = await p.boot(t.member, { name: 'spread-b', imageRef: image, zone: 'cell1', group: group });
    assert.notEqual(a.host, b.host);
    // Soft: a third member still gets a host, one of the two.
    const c = await p.boot(t.member, { name: 'spread-c', imageRef: image, zone: 'cell1', group: group });
    assert.ok(CELL1.includes(c.host));
    for (const m of [a, b, c]) await p.assertAllocatedOn(m.id, m.host, TINY);
  });

  it('the soft-anti-affinity weigher outweighs free room when its multiplier says so (aggregate metadata)', async () => {
    const agg = await t.admin.post(`${C}/os-aggregates`, { aggregate: { name: 'spread-hard' } });
    assert.equal(agg.status, 200, JSON.stringify(agg.body));
    const aggId = agg.body.aggregate.id as number;
    const action = (body: unknown) => t.admin.withMicroversion(undefined).post(`${C}/os-aggregates/${aggId}/action`, body);
    try {
      for (const host of CELL1) assert.equal((await action({ add_host: { host } })).status, 200);
      const set = await action({ set_metadata: { metadata: { soft_anti_affinity_weight_multiplier: '100' } } });
      assert.equal(set.status, 200, JSON.stringify(set.body));

      // A large server makes one host much fuller: RAM, CPU and disk weighers all prefer the other.
      const ballast = await p.boot(t.admin, { name: 'ballast', imageRef: image, flavorRef: '4', zone: 'cell1' });
      const group = await p.group('soft-anti-affinity', 'spread-weighed');
      const a = await p.boot(t.member, { name: 'weighed-a', imageRef: image, zone: 'cell1', group: group });
      assert.notEqual(a.host, ballast.host, 'the first member goes to the emptier host');
      const b = await p.boot(t.member, { name: 'weighed-b', imageRef: image, zone: 'cell1', group: group });
      assert.equal(b.host, ballast.host, 'the second member avoids the first one even though its host is fuller');
      await p.assertAllocatedOn(ballast.id, ballast.host, LARGE);
      assert.deepEqual(await p.usages(ballast.host), plus(LARGE, TINY));
    } finally {
      await p.deleteCreated();
      for (const host of CELL1) await action({ remove_host: { host } });
      assert.equal((await t.admin.delete(`${C}/os-aggregates/${aggId}`)).status, 200);
    }
  });

  it('a disabled service gets nothing; re-enabled, it does again', async () => {
    const disabled = await p.updateService('cell2-compute1', { status: 'disabled', disabled_reason: 'maintenance' });
    assert.equal(disabled['status'], 'disabled');
    try {
      const before = await p.usages('cell2-compute1');
      for (let i = 0; i < 3; i++) {
        const { id, host } = await p.boot(t.member, { name: `avoid-${i}`, imageRef: image, zone: 'cell2' });
        assert.equal(host, 'cell2-compute2', `boot ${i} avoids the disabled host`);
        await p.assertAllocatedOn(id, 'cell2-compute2', TINY);
      }
      const multi = await p.createMany(t.member, { name: 'avoid-multi', imageRef: image, zone: 'cell2' }, { max: 2 });
      for (const id of multi) assert.equal(await p.hostOf(id), 'cell2-compute2');
      assert.deepEqual(await p.usages('cell2-compute1'), before, 'nothing was claimed on the disabled host');
      assert.deepEqual(await p.consumersOn('cell2-compute1'), []);
    } finally {
      const enabled = await p.updateService('cell2-compute1', { status: 'enabled' });
      assert.equal(enabled['status'], 'enabled');
    }
    // cell2-compute2 is now the fuller host: the next boot goes to the re-enabled one.
    const { host } = await p.boot(t.member, { name: 'welcome-back', imageRef: image, zone: 'cell2' });
    assert.equal(host, 'cell2-compute1');
  });

  it('a forced-down service gets nothing either, and with every host of the zone disabled the boot fails cleanly', async () => {
    const down = await p.updateService('cell1-compute2', { forced_down: true });
    assert.equal(down['forced_down'], true);
    try {
      assert.equal(down['state'], 'down');
      for (let i = 0; i < 2; i++) {
        const { host } = await p.boot(t.member, { name: `not-down-${i}`, imageRef: image, zone: 'cell1' });
        assert.equal(host, 'cell1-compute1');
      }
    } finally {
      assert.equal((await p.updateService('cell1-compute2', { forced_down: false }))['forced_down'], false);
    }

    for (const host of CELL1) await p.updateService(host, { status: 'disabled' });
    try {
      const before = await p.allUsages();
      const id = await p.create(t.member, { name: 'zone-closed', imageRef: image, zone: 'cell1' });
      const s = await waitForSettled(t.admin, id);
      assert.equal(s['status'], 'ERROR');
      assert.match(s['fault']?.message as string, /No valid host was found/);
      await p.assertNoAllocation(id);
      assert.deepEqual(await p.allUsages(), before);
    } finally {
      for (const host of CELL1) await p.updateService(host, { status: 'enabled' });
    }
  });

  it('a spawn failure on the first choice reschedules to the alternate and leaves no allocation on the failed host', async () => {
    const before = await p.allUsages();
    t.cloud.faults.arm('virt.spawn', { times: 1 });
    const { id, host } = await p.boot(t.member, { name: 'second-try', imageRef: image, flavorRef: '4', zone: 'cell1' });
    assert.deepEqual(t.cloud.faults.list(), [], 'the armed failure was used: the first attempt failed');
    assert.ok(CELL1.includes(host));
    const failedHost = CELL1.find((h) => h !== host) as string;

    await p.assertAllocatedOn(id, host, LARGE);
    assert.deepEqual(await p.usages(failedHost), before[failedHost], `the failed host ${failedHost} holds nothing for it`);
    assert.deepEqual(await p.usages(host), plus(before[host] as Resources, LARGE));
    assert.ok(!(await p.consumersOn(failedHost)).includes(id));

    // The hypervisor view agrees: the failed host runs nothing.
    const hv = await waitFor('the failed host to report no guest', async () => {
      const res = await t.admin.get(`${C}/os-hypervisors/detail`);
      const h = (res.body.hypervisors as Record<string, any>[]).find((x) => x['hypervisor_hostname'] === failedHost);
      return h !== undefined && h['running_vms'] === 0 ? h : undefined;
    });
    assert.equal(hv['vcpus_used'], 0);
    const server = await waitForSettled(t.admin, id);
    assert.equal(server['fault'], undefined, 'a rescheduled build that succeeded shows no fault');
  });

  it('when every alternate fails the server goes to ERROR with "Exceeded maximum number of retries" and no allocation', async () => {
    const before = await p.allUsages();
    t.cloud.faults.arm('virt.spawn', { times: 3 });
    const id = await p.create(t.member, { name: 'never', imageRef: image, zone: 'cell1' });
    const s = await waitForSettled(t.admin, id);
    assert.equal(s['status'], 'ERROR');
    assert.equal(s['fault']?.code, 500);
    assert.match(s['fault']?.message as string, /Exceeded maximum number of retries/);
    assert.equal(s['OS-EXT-SRV-ATTR:host'], null);
    await p.assertNoAllocation(id);
    assert.deepEqual(await p.allUsages(), before);
  });

  it('anti-affinity still holds after a member was rescheduled to its alternate', async () => {
    const group = await p.group('anti-affinity', 'apart-rescheduled');
    t.cloud.faults.arm('virt.spawn', { times: 1 });
    const a = await p.boot(t.member, { name: 'resched-a', imageRef: image, zone: 'cell1', group: group });
    assert.deepEqual(t.cloud.faults.list(), [], 'the first member was rescheduled');
    // Booted right away, within the scheduler's host-view refresh period.
    const b = await p.create(t.member, { name: 'resched-b', imageRef: image, zone: 'cell1', group: group });
    const s = await waitForSettled(t.admin, b);
    assert.equal(s['status'], 'ACTIVE', JSON.stringify(s['fault']));
    assert.notEqual(s['OS-EXT-SRV-ATTR:host'], a.host, `members of an anti-affinity group must not share ${a.host}`);
  });

  it('anti-affinity holds when a member of a multi-create request is rescheduled', async () => {
    const group = await p.group('anti-affinity', 'apart-multi-rescheduled');
    t.cloud.faults.arm('virt.spawn', { times: 1 });
    const ids = await p.createMany(t.member, { name: 'resched-pair', imageRef: image, zone: 'cell1', group: group }, { max: 2 });
    const settled = await Promise.all(ids.map((id) => waitForSettled(t.admin, id)));
    const active = settled.filter((s) => s['status'] === 'ACTIVE');
    const hosts = active.map((s) => s['OS-EXT-SRV-ATTR:host'] as string);
    assert.equal(new Set(hosts).size, hosts.length, `ACTIVE members share no host: ${hosts.join(', ')}`);
    for (const s of settled) {
      if (s['status'] === 'ACTIVE') await p.assertAllocatedOn(s['id'] as string, s['OS-EXT-SRV-ATTR:host'] as string, TINY);
      else await p.assertNoAllocation(s['id'] as string);
    }
  });

  it('multi-create is all or nothing at min_count: a request whose min_count cannot fit puts every server in ERROR with no allocation', async () => {
    const before = await p.allUsages();
    // One m1.xlarge fits per host (160 of 200 GB; 16384 of 23808 MB): three do not fit in cell1.
    const ids = await p.createMany(t.member, { name: 'too-many', imageRef: image, flavorRef: '5', zone: 'cell1' }, { min: 3, max: 3 });
    for (const id of ids) {
      const s = await waitForSettled(t.admin, id);
      assert.equal(s['status'], 'ERROR', `${id} is ERROR`);
      assert.match(s['fault']?.message as string, /No valid host was found/);
      await p.assertNoAllocation(id);
    }
    assert.deepEqual(await p.allUsages(), before, 'the claims made before the request failed were released');
    await p.deleteCreated();

    const exact = await p.createMany(t.member, { name: 'too-many-strict', imageRef: image, flavorRef: '5', zone: 'cell1' }, { min: 3, max: 3 });
    for (const id of exact) {
      assert.equal((await waitForSettled(t.admin, id))['status'], 'ERROR');
      await p.assertNoAllocation(id);
    }
    assert.deepEqual(await p.allUsages(), before);
    await p.deleteCreated();

    // Two fit, one per host.
    const two = await p.createMany(t.member, { name: 'just-fits', imageRef: image, flavorRef: '5', zone: 'cell1' }, { max: 2 });
    const hosts = await Promise.all(two.map((id) => p.hostOf(id)));
    assert.deepEqual([...hosts].sort(), CELL1);
    for (const [i, id] of two.entries()) await p.assertAllocatedOn(id, hosts[i] as string, XLARGE);
  });

  it('multi-create is all or nothing at min_count: what fits is built and the rest withdrawn', async () => {
    await p.deleteCreated();
    const before = await p.allUsages();
    // Room for two m1.xlarge in cell1; min_count 1, max_count 3.
    const res = await postBoot(t.member, { name: 'at-least-one', imageRef: image, flavorRef: '5', zone: 'cell1' }, { min_count: 1, max_count: 3, return_reservation_id: true });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const reservation = res.body.reservation_id as string;
    const settled = await waitFor('the reservation to settle on two ACTIVE servers', async () => {
      const listed = await t.admin.get(`${C}/servers/detail?all_tenants=1&reservation_id=${reservation}`);
      const servers = listed.body.servers as Record<string, any>[];
      return servers.length === 2 && servers.every((s) => s['status'] === 'ACTIVE') ? servers : undefined;
    });
    const hosts = settled.map((s) => s['OS-EXT-SRV-ATTR:host'] as string).sort();
    assert.deepEqual(hosts, CELL1);
    for (const s of settled) await p.assertAllocatedOn(s['id'] as string, s['OS-EXT-SRV-ATTR:host'] as string, XLARGE);
    for (const s of settled) assert.equal((await t.admin.delete(`${C}/servers/${s['id'] as string}`)).status, 204);
    for (const s of settled) await waitForGone(t.admin, s['id'] as string);
    assert.deepEqual(await p.allUsages(), before);
  });

  it('leaves no allocation behind once every server is gone', async () => {
    await p.deleteCreated();
    assert.deepEqual(await p.allUsages(), baseline);
    for (const host of ALL_HOSTS) assert.deepEqual(await p.consumersOn(host), [], `no consumer left on ${host}`);
  });
});

describe('scheduling with [scheduler] max_attempts = 1', () => {
  let t: TestCloud;
  let p: Probe;
  let image: string;

  before(async () => {
    t = await startTestCloud(`[scheduler]\nmax_attempts = 1\n${UNLIMITED_INSTANCE_QUOTAS}`);
    p = new Probe(t);
    image = await imageId(t.member);
    await p.loadProviders();
  });
  afterEach(async () => {
    t.cloud.faults.disarm();
    await p.deleteCreated();
  });
  after(async () => {
    await t?.stop();
  });

  it('a spawn failure is not rescheduled: the server goes to ERROR with a fault and no allocation anywhere', async () => {
    const before = await p.allUsages();
    t.cloud.faults.arm('virt.spawn', { times: 1 });
    const id = await p.create(t.member, { name: 'one-shot', imageRef: image, zone: 'cell1' });
    const s = await waitForSettled(t.admin, id);
    assert.equal(s['status'], 'ERROR');
    assert.equal(s['fault']?.code, 500);
    assert.ok((s['fault']?.message as string).length > 0);
    assert.equal(s['OS-EXT-SRV-ATTR:host'], null);
    await p.assertNoAllocation(id);
    assert.deepEqual(await p.allUsages(), before);
    for (const host of ALL_HOSTS) assert.deepEqual(await p.consumersOn(host), []);

    // The next boot works.
    const ok = await p.boot(t.member, { name: 'after-one-shot', imageRef: image, zone: 'cell1' });
    await p.assertAllocatedOn(ok.id, ok.host, TINY);
  });
});
