import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp } from '../../api/app.js';
import { ManualClock } from '../../common/clock.js';
import { RandomIdGenerator } from '../../common/ids.js';
import { silentLogger } from '../../common/logger.js';
import { parseConfigText } from '../../config/index.js';
import { PolicyEngine, allRuleDefaults } from '../../policy/index.js';
import { placementRuleDefaults } from '../placement-policy-rules.js';
import { PlacementService } from '../placement-service.js';

const ids = new RandomIdGenerator();
const admin = { authenticate: () => Promise.resolve({ userId: 'admin', projectId: 'admin-project', roles: ['admin'], isAdmin: true }) };

interface Provider {
  uuid: string;
  name: string;
  generation: number;
  links: { rel: string; href: string }[];
  parent_provider_uuid?: string | null;
  root_provider_uuid?: string;
}

describe('placement routes: providers, inventories, aggregates, traits, classes', () => {
  let service: PlacementService;
  let app: FastifyInstance;

  before(async () => {
    const policy = await PolicyEngine.create({ defaults: [...allRuleDefaults(), ...placementRuleDefaults] });
    service = await PlacementService.create({ config: parseConfigText('', 'test'), clock: new ManualClock(), ids, logger: silentLogger(), policy, databaseUrl: 'sqlite://' });
    app = await buildApp({ logger: silentLogger(), ids, authenticator: admin, modules: [service.module()] });
  });
  after(async () => {
    await app.close();
    await service.close();
  });

  const call = (method: InjectOptions['method'], url: string, payload?: unknown, version = 'latest') =>
    app.inject({ method, url: `/placement${url}`, headers: { 'x-auth-token': 'admin', 'openstack-api-version': `placement ${version}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
  const errorCode = (res: { json: <T>() => T }) => res.json<{ errors: { code: string }[] }>().errors[0]?.code;
  const createProvider = async (name: string, extra: object = {}): Promise<Provider> => {
    const res = await call('POST', '/resource_providers', { name, ...extra });
    assert.equal(res.statusCode, 200, res.body);
    return res.json<Provider>();
  };

  it('creates, shows, lists, renames and deletes providers', async () => {
    const old = await call('POST', '/resource_providers', { name: 'legacy' }, '1.19');
    assert.equal(old.statusCode, 201);
    assert.equal(old.body, '');
    assert.match(String(old.headers['location']), /^\/placement\/resource_providers\/[0-9a-f-]{36}$/);

    const uuid = ids.uuid();
    const rp = await createProvider('cn1', { uuid: uuid.replace(/-/g, '').toUpperCase() });
    assert.equal(rp.uuid, uuid, 'uuids are stored dashed and lower-case');
    assert.equal(rp.generation, 0);
    assert.equal(rp.root_provider_uuid, uuid);
    assert.equal(rp.parent_provider_uuid, null);
    assert.deepEqual(rp.links.map((l) => l.rel), ['self', 'inventories', 'usages', 'aggregates', 'traits', 'allocations']);
    assert.equal(rp.links[0]?.href, `/placement/resource_providers/${uuid}`);

    const shown = await call('GET', `/resource_providers/${uuid}`, undefined, '1.0');
    assert.deepEqual(Object.keys(shown.json()).sort(), ['generation', 'links', 'name', 'uuid']);
    assert.equal((await call('POST', '/resource_providers', { name: 'cn1' })).statusCode, 409);
    assert.equal(errorCode(await call('POST', '/resource_providers', { name: 'other', uuid })), 'placement.duplicate_name');

    const child = await createProvider('cn1-numa0', { parent_provider_uuid: uuid });
    assert.equal(child.root_provider_uuid, uuid);
    assert.equal((await call('POST', '/resource_providers', { name: 'orphan', parent_provider_uuid: ids.uuid() })).statusCode, 400);

    const byName = (await call('GET', '/resource_providers?name=cn1')).json<{ resource_providers: Provider[] }>();
    assert.deepEqual(byName.resource_providers.map((p) => p.uuid), [uuid]);
    const tree = (await call('GET', `/resource_providers?in_tree=${child.uuid}`)).json<{ resource_providers: Provider[] }>();
    assert.deepEqual(tree.resource_providers.map((p) => p.name).sort(), ['cn1', 'cn1-numa0']);
    assert.equal((await call('GET', '/resource_providers?in_tree=nope')).statusCode, 400);
    assert.equal((await call('GET', '/resource_providers?in_tree=x', undefined, '1.13')).statusCode, 400, 'in_tree is 1.14+');
    assert.equal((await call('GET', '/resource_providers?colour=red')).statusCode, 400);

    const renamed = await call('PUT', `/resource_providers/${uuid}`, { name: 'cn1-renamed' });
    assert.equal(renamed.statusCode, 200);
    assert.equal(renamed.json<Provider>().name, 'cn1-renamed');
    assert.equal((await call('GET', '/resource_providers?name=cn1-renamed')).json<{ resource_providers: Provider[] }>().resource_providers.length, 1);
    assert.equal((await call('PUT', `/resource_providers/${uuid}`, {})).statusCode, 400);
    assert.equal((await call('PUT', `/resource_providers/${child.uuid}`, { name: 'numa', parent_provider_uuid: null }, '1.36')).statusCode, 400, 'un-parenting needs 1.37');
    assert.equal((await call('PUT', `/resource_providers/${uuid}`, { name: 'loop', parent_provider_uuid: child.uuid })).statusCode, 400);

    const parentDelete = await call('DELETE', `/resource_providers/${uuid}`);
    assert.equal(parentDelete.statusCode, 409);
    assert.equal(errorCode(parentDelete), 'placement.resource_provider.cannot_delete_parent');
    assert.equal((await call('DELETE', `/resource_providers/${child.uuid}`)).statusCode, 204);
    assert.equal((await call('DELETE', `/resource_providers/${uuid}`)).statusCode, 204);
    assert.equal((await call('GET', `/resource_providers/${uuid}`)).statusCode, 404);
    assert.equal((await call('DELETE', `/resource_providers/${uuid}`)).statusCode, 404);
  });

  it('manages inventories with generations', async () => {
    const rp = await createProvider('cn-inv');
    const base = `/resource_providers/${rp.uuid}/inventories`;
    const put = await call('PUT', base, { resource_provider_generation: 0, inventories: { VCPU: { total: 8, allocation_ratio: 16 }, MEMORY_MB: { total: 1024, reserved: 128 } } });
    assert.equal(put.statusCode, 200, put.body);
    assert.deepEqual(put.json(), {
      resource_provider_generation: 1,
      inventories: {
        VCPU: { total: 8, reserved: 0, min_unit: 1, max_unit: 8, step_size: 1, allocation_ratio: 16 },
        MEMORY_MB: { total: 1024, reserved: 128, min_unit: 1, max_unit: 1024, step_size: 1, allocation_ratio: 1 },
      },
    });
    const stale = await call('PUT', base, { resource_provider_generation: 0, inventories: {} });
    assert.equal(stale.statusCode, 409);
    assert.equal(errorCode(stale), 'placement.concurrent_update');
    assert.equal((await call('PUT', base, { inventories: {} })).statusCode, 400, 'the generation is required');
    assert.equal((await call('PUT', base, { resource_provider_generation: 1, inventories: { VCPU: { total: 0 } } })).statusCode, 400);
    assert.equal((await call('PUT', base, { resource_provider_generation: 1, inventories: { VCPU: { total: 4, reserved: 5 } } })).statusCode, 400);
    assert.equal((await call('PUT', base, { resource_provider_generation: 1, inventories: { NO_SUCH_CLASS: { total: 4 } } })).statusCode, 400);
    assert.equal((await call('PUT', base, { resource_provider_generation: 1, inventories: { vcpu: { total: 4 } } })).statusCode, 400);

    const posted = await call('POST', base, { resource_class: 'DISK_GB', total: 100, step_size: 10 });
    assert.equal(posted.statusCode, 201);
    assert.equal(posted.headers['location'], `/placement${base}/DISK_GB`);
    assert.deepEqual(posted.json(), { total: 100, reserved: 0, min_unit: 1, max_unit: 100, step_size: 10, allocation_ratio: 1, resource_provider_generation: 2 });
    assert.equal(errorCode(await call('POST', base, { resource_class: 'DISK_GB', total: 50 })), 'placement.concurrent_update');

    const one = await call('PUT', `${base}/DISK_GB`, { resource_provider_generation: 2, total: 200 });
    assert.equal(one.statusCode, 200);
    assert.equal(one.json<{ total: number }>().total, 200);
    assert.equal((await call('PUT', `${base}/PCPU`, { resource_provider_generation: 3, total: 2 })).statusCode, 400);
    assert.equal((await call('GET', `${base}/DISK_GB`)).json<{ resource_provider_generation: number }>().resource_provider_generation, 3);
    assert.equal((await call('GET', `${base}/PCPU`)).statusCode, 404);

    const consumer = ids.uuid();
    const alloc = await call('PUT', `/allocations/${consumer}`, { allocations: { [rp.uuid]: { resources: { DISK_GB: 20 } } }, project_id: 'p', user_id: 'u', consumer_generation: null, consumer_type: 'INSTANCE' });
    assert.equal(alloc.statusCode, 204, alloc.body);
    const inUse = await call('DELETE', `${base}/DISK_GB`);
    assert.equal(inUse.statusCode, 409);
    assert.equal(errorCode(inUse), 'placement.inventory.inuse');
    const shrink = await call('PUT', `${base}/DISK_GB`, { resource_provider_generation: 4, total: 10 });
    assert.equal(shrink.statusCode, 409);
    assert.equal(errorCode(shrink), 'placement.inventory.inuse');
    assert.equal((await call('DELETE', base)).statusCode, 409);
    assert.equal((await call('DELETE', `${base}/VCPU`)).statusCode, 204);
    assert.equal((await call('DELETE', `${base}/VCPU`)).statusCode, 404);
    assert.equal((await call('DELETE', `/allocations/${consumer}`)).statusCode, 204);
    assert.equal((await call('DELETE', base)).statusCode, 204);
    assert.deepEqual((await call('GET', base)).json<{ inventories: object }>().inventories, {});
    assert.equal((await call('DELETE', base, undefined, '1.4')).statusCode, 404, 'DELETE of all inventories is 1.5+');
  });

  it('sets aggregates in the 1.1 and 1.19 shapes', async () => {
    const rp = await createProvider('cn-agg');
    const url = `/resource_providers/${rp.uuid}/aggregates`;
    const [a, b] = [ids.uuid(), ids.uuid()];
    const old = await call('PUT', url, [a], '1.18');
    assert.equal(old.statusCode, 200, old.body);
    assert.deepEqual(old.json(), { aggregates: [a] });
    const stale = await call('PUT', url, { aggregates: [a, b], resource_provider_generation: 0 });
    assert.equal(errorCode(stale), 'placement.concurrent_update');
    const now = await call('PUT', url, { aggregates: [a, b], resource_provider_generation: 1 });
    assert.deepEqual(now.json(), { aggregates: [a, b], resource_provider_generation: 2 });
    assert.equal((await call('PUT', url, { aggregates: ['not-a-uuid'], resource_provider_generation: 2 })).statusCode, 400);
    assert.equal((await call('PUT', url, { aggregates: [a, a], resource_provider_generation: 2 })).statusCode, 400);
    const members = (await call('GET', `/resource_providers?member_of=in:${b},${ids.uuid()}`)).json<{ resource_providers: Provider[] }>();
    assert.deepEqual(members.resource_providers.map((p) => p.name), ['cn-agg']);
    assert.equal((await call('GET', `/resource_providers?member_of=${a},${b}`)).statusCode, 400, 'several uuids need in:');
    assert.equal((await call('GET', `/resource_providers?member_of=!${a}`)).json<{ resource_providers: Provider[] }>().resource_providers.some((p) => p.name === 'cn-agg'), false);
  });

  it('manages traits, custom traits and resource classes', async () => {
    const rp = await createProvider('cn-traits');
    const url = `/resource_providers/${rp.uuid}/traits`;
    assert.equal((await call('PUT', '/traits/CUSTOM_GOLD')).statusCode, 201);
    const again = await call('PUT', '/traits/CUSTOM_GOLD');
    assert.equal(again.statusCode, 204);
    assert.equal(again.headers['location'], '/placement/traits/CUSTOM_GOLD');
    assert.equal((await call('PUT', '/traits/GOLD')).statusCode, 400);
    assert.equal((await call('GET', '/traits/CUSTOM_GOLD')).statusCode, 204);
    assert.equal((await call('GET', '/traits/CUSTOM_SILVER')).statusCode, 404);

    const set = await call('PUT', url, { traits: ['CUSTOM_GOLD', 'HW_CPU_X86_AVX2'], resource_provider_generation: 0 });
    assert.deepEqual(set.json(), { traits: ['CUSTOM_GOLD', 'HW_CPU_X86_AVX2'], resource_provider_generation: 1 });
    assert.equal((await call('PUT', url, { traits: ['CUSTOM_NOPE'], resource_provider_generation: 1 })).statusCode, 400);
    assert.equal(errorCode(await call('PUT', url, { traits: [], resource_provider_generation: 0 })), 'placement.concurrent_update');
    assert.deepEqual((await call('GET', '/traits?name=startswith:CUSTOM_')).json(), { traits: ['CUSTOM_GOLD'] });
    assert.deepEqual((await call('GET', '/traits?name=in:CUSTOM_GOLD,COMPUTE_NODE,CUSTOM_X')).json(), { traits: ['COMPUTE_NODE', 'CUSTOM_GOLD'] });
    assert.deepEqual((await call('GET', '/traits?associated=true')).json(), { traits: ['CUSTOM_GOLD', 'HW_CPU_X86_AVX2'] });
    assert.equal((await call('GET', '/traits?name=CUSTOM_GOLD')).statusCode, 400);
    assert.equal((await call('GET', '/traits?associated=maybe')).statusCode, 400);
    const required = (await call('GET', '/resource_providers?required=CUSTOM_GOLD,!COMPUTE_STATUS_DISABLED')).json<{ resource_providers: Provider[] }>();
    assert.deepEqual(required.resource_providers.map((p) => p.name), ['cn-traits']);
    assert.equal((await call('GET', '/resource_providers?required=CUSTOM_NOPE')).statusCode, 400);
    assert.equal((await call('DELETE', '/traits/CUSTOM_GOLD')).statusCode, 409, 'in use');
    assert.equal((await call('DELETE', '/traits/COMPUTE_NODE')).statusCode, 400, 'standard');
    assert.equal((await call('DELETE', url)).statusCode, 204);
    assert.deepEqual((await call('GET', url)).json(), { traits: [], resource_provider_generation: 2 });
    assert.equal((await call('DELETE', '/traits/CUSTOM_GOLD')).statusCode, 204);
    assert.equal((await call('DELETE', '/traits/CUSTOM_GOLD')).statusCode, 404);

    const classes = (await call('GET', '/resource_classes')).json<{ resource_classes: { name: string; links: object[] }[] }>().resource_classes;
    assert.deepEqual(classes.slice(0, 3).map((c) => c.name), ['VCPU', 'MEMORY_MB', 'DISK_GB']);
    assert.deepEqual(classes[0]?.links, [{ rel: 'self', href: '/placement/resource_classes/VCPU' }]);
    const created = await call('POST', '/resource_classes', { name: 'CUSTOM_FPGA_X' });
    assert.equal(created.statusCode, 201);
    assert.equal(created.headers['location'], '/placement/resource_classes/CUSTOM_FPGA_X');
    assert.equal(errorCode(await call('POST', '/resource_classes', { name: 'CUSTOM_FPGA_X' })), 'placement.duplicate_name');
    assert.equal((await call('POST', '/resource_classes', { name: 'FPGA_X' })).statusCode, 400);
    assert.equal((await call('PUT', '/resource_classes/CUSTOM_FPGA_X')).statusCode, 204);
    assert.equal((await call('PUT', '/resource_classes/CUSTOM_FPGA_Y')).statusCode, 201);
    assert.equal((await call('PUT', '/resource_classes/VCPU')).statusCode, 400);
    assert.deepEqual((await call('GET', '/resource_classes/CUSTOM_FPGA_Y')).json(), { name: 'CUSTOM_FPGA_Y', links: [{ rel: 'self', href: '/placement/resource_classes/CUSTOM_FPGA_Y' }] });
    const renamed = await call('PUT', '/resource_classes/CUSTOM_FPGA_Y', { name: 'CUSTOM_FPGA_Z' }, '1.6');
    assert.equal(renamed.statusCode, 200);
    assert.equal((await call('GET', '/resource_classes/CUSTOM_FPGA_Y')).statusCode, 404);
    const inv = await call('PUT', `/resource_providers/${rp.uuid}/inventories`, { resource_provider_generation: 2, inventories: { CUSTOM_FPGA_X: { total: 2 } } });
    assert.equal(inv.statusCode, 200, inv.body);
    assert.equal((await call('DELETE', '/resource_classes/CUSTOM_FPGA_X')).statusCode, 409);
    assert.equal((await call('DELETE', '/resource_classes/CUSTOM_FPGA_Z')).statusCode, 204);
    assert.equal((await call('DELETE', '/resource_classes/VCPU')).statusCode, 400);
  });

  it('shows provider usages from the read model', async () => {
    const rp = await createProvider('cn-usage');
    await call('PUT', `/resource_providers/${rp.uuid}/inventories`, { resource_provider_generation: 0, inventories: { VCPU: { total: 4 }, MEMORY_MB: { total: 512 } } });
    const put = await call('PUT', `/allocations/${ids.uuid()}`, { allocations: { [rp.uuid]: { resources: { VCPU: 2 } } }, project_id: 'p', user_id: 'u', consumer_generation: null, consumer_type: 'INSTANCE' });
    assert.equal(put.statusCode, 204, put.body);
    assert.deepEqual((await call('GET', `/resource_providers/${rp.uuid}/usages`)).json(), { usages: { VCPU: 2, MEMORY_MB: 0 }, resource_provider_generation: 2 });
    const withRoom = (await call('GET', '/resource_providers?resources=VCPU:2,MEMORY_MB:512')).json<{ resource_providers: Provider[] }>();
    assert.ok(withRoom.resource_providers.some((p) => p.name === 'cn-usage'));
    const tooMuch = (await call('GET', '/resource_providers?resources=VCPU:3')).json<{ resource_providers: Provider[] }>();
    assert.equal(tooMuch.resource_providers.some((p) => p.name === 'cn-usage'), false);
    assert.equal((await call('GET', '/resource_providers?resources=VCPU:0')).statusCode, 400);
    assert.equal((await call('GET', '/resource_providers?resources=NOPE:1')).statusCode, 400);
  });
});
