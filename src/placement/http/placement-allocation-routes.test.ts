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

interface Candidates {
  allocation_requests: { allocations: Record<string, { resources: Record<string, number> }>; mappings?: object }[];
  provider_summaries: Record<string, { resources: Record<string, { capacity: number; used: number }>; traits?: string[]; root_provider_uuid?: string }>;
}

describe('placement routes: allocations, usages and allocation candidates', () => {
  let service: PlacementService;
  let app: FastifyInstance;
  const hosts: string[] = [];
  const [aggA, aggB] = [ids.uuid(), ids.uuid()];

  before(async () => {
    const policy = await PolicyEngine.create({ defaults: [...allRuleDefaults(), ...placementRuleDefaults] });
    service = await PlacementService.create({ config: parseConfigText('', 'test'), clock: new ManualClock(), ids, logger: silentLogger(), policy, databaseUrl: 'sqlite://' });
    app = await buildApp({ logger: silentLogger(), ids, authenticator: admin, modules: [service.module()] });
    const client = service.client();
    for (let i = 0; i < 4; i += 1) {
      const rp = await client.ensureProvider({ uuid: ids.uuid(), name: `host-${i}` });
      await client.setInventory(rp.uuid, { VCPU: { total: 4 }, MEMORY_MB: { total: 2048 }, DISK_GB: { total: 20 } });
      await client.setAggregates(rp.uuid, [i % 2 === 0 ? aggA : aggB]);
      if (i >= 2) await client.setTraits(rp.uuid, ['HW_CPU_X86_AVX2']);
      hosts.push(rp.uuid);
    }
  });
  after(async () => {
    await app.close();
    await service.close();
  });

  const call = (method: InjectOptions['method'], url: string, payload?: unknown, version = 'latest') =>
    app.inject({ method, url: `/placement${url}`, headers: { 'x-auth-token': 'admin', 'openstack-api-version': `placement ${version}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
  const errorCode = (res: { json: <T>() => T }) => res.json<{ errors: { code: string }[] }>().errors[0]?.code;
  const host = (i: number) => hosts[i] as string;
  const body = (allocations: Record<string, Record<string, number>>, generation: number | null, extra: object = {}) => ({
    allocations: Object.fromEntries(Object.entries(allocations).map(([rp, resources]) => [rp, { resources }])),
    project_id: 'proj',
    user_id: 'user',
    consumer_generation: generation,
    consumer_type: 'INSTANCE',
    ...extra,
  });

  it('writes and reads allocations in each microversion\'s shape', async () => {
    const consumer = ids.uuid();
    const legacy = await call('PUT', `/allocations/${consumer}`, { allocations: [{ resource_provider: { uuid: host(0) }, resources: { VCPU: 1 } }] }, '1.0');
    assert.equal(legacy.statusCode, 204, legacy.body);
    assert.equal((await call('PUT', `/allocations/${consumer}`, { allocations: [{ resource_provider: { uuid: host(0) }, resources: { VCPU: 1 } }] }, '1.8')).statusCode, 400, 'project_id and user_id are required from 1.8');
    const old = await call('GET', `/allocations/${consumer}`, undefined, '1.11');
    assert.deepEqual(Object.keys(old.json()), ['allocations']);

    const current = (await call('GET', `/allocations/${consumer}`)).json<{ consumer_generation: number; project_id: string; consumer_type: string; allocations: Record<string, { generation: number; resources: object }> }>();
    assert.equal(current.consumer_generation, 1);
    assert.equal(current.project_id, '00000000-0000-0000-0000-000000000000');
    assert.equal(current.consumer_type, 'unknown');
    assert.deepEqual(current.allocations[host(0)]?.resources, { VCPU: 1 });

    const dict = await call('PUT', `/allocations/${consumer}`, { allocations: { [host(0)]: { resources: { VCPU: 2 } } }, project_id: 'proj', user_id: 'user' }, '1.12');
    assert.equal(dict.statusCode, 204, dict.body);
    assert.equal((await call('PUT', `/allocations/${consumer}`, body({ [host(0)]: { VCPU: 1 } }, 2), '1.27')).statusCode, 400, 'no consumer_generation before 1.28');
    assert.equal((await call('PUT', `/allocations/${consumer}`, { ...body({ [host(0)]: { VCPU: 1 } }, 2), consumer_type: undefined })).statusCode, 400, 'consumer_type is required from 1.38');
    const stale = await call('PUT', `/allocations/${consumer}`, body({ [host(0)]: { VCPU: 1 } }, 1));
    assert.equal(stale.statusCode, 409);
    assert.equal(errorCode(stale), 'placement.concurrent_update');
    assert.equal(errorCode(await call('PUT', `/allocations/${consumer}`, body({ [host(0)]: { VCPU: 1 } }, null))), 'placement.concurrent_update');
    assert.equal((await call('PUT', `/allocations/${consumer}`, body({ [host(0)]: { VCPU: 1 } }, 2))).statusCode, 204);

    const byProvider = (await call('GET', `/resource_providers/${host(0)}/allocations`)).json<{ allocations: Record<string, { resources: object; consumer_generation: number }> }>();
    assert.deepEqual(byProvider.allocations[consumer], { resources: { VCPU: 1 }, consumer_generation: 3 });

    assert.equal((await call('PUT', '/allocations/not-a-uuid', body({ [host(0)]: { VCPU: 1 } }, null))).statusCode, 400);
    assert.equal((await call('PUT', `/allocations/${ids.uuid()}`, body({ [ids.uuid()]: { VCPU: 1 } }, null))).statusCode, 400, 'unknown provider');
    assert.equal((await call('PUT', `/allocations/${ids.uuid()}`, body({ [host(0)]: { VCPU: 0 } }, null))).statusCode, 400, 'amounts are >= 1');
    const over = await call('PUT', `/allocations/${ids.uuid()}`, body({ [host(0)]: { VCPU: 4 } }, null));
    assert.equal(over.statusCode, 409);
    assert.equal(errorCode(over), 'placement.undefined_code');

    assert.equal((await call('PUT', `/allocations/${consumer}`, body({}, 3))).statusCode, 204, 'an empty dict removes everything');
    assert.deepEqual((await call('GET', `/allocations/${consumer}`)).json(), { allocations: {} });
    assert.equal((await call('DELETE', `/allocations/${consumer}`)).statusCode, 404);
  });

  it('lets only the capacity through when parallel PUTs race, with 409 for the others', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => call('PUT', `/allocations/${ids.uuid()}`, body({ [host(1)]: { VCPU: 1 } }, null))));
    assert.equal(results.filter((r) => r.statusCode === 204).length, 4);
    assert.equal(results.filter((r) => r.statusCode === 409).length, 8);
    assert.equal((await call('GET', `/resource_providers/${host(1)}/usages`)).json<{ usages: { VCPU: number } }>().usages.VCPU, 4);
    for (const [consumer] of Object.entries((await call('GET', `/resource_providers/${host(1)}/allocations`)).json<{ allocations: object }>().allocations)) {
      assert.equal((await call('DELETE', `/allocations/${consumer}`)).statusCode, 204);
    }
  });

  it('moves allocations atomically with POST /allocations', async () => {
    const instance = ids.uuid();
    const migration = ids.uuid();
    assert.equal((await call('PUT', `/allocations/${instance}`, body({ [host(2)]: { VCPU: 2, MEMORY_MB: 512 } }, null))).statusCode, 204);
    const snapshot = async () => [(await call('GET', `/allocations/${instance}`)).json(), (await call('GET', `/allocations/${migration}`)).json(), (await call('GET', `/resource_providers/${host(2)}/usages`)).json<{ usages: object }>().usages];
    const before = await snapshot();

    const failing = await call('POST', '/allocations', {
      [instance]: body({ [host(2)]: { VCPU: 2, MEMORY_MB: 512 }, [host(3)]: { VCPU: 5 } }, 1),
      [migration]: body({ [host(2)]: { VCPU: 2, MEMORY_MB: 512 } }, null, { consumer_type: 'MIGRATION' }),
    });
    assert.equal(failing.statusCode, 409, 'the instance asks for more than host 3 has');
    assert.deepEqual(await snapshot(), before);
    const staleGen = await call('POST', '/allocations', { [instance]: body({}, 5), [migration]: body({ [host(2)]: { VCPU: 2 } }, null, { consumer_type: 'MIGRATION' }) });
    assert.equal(errorCode(staleGen), 'placement.concurrent_update');
    assert.deepEqual(await snapshot(), before);

    const moved = await call('POST', '/allocations', {
      [instance]: body({ [host(3)]: { VCPU: 1 } }, 1),
      [migration]: body({ [host(2)]: { VCPU: 2, MEMORY_MB: 512 } }, null, { consumer_type: 'MIGRATION' }),
    });
    assert.equal(moved.statusCode, 204, moved.body);
    assert.equal((await call('GET', `/allocations/${migration}`)).json<{ consumer_type: string }>().consumer_type, 'MIGRATION');
    assert.deepEqual((await call('GET', `/resource_providers/${host(2)}/usages`)).json<{ usages: object }>().usages, { VCPU: 2, MEMORY_MB: 512, DISK_GB: 0 });
    assert.equal((await call('POST', '/allocations', {}, '1.12')).statusCode, 404, 'POST /allocations is 1.13+');
    assert.equal((await call('POST', '/allocations', {})).statusCode, 400);

    const usages = (await call('GET', '/usages?project_id=proj', undefined, '1.37')).json<{ usages: Record<string, number> }>();
    assert.equal(usages.usages['VCPU'], 3);
    const byType = (await call('GET', '/usages?project_id=proj&user_id=user')).json<{ usages: Record<string, Record<string, number>> }>();
    assert.deepEqual(byType.usages['MIGRATION'], { consumer_count: 1, VCPU: 2, MEMORY_MB: 512 });
    assert.deepEqual(byType.usages['INSTANCE'], { consumer_count: 1, VCPU: 1 });
    assert.deepEqual((await call('GET', '/usages?project_id=proj&consumer_type=all')).json<{ usages: object }>().usages, { all: { VCPU: 3, MEMORY_MB: 512, consumer_count: 2 } });
    assert.equal((await call('GET', '/usages')).statusCode, 400, 'project_id is required');
    assert.deepEqual((await call('GET', '/usages?project_id=nobody')).json(), { usages: {} });
    await call('DELETE', `/allocations/${instance}`);
    await call('DELETE', `/allocations/${migration}`);
  });

  it('answers allocation candidates with filters, limit and versioned shapes', async () => {
    const get = (query: string, version = 'latest') => call('GET', `/allocation_candidates?${query}`, undefined, version);
    const uuidsOf = (res: { json: <T>() => T }) => res.json<Candidates>().allocation_requests.map((r) => Object.keys(r.allocations)[0]);

    const all = await get('resources=VCPU:1,MEMORY_MB:256');
    assert.equal(all.statusCode, 200);
    assert.deepEqual(uuidsOf(all), hosts);
    const c = all.json<Candidates>();
    assert.deepEqual(c.allocation_requests[0], { allocations: { [host(0)]: { resources: { VCPU: 1, MEMORY_MB: 256 } } }, mappings: { '': [host(0)] } });
    assert.deepEqual(c.provider_summaries[host(2)]?.traits, ['HW_CPU_X86_AVX2']);
    assert.deepEqual(c.provider_summaries[host(0)]?.resources['DISK_GB'], { capacity: 20, used: 0 });

    assert.deepEqual(uuidsOf(await get(`resources=VCPU:1&member_of=${aggA}`)), [host(0), host(2)]);
    assert.deepEqual(uuidsOf(await get(`resources=VCPU:1&member_of=in:${aggA},${aggB}&member_of=${aggB}`)), [host(1), host(3)]);
    assert.deepEqual(uuidsOf(await get(`resources=VCPU:1&member_of=!${aggA}`)), [host(1), host(3)]);
    assert.deepEqual(uuidsOf(await get('resources=VCPU:1&required=HW_CPU_X86_AVX2')), [host(2), host(3)]);
    assert.deepEqual(uuidsOf(await get('resources=VCPU:1&required=!HW_CPU_X86_AVX2')), [host(0), host(1)]);
    assert.deepEqual(uuidsOf(await get('resources=VCPU:1&required=in:HW_CPU_X86_AVX2,COMPUTE_NODE&required=!COMPUTE_STATUS_DISABLED')), [host(2), host(3)]);
    assert.deepEqual(uuidsOf(await get(`resources=VCPU:1&in_tree=${host(1)}`)), [host(1)]);
    assert.deepEqual(uuidsOf(await get('resources=VCPU:1&limit=2')), [host(0), host(1)]);
    const busy = ids.uuid();
    assert.equal((await call('PUT', `/allocations/${busy}`, body({ [host(0)]: { VCPU: 1 } }, null))).statusCode, 204);
    assert.deepEqual(uuidsOf(await get('resources=VCPU:4')), [host(1), host(2), host(3)], 'host 0 has one VCPU in use now');
    assert.deepEqual((await get('resources=VCPU:1')).json<Candidates>().provider_summaries[host(0)]?.resources['VCPU'], { capacity: 4, used: 1 });
    await call('DELETE', `/allocations/${busy}`);

    const old = (await get('resources=VCPU:1', '1.11')).json<Candidates & { allocation_requests: { allocations: unknown[] }[] }>();
    assert.deepEqual(old.allocation_requests[0]?.allocations, [{ resource_provider: { uuid: host(0) }, resources: { VCPU: 1 } }]);
    assert.deepEqual(old.provider_summaries[host(0)], { resources: { VCPU: { capacity: 4, used: 0 } } });

    for (const [query, version] of [
      ['', 'latest'],
      ['resources=VCPU', 'latest'],
      ['resources=VCPU:x', 'latest'],
      ['resources=NOPE:1', 'latest'],
      ['resources=VCPU:1&limit=0', 'latest'],
      ['resources=VCPU:1&required=CUSTOM_UNKNOWN', 'latest'],
      ['resources=VCPU:1&member_of=not-a-uuid', 'latest'],
      ['resources=VCPU:1&member_of=' + aggA, '1.20'],
      ['resources=VCPU:1&required=!HW_CPU_X86_AVX2', '1.21'],
      ['resources=VCPU:1&in_tree=' + host(0), '1.30'],
      ['resources=VCPU:1&resources1=VCPU:1', 'latest'],
    ] as const) {
      const res = await get(query, version);
      assert.equal(res.statusCode, 400, `${query} @ ${version}: ${res.body}`);
    }
  });
});
