/**
 * The placement API of a whole running cloud, over HTTP with tokens from its identity API: the
 * version document, the compute nodes as resource providers with the inventories their resource
 * trackers report, allocation candidates, policy, generation conflicts, capacity under
 * concurrent claims, and atomic moves of allocations between consumers.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestCloud, waitFor, type ApiClient, type HttpResult, type TestCloud } from '../fixtures/test-cloud.js';
import { ALL_HOSTS, C, CELL_HOSTS, imageId, waitForGone, waitForSettled } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** What the fake driver and the default [DEFAULT] options make every compute node report. */
const NODE_INVENTORY = {
  VCPU: { total: 8, reserved: 0, min_unit: 1, max_unit: 8, step_size: 1, allocation_ratio: 16 },
  MEMORY_MB: { total: 16384, reserved: 512, min_unit: 1, max_unit: 16384, step_size: 1, allocation_ratio: 1.5 },
  DISK_GB: { total: 200, reserved: 0, min_unit: 1, max_unit: 200, step_size: 1, allocation_ratio: 1 },
};
/** (total - reserved) × allocation_ratio. */
const NODE_CAPACITY = { VCPU: 128, MEMORY_MB: 23808, DISK_GB: 200 };
const SMALL = 'VCPU:1,MEMORY_MB:2048,DISK_GB:20';

interface PlacementError {
  errors: { status: number; title: string; detail: string; code: string; request_id?: string }[];
}

describe('the placement API of a running cloud', () => {
  let t: TestCloud;
  /** Host name → provider uuid. */
  const providers = new Map<string, string>();

  function call(client: ApiClient, method: string, path: string, body?: unknown, version = '1.39'): Promise<HttpResult> {
    return client.withMicroversion(undefined).request(method, `/placement${path}`, body, { 'OpenStack-API-Version': `placement ${version}` });
  }
  const get = (path: string, version?: string) => call(t.admin, 'GET', path, undefined, version);

  function assertPlacementError(res: HttpResult, status: number, code: string): PlacementError['errors'][number] {
    assert.equal(res.status, status, JSON.stringify(res.body));
    const errors = (res.body as PlacementError).errors;
    assert.ok(Array.isArray(errors) && errors.length === 1, JSON.stringify(res.body));
    const e = errors[0] as PlacementError['errors'][number];
    assert.equal(e.status, status);
    assert.equal(e.code, code);
    assert.equal(typeof e.title, 'string');
    assert.equal(typeof e.detail, 'string');
    return e;
  }

  function provider(host: string): string {
    const uuid = providers.get(host);
    assert.ok(uuid !== undefined, `provider of ${host}`);
    return uuid;
  }

  /** A provider of the test's own (not a compute node), with VCPU inventory. */
  async function ownProvider(name: string, vcpus: number): Promise<string> {
    const created = await call(t.admin, 'POST', '/resource_providers', { name });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const uuid = created.body.uuid as string;
    const inv = await call(t.admin, 'PUT', `/resource_providers/${uuid}/inventories`, { resource_provider_generation: created.body.generation, inventories: { VCPU: { total: vcpus } } });
    assert.equal(inv.status, 200, JSON.stringify(inv.body));
    return uuid;
  }

  const consumerBody = (allocations: Record<string, Record<string, number>>, generation: number | null) => ({
    allocations: Object.fromEntries(Object.entries(allocations).map(([rp, resources]) => [rp, { resources }])),
    project_id: randomUUID(),
    user_id: randomUUID(),
    consumer_generation: generation,
    consumer_type: 'INSTANCE',
  });

  before(async () => {
    // The periodic resource report (which corrects drift in placement) runs every second here.
    t = await startTestCloud('[DEFAULT]\nupdate_resources_interval = 1');
  });
  after(async () => {
    await t?.stop();
  });

  it('serves its version document without a token, and is in the catalog as placement', async () => {
    for (const path of ['/placement', '/placement/']) {
      const res = await fetch(`${t.url}${path}`);
      assert.equal(res.status, 200, path);
      assert.deepEqual(await res.json(), { versions: [{ id: 'v1.0', max_version: '1.39', min_version: '1.0', status: 'CURRENT', links: [{ rel: 'self', href: '' }] }] });
      assert.equal(res.headers.get('openstack-api-version'), 'placement 1.0');
    }
    const login = await fetch(`${t.url}/identity/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'admin', domain: { name: 'Default' }, password: 'admin-secret' } } }, scope: { project: { name: 'admin', domain: { name: 'Default' } } } } }),
    });
    const catalog = ((await login.json()) as any).token.catalog as { type: string; endpoints: { interface: string; url: string }[] }[];
    const entry = catalog.find((s) => s.type === 'placement');
    assert.ok(entry, 'placement is in the catalog');
    assert.ok(entry.endpoints.some((e) => e.interface === 'public' && e.url.endsWith('/placement')), JSON.stringify(entry.endpoints));
    // Negotiation over HTTP: the requested version is echoed, latest is the maximum.
    const latest = await call(t.admin, 'GET', '/resource_providers', undefined, 'latest');
    assert.equal(latest.headers.get('openstack-api-version'), 'placement 1.39');
    assertPlacementError(await call(t.admin, 'GET', '/resource_providers', undefined, '1.40'), 406, 'placement.undefined_code');
  });

  it('lists the four compute nodes as root providers, named after their hypervisors, with the compute node uuids', async () => {
    const res = await get('/resource_providers');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const rps = res.body.resource_providers as Record<string, any>[];
    assert.deepEqual(rps.map((p) => p['name']).sort(), [...ALL_HOSTS].sort());
    for (const p of rps) {
      assert.match(p['uuid'], UUID);
      assert.equal(p['parent_provider_uuid'], null);
      assert.equal(p['root_provider_uuid'], p['uuid']);
      assert.ok(p['generation'] >= 1);
      providers.set(p['name'] as string, p['uuid'] as string);
    }
    for (const host of ALL_HOSTS) {
      const byName = await get(`/resource_providers?name=${host}`);
      assert.deepEqual((byName.body.resource_providers as { uuid: string }[]).map((p) => p.uuid), [provider(host)]);
    }
    // As in Nova, a compute node's uuid is its provider's uuid.
    const hypervisors = await t.admin.withMicroversion('2.53').get(`${C}/os-hypervisors`);
    assert.equal(hypervisors.status, 200);
    for (const h of hypervisors.body.hypervisors as Record<string, any>[]) assert.equal(h['id'], provider(h['hypervisor_hostname'] as string));
  });

  it('shows each node\'s inventory as its resource tracker reports it: 8 vCPUs, 16384 MB (512 reserved), 200 GB, ratios 16/1.5/1.0', async () => {
    for (const host of ALL_HOSTS) {
      const res = await get(`/resource_providers/${provider(host)}/inventories`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body.inventories, NODE_INVENTORY, host);
      assert.equal(typeof res.body.resource_provider_generation, 'number');
      const usages = await get(`/resource_providers/${provider(host)}/usages`);
      assert.deepEqual(usages.body.usages, { VCPU: 0, MEMORY_MB: 0, DISK_GB: 0 });
    }
  });

  it('puts the nodes of one cell in one aggregate, and each cell in its own', async () => {
    const aggregatesOf = async (host: string) => {
      const res = await get(`/resource_providers/${provider(host)}/aggregates`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.aggregates as string[];
    };
    const [c1a, c1b, c2a, c2b] = await Promise.all(['cell1-compute1', 'cell1-compute2', 'cell2-compute1', 'cell2-compute2'].map(aggregatesOf));
    assert.deepEqual(c1a, c1b);
    assert.deepEqual(c2a, c2b);
    assert.equal(c1a?.length, 1);
    assert.notDeepEqual(c1a, c2a);
    const members = await get(`/resource_providers?member_of=${c1a?.[0]}`);
    assert.deepEqual((members.body.resource_providers as { name: string }[]).map((p) => p.name).sort(), CELL_HOSTS['cell1']);
  });

  it('answers allocation candidates for an m1.small with the four nodes and their capacity', async () => {
    const res = await get(`/allocation_candidates?resources=${SMALL}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const requests = res.body.allocation_requests as { allocations: Record<string, { resources: Record<string, number> }> }[];
    assert.equal(requests.length, 4);
    assert.deepEqual(requests.map((r) => Object.keys(r.allocations)[0]).sort(), [...providers.values()].sort());
    for (const r of requests) assert.deepEqual(Object.values(r.allocations)[0]?.resources, { VCPU: 1, MEMORY_MB: 2048, DISK_GB: 20 });
    const summaries = res.body.provider_summaries as Record<string, { resources: Record<string, { capacity: number; used: number }> }>;
    assert.deepEqual(Object.keys(summaries).sort(), [...providers.values()].sort());
    for (const s of Object.values(summaries)) {
      for (const [rc, capacity] of Object.entries(NODE_CAPACITY)) assert.deepEqual(s.resources[rc], { capacity, used: 0 }, rc);
    }

    const limited = await get(`/allocation_candidates?resources=${SMALL}&limit=2`);
    assert.equal((limited.body.allocation_requests as unknown[]).length, 2);
    const cell1Agg = ((await get(`/resource_providers/${provider('cell1-compute1')}/aggregates`)).body.aggregates as string[])[0];
    const inCell1 = await get(`/allocation_candidates?resources=${SMALL}&member_of=${cell1Agg}`);
    assert.deepEqual(Object.keys(inCell1.body.provider_summaries as object).sort(), CELL_HOSTS['cell1']?.map(provider).sort());

    // Beyond capacity, or above max_unit though under capacity: no candidate.
    for (const resources of ['MEMORY_MB:23809', 'VCPU:9', 'DISK_GB:201']) {
      const none = await get(`/allocation_candidates?resources=${resources}`);
      assert.equal(none.status, 200);
      assert.deepEqual(none.body.allocation_requests, [], resources);
    }
    assertPlacementError(await get('/allocation_candidates?resources=NOT_A_CLASS:1'), 400, 'placement.undefined_code');
  });

  it('is for administrators: a member gets 403, no token 401', async () => {
    const probes: [string, string, unknown?][] = [
      ['GET', '/resource_providers'],
      ['GET', `/resource_providers/${provider('cell1-compute1')}/inventories`],
      ['GET', `/allocation_candidates?resources=${SMALL}`],
      ['GET', `/resource_providers/${provider('cell1-compute1')}/usages`],
      ['POST', '/resource_providers', { name: 'by-a-member' }],
      ['PUT', `/resource_providers/${provider('cell1-compute1')}/inventories`, { resource_provider_generation: 1, inventories: {} }],
    ];
    for (const [method, path, body] of probes) assertPlacementError(await call(t.member, method, path, body), 403, 'placement.policy.forbidden');
    const anonymous = await fetch(`${t.url}/placement/resource_providers`, { headers: { 'OpenStack-API-Version': 'placement 1.39' } });
    assert.equal(anonymous.status, 401);
    assert.equal((await get('/resource_providers?name=by-a-member')).body.resource_providers.length, 0, 'nothing was created');
  });

  it('refuses a write with a stale provider generation (409 placement.concurrent_update) and changes nothing', async () => {
    const uuid = provider('cell2-compute2');
    const current = await get(`/resource_providers/${uuid}/inventories`);
    const generation = current.body.resource_provider_generation as number;
    for (const stale of [generation - 1, generation + 1]) {
      const res = await call(t.admin, 'PUT', `/resource_providers/${uuid}/inventories`, { resource_provider_generation: stale, inventories: { ...NODE_INVENTORY, VCPU: { ...NODE_INVENTORY.VCPU, total: 1 } } });
      assertPlacementError(res, 409, 'placement.concurrent_update');
    }
    const after = await get(`/resource_providers/${uuid}/inventories`);
    assert.deepEqual(after.body, current.body, 'the inventory and the generation are as they were');

    // The same for a provider of the test's own, where the writer then retries with the new generation.
    const own = await ownProvider('stale-writer', 4);
    const shown = await get(`/resource_providers/${own}`);
    const gen = shown.body.generation as number;
    assertPlacementError(await call(t.admin, 'PUT', `/resource_providers/${own}/inventories`, { resource_provider_generation: gen - 1, inventories: { VCPU: { total: 8 } } }), 409, 'placement.concurrent_update');
    const retried = await call(t.admin, 'PUT', `/resource_providers/${own}/inventories`, { resource_provider_generation: gen, inventories: { VCPU: { total: 8 } } });
    assert.equal(retried.status, 200, JSON.stringify(retried.body));
    assert.equal(retried.body.resource_provider_generation, gen + 1);
    assertPlacementError(await call(t.admin, 'PUT', `/resource_providers/${own}/aggregates`, { resource_provider_generation: gen, aggregates: [randomUUID()] }), 409, 'placement.concurrent_update');
    assert.equal((await call(t.admin, 'DELETE', `/resource_providers/${own}`)).status, 204);
  });

  it('never exceeds capacity when many claims race for the last of it', async () => {
    const rp = await ownProvider('racy', 10);
    const consumers = Array.from({ length: 25 }, () => randomUUID());
    const results = await Promise.all(consumers.map((c) => call(t.admin, 'PUT', `/allocations/${c}`, consumerBody({ [rp]: { VCPU: 1 } }, null))));
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 204).length, 10, `exactly the capacity is granted: ${statuses.join(',')}`);
    assert.equal(statuses.filter((s) => s === 409).length, 15);
    const usages = await get(`/resource_providers/${rp}/usages`);
    assert.deepEqual(usages.body.usages, { VCPU: 10 });
    const held = await get(`/resource_providers/${rp}/allocations`);
    assert.equal(Object.keys(held.body.allocations as object).length, 10);
    // A provider with allocations cannot go; once they are released it can.
    assertPlacementError(await call(t.admin, 'DELETE', `/resource_providers/${rp}`), 409, 'placement.resource_provider.inuse');
    for (const [i, c] of consumers.entries()) if (statuses[i] === 204) assert.equal((await call(t.admin, 'DELETE', `/allocations/${c}`)).status, 204);
    assert.deepEqual((await get(`/resource_providers/${rp}/usages`)).body.usages, { VCPU: 0 });
    assert.equal((await call(t.admin, 'DELETE', `/resource_providers/${rp}`)).status, 204);
  });

  it('moves an allocation between consumers atomically with POST /allocations', async () => {
    const rp = await ownProvider('mover', 4);
    const source = randomUUID();
    const target = randomUUID();
    const first = consumerBody({ [rp]: { VCPU: 3 } }, null);
    assert.equal((await call(t.admin, 'PUT', `/allocations/${source}`, first)).status, 204);
    const sourceGen = (await get(`/allocations/${source}`)).body.consumer_generation as number;

    // Too much for the target: nothing changes, the source keeps its allocation.
    const refused = await call(t.admin, 'POST', '/allocations', {
      [source]: { ...first, allocations: {}, consumer_generation: sourceGen },
      [target]: { ...consumerBody({ [rp]: { VCPU: 5 } }, null), project_id: first.project_id, user_id: first.user_id },
    });
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    assert.deepEqual((await get(`/allocations/${source}`)).body.allocations[rp].resources, { VCPU: 3 });
    assert.deepEqual((await get(`/allocations/${target}`)).body.allocations, {});

    const moved = await call(t.admin, 'POST', '/allocations', {
      [source]: { ...first, allocations: {}, consumer_generation: sourceGen },
      [target]: { ...consumerBody({ [rp]: { VCPU: 3 } }, null), project_id: first.project_id, user_id: first.user_id },
    });
    assert.equal(moved.status, 204, JSON.stringify(moved.body));
    assert.deepEqual((await get(`/allocations/${source}`)).body.allocations, {});
    assert.deepEqual((await get(`/allocations/${target}`)).body.allocations[rp].resources, { VCPU: 3 });
    assert.deepEqual((await get(`/resource_providers/${rp}/usages`)).body.usages, { VCPU: 3 });
    assert.equal((await call(t.admin, 'DELETE', `/allocations/${target}`)).status, 204);
    assert.equal((await call(t.admin, 'DELETE', `/resource_providers/${rp}`)).status, 204);
  });

  it('shows a server\'s allocation and usages, and the resource tracker puts a drifted inventory back', async () => {
    const host = 'cell1-compute1';
    const uuid = provider(host);
    const current = await get(`/resource_providers/${uuid}/inventories`);
    const drifted = await call(t.admin, 'PUT', `/resource_providers/${uuid}/inventories`, {
      resource_provider_generation: current.body.resource_provider_generation,
      inventories: { ...NODE_INVENTORY, DISK_GB: { ...NODE_INVENTORY.DISK_GB, reserved: 50 } },
    });
    assert.equal(drifted.status, 200, JSON.stringify(drifted.body));
    assert.equal(drifted.body.inventories.DISK_GB.reserved, 50);

    // The compute's periodic resource report puts the configured inventory back.
    const created = await t.admin.withMicroversion('2.74').post(`${C}/servers`, { server: { name: 'tracked', imageRef: await imageId(t.admin), flavorRef: '2', networks: 'none', host } });
    assert.equal(created.status, 202, JSON.stringify(created.body));
    const id = created.body.server.id as string;
    const server = await waitForSettled(t.admin, id);
    assert.equal(server['status'], 'ACTIVE', JSON.stringify(server['fault']));
    assert.equal(server['OS-EXT-SRV-ATTR:host'], host);
    const healed = await waitFor('the tracker to restore the inventory', async () => {
      const res = await get(`/resource_providers/${uuid}/inventories`);
      return res.body.inventories.DISK_GB.reserved === 0 ? res.body : undefined;
    });
    assert.deepEqual(healed.inventories, NODE_INVENTORY);

    const allocation = await get(`/allocations/${id}`);
    assert.deepEqual(Object.keys(allocation.body.allocations), [uuid]);
    assert.deepEqual(allocation.body.allocations[uuid].resources, { VCPU: 1, MEMORY_MB: 2048, DISK_GB: 20 });
    assert.deepEqual((await get(`/resource_providers/${uuid}/usages`)).body.usages, { VCPU: 1, MEMORY_MB: 2048, DISK_GB: 20 });
    const projectUsages = await get(`/usages?project_id=${allocation.body.project_id}`, '1.9');
    assert.deepEqual(projectUsages.body.usages, { VCPU: 1, MEMORY_MB: 2048, DISK_GB: 20 });

    assert.equal((await t.admin.delete(`${C}/servers/${id}`)).status, 204);
    await waitForGone(t.admin, id);
    assert.deepEqual((await get(`/allocations/${id}`)).body.allocations, {});
    assert.deepEqual((await get(`/resource_providers/${uuid}/usages`)).body.usages, { VCPU: 0, MEMORY_MB: 0, DISK_GB: 0 });
  });
});
