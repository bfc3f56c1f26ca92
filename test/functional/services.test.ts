import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestCloud, type TestCloud } from '../fixtures/test-cloud.js';
import { ALL_HOSTS, assertNovaError, C } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

describe('services and availability zones', () => {
  let t: TestCloud;

  before(async () => {
    t = await startTestCloud();
  });
  after(async () => {
    await t?.stop();
  });

  it('GET /os-services lists every compute host in its cell zone, and the control services in internal, all up', async () => {
    const res = await t.admin.get(`${C}/os-services`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const services = res.body.services as Record<string, any>[];

    const computes = services.filter((s) => s['binary'] === 'nova-compute');
    assert.deepEqual(computes.map((s) => s['host']).sort(), [...ALL_HOSTS].sort());
    for (const s of computes) assert.equal(s['zone'], (s['host'] as string).split('-')[0], `zone of ${s['host']}`);

    for (const binary of ['nova-conductor', 'nova-scheduler']) {
      const found = services.filter((s) => s['binary'] === binary);
      assert.equal(found.length, 1, `${binary} is listed once`);
      assert.equal(found[0]?.['zone'], 'internal');
    }
    assert.deepEqual([...new Set(services.map((s) => s['binary']))].sort(), ['nova-compute', 'nova-conductor', 'nova-scheduler']);

    for (const s of services) {
      assert.equal(s['state'], 'up', `${s['binary']} on ${s['host']}`);
      assert.equal(s['status'], 'enabled');
      assert.equal(s['disabled_reason'], null);
      assert.equal(typeof s['updated_at'], 'string');
      assert.equal(typeof s['id'], 'number', 'ids are integers below 2.53');
      assert.equal('forced_down' in s, false, 'forced_down appears at 2.11');
    }
  });

  it('from 2.53 service ids are unique uuids, and forced_down is shown', async () => {
    const res = await t.admin.withMicroversion('2.53').get(`${C}/os-services`);
    assert.equal(res.status, 200);
    const services = res.body.services as Record<string, any>[];
    const ids = services.map((s) => s['id'] as string);
    for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(new Set(ids).size, ids.length);
    for (const s of services) assert.equal(s['forced_down'], false);
  });

  it('filters by host and by binary', async () => {
    const byHost = await t.admin.get(`${C}/os-services?host=cell2-compute1`);
    assert.deepEqual((byHost.body.services as { host: string; binary: string }[]).map((s) => [s.host, s.binary]), [['cell2-compute1', 'nova-compute']]);
    const byBinary = await t.admin.get(`${C}/os-services?binary=nova-scheduler`);
    assert.deepEqual((byBinary.body.services as { binary: string }[]).map((s) => s.binary), ['nova-scheduler']);
  });

  it('a member may not list services (403)', async () => {
    assertNovaError(await t.member.get(`${C}/os-services`), 403, 'forbidden');
  });

  it('GET /os-availability-zone lists cell1 and cell2, available, without hosts', async () => {
    for (const client of [t.admin, t.member]) {
      const res = await client.get(`${C}/os-availability-zone`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const zones = res.body.availabilityZoneInfo as Record<string, any>[];
      assert.deepEqual(zones.map((z) => z['zoneName']).sort(), ['cell1', 'cell2']);
      for (const z of zones) {
        assert.deepEqual(z['zoneState'], { available: true });
        assert.equal(z['hosts'], null);
      }
    }
  });

  it('GET /os-availability-zone/detail shows the hosts of each zone and the internal zone (admin)', async () => {
    const res = await t.admin.get(`${C}/os-availability-zone/detail`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const zones = new Map((res.body.availabilityZoneInfo as Record<string, any>[]).map((z) => [z['zoneName'] as string, z]));
    assert.deepEqual([...zones.keys()].sort(), ['cell1', 'cell2', 'internal']);
    for (const cell of ['cell1', 'cell2']) {
      const hosts = zones.get(cell)?.['hosts'] as Record<string, Record<string, { available: boolean; active: boolean }>>;
      assert.deepEqual(Object.keys(hosts).sort(), [`${cell}-compute1`, `${cell}-compute2`]);
      for (const services of Object.values(hosts)) {
        assert.deepEqual(Object.keys(services), ['nova-compute']);
        assert.equal(services['nova-compute']?.available, true);
        assert.equal(services['nova-compute']?.active, true);
      }
    }
    const internal = zones.get('internal')?.['hosts'] as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(Object.values(internal)[0] ?? {}).sort(), ['nova-conductor', 'nova-scheduler']);
  });

  it('a member may not see the detailed zone list (403)', async () => {
    assertNovaError(await t.member.get(`${C}/os-availability-zone/detail`), 403, 'forbidden');
  });
});
