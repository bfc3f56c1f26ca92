import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ServiceRecord } from '../../../db/cell/service-repo.js';
import { seedServices, startHarness, type Harness } from './compute-route-harness.test.js';

type Row = Record<string, unknown>;

describe('service routes', () => {
  describe('GET /os-services', () => {
    let h: Harness;
    let seeded: Record<string, ServiceRecord>;
    before(async () => {
      h = await startHarness();
      seeded = await seedServices(h);
    });
    after(async () => h.close());

    it('lists every cell at 2.1 with integer ids, zones and up/down', async () => {
      const res = await h.call('GET', '/compute/v2.1/os-services');
      assert.equal(res.status, 200);
      const services = res.body.services as Row[];
      assert.equal(services.length, 4);
      const byHost = new Map(services.map((s) => [`${String(s['host'])}/${String(s['binary'])}`, s]));
      assert.deepEqual(byHost.get('cell1-compute1/nova-compute'), {
        id: seeded['c1']?.id,
        binary: 'nova-compute',
        host: 'cell1-compute1',
        zone: 'az1',
        status: 'enabled',
        state: 'up',
        updated_at: '2026-11-24T10:02:00.000000',
        disabled_reason: null,
      });
      assert.equal(byHost.get('cell1-compute2/nova-compute')?.['zone'], 'nova');
      assert.equal(byHost.get('controller/nova-conductor')?.['zone'], 'internal');
      const down = byHost.get('cell2-compute1/nova-compute');
      assert.equal(down?.['state'], 'down');
      assert.equal(down?.['zone'], 'az2');
      assert.equal(down?.['updated_at'], '2026-11-24T10:00:00.000000');
    });

    it('adds forced_down at 2.11 and uses uuids from 2.53', async () => {
      const at211 = (await h.call('GET', '/compute/v2.1/os-services', { mv: '2.11' })).body.services as Row[];
      assert.ok(at211.every((s) => s['forced_down'] === false && typeof s['id'] === 'number'));
      const at253 = (await h.call('GET', '/compute/v2.1/os-services', { mv: '2.53' })).body.services as Row[];
      assert.ok(at253.some((s) => s['id'] === seeded['c3']?.uuid));
      assert.ok(at253.every((s) => typeof s['id'] === 'string' && 'forced_down' in s));
    });

    it('filters by host and binary', async () => {
      const byHost = (await h.call('GET', '/compute/v2.1/os-services?host=controller')).body.services as Row[];
      assert.deepEqual(byHost.map((s) => s['binary']), ['nova-conductor']);
      const byBinary = (await h.call('GET', '/compute/v2.1/os-services?binary=nova-compute')).body.services as Row[];
      assert.equal(byBinary.length, 3);
      const both = (await h.call('GET', '/compute/v2.1/os-services?binary=nova-compute&host=cell2-compute1')).body.services as Row[];
      assert.deepEqual(both.map((s) => s['host']), ['cell2-compute1']);
      assert.equal(((await h.call('GET', '/compute/v2.1/os-services?host=')).body.services as Row[]).length, 4);
    });

    it('is admin-only and strict about query parameters from 2.75', async () => {
      assert.equal((await h.call('GET', '/compute/v2.1/os-services', { token: 'member' })).status, 403);
      assert.equal((await h.call('GET', '/compute/v2.1/os-services?zone=x', { mv: '2.74' })).status, 200);
      assert.equal((await h.call('GET', '/compute/v2.1/os-services?zone=x', { mv: '2.75' })).status, 400);
    });
  });

  describe('PUT /os-services/{service_id} (2.53+)', () => {
    let h: Harness;
    let seeded: Record<string, ServiceRecord>;
    before(async () => {
      h = await startHarness();
      seeded = await seedServices(h);
    });
    after(async () => h.close());
    const url = (s: ServiceRecord | undefined) => `/compute/v2.1/os-services/${String(s?.uuid)}`;

    it('disables with a reason, forces down, and enables again', async () => {
      const disabled = await h.call('PUT', url(seeded['c1']), { mv: '2.53', body: { status: 'disabled', disabled_reason: 'maintenance' } });
      assert.equal(disabled.status, 200);
      assert.equal(disabled.body.service.id, seeded['c1']?.uuid);
      assert.equal(disabled.body.service.status, 'disabled');
      assert.equal(disabled.body.service.disabled_reason, 'maintenance');
      assert.equal(disabled.body.service.state, 'up');

      const forced = await h.call('PUT', url(seeded['c1']), { mv: '2.53', body: { forced_down: true } });
      assert.equal(forced.body.service.forced_down, true);
      assert.equal(forced.body.service.state, 'down');
      assert.equal(forced.body.service.status, 'disabled');

      const enabled = await h.call('PUT', url(seeded['c1']), { mv: '2.53', body: { status: 'enabled', forced_down: 'false' } });
      assert.equal(enabled.status, 200);
      assert.equal(enabled.body.service.status, 'enabled');
      assert.equal(enabled.body.service.disabled_reason, null);
      assert.equal(enabled.body.service.forced_down, false);
      assert.equal(enabled.body.service.state, 'up');
    });

    it('refuses bad requests', async () => {
      const cases: [string, unknown, number][] = [
        [url(seeded['c1']), {}, 400],
        [url(seeded['c1']), { status: 'enabled', disabled_reason: 'x' }, 400],
        [url(seeded['c1']), { status: 'paused' }, 400],
        [url(seeded['c1']), { host: 'x' }, 400],
        [url(seeded['cond']), { status: 'disabled' }, 400],
        ['/compute/v2.1/os-services/not-a-uuid', { status: 'disabled' }, 400],
        ['/compute/v2.1/os-services/8a1c2f5e-0000-4000-8000-000000000000', { status: 'disabled' }, 404],
      ];
      for (const [target, body, status] of cases) {
        const res = await h.call('PUT', target, { mv: '2.53', body });
        assert.equal(res.status, status, `${target} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`);
      }
      assert.equal((await h.call('PUT', url(seeded['c1']), { mv: '2.53', token: 'member', body: { status: 'disabled' } })).status, 403);
    });
  });

  describe('PUT /os-services/{action} (before 2.53)', () => {
    let h: Harness;
    let seeded: Record<string, ServiceRecord>;
    before(async () => {
      h = await startHarness();
      seeded = await seedServices(h);
    });
    after(async () => h.close());
    const target = { host: 'cell2-compute1', binary: 'nova-compute' };

    it('disables and enables by host and binary', async () => {
      const disabled = await h.call('PUT', '/compute/v2.1/os-services/disable', { body: target });
      assert.equal(disabled.status, 200);
      assert.deepEqual(disabled.body, { service: { ...target, status: 'disabled' } });
      const listed = (await h.call('GET', '/compute/v2.1/os-services?host=cell2-compute1')).body.services as Row[];
      assert.equal(listed[0]?.['status'], 'disabled');

      const logged = await h.call('PUT', '/compute/v2.1/os-services/disable-log-reason', { body: { ...target, disabled_reason: 'disk swap' } });
      assert.deepEqual(logged.body, { service: { ...target, status: 'disabled', disabled_reason: 'disk swap' } });

      const enabled = await h.call('PUT', '/compute/v2.1/os-services/enable', { body: target });
      assert.deepEqual(enabled.body, { service: { ...target, status: 'enabled' } });
      const after = (await h.call('GET', '/compute/v2.1/os-services?host=cell2-compute1')).body.services as Row[];
      assert.equal(after[0]?.['status'], 'enabled');
      assert.equal(after[0]?.['disabled_reason'], null);
    });

    it('forces down from 2.11 only', async () => {
      assert.equal((await h.call('PUT', '/compute/v2.1/os-services/force-down', { body: { ...target, forced_down: true } })).status, 400);
      assert.equal((await h.call('PUT', '/compute/v2.1/os-services/force-down', { mv: '2.10', body: target })).status, 404);
      const res = await h.call('PUT', '/compute/v2.1/os-services/force-down', { mv: '2.11', body: { ...target, forced_down: true } });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { service: { ...target, forced_down: true } });
      const listed = (await h.call('GET', '/compute/v2.1/os-services?host=cell2-compute1', { mv: '2.11' })).body.services as Row[];
      assert.equal(listed[0]?.['forced_down'], true);
      assert.equal(seeded['c3']?.forced_down, false);
    });

    it('answers 404 for unknown actions and hosts, 400 for other binaries', async () => {
      const unknown = await h.call('PUT', '/compute/v2.1/os-services/reboot', { body: target });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.itemNotFound.message, 'Unknown action');
      const noHost = await h.call('PUT', '/compute/v2.1/os-services/disable', { body: { host: 'nowhere', binary: 'nova-compute' } });
      assert.equal(noHost.status, 404);
      assert.equal(noHost.body.itemNotFound.message, 'Could not find binary nova-compute on host nowhere.');
      assert.equal((await h.call('PUT', '/compute/v2.1/os-services/disable', { body: { host: 'controller', binary: 'nova-conductor' } })).status, 400);
      assert.equal((await h.call('PUT', '/compute/v2.1/os-services/disable', { body: { host: 'controller' } })).status, 400);
      assert.equal((await h.call('PUT', '/compute/v2.1/os-services/disable', { token: 'member', body: target })).status, 403);
    });
  });
});
