import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestCloud, waitFor, type TestCloud } from '../fixtures/test-cloud.js';
import { ALL_HOSTS, assertNovaError, C, createServer, imageId, waitForGone, waitForSettled } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const USAGE = [
  'cpu_info', 'current_workload', 'disk_available_least', 'free_disk_gb', 'free_ram_mb', 'local_gb', 'local_gb_used',
  'memory_mb', 'memory_mb_used', 'running_vms', 'vcpus', 'vcpus_used',
];
const DETAIL = ['host_ip', 'hypervisor_hostname', 'hypervisor_type', 'hypervisor_version', 'id', 'service', 'state', 'status'];
// What `openstack hypervisor show` parses out of the uptime.
const UPTIME = /\s*(.+)\sup\s+(.+),\s+(.+)\susers?,\s+load average:\s(.+)/;

describe('hypervisors', () => {
  let t: TestCloud;

  before(async () => {
    t = await startTestCloud();
  });
  after(async () => {
    await t?.stop();
  });

  async function detail(mv: string | undefined): Promise<Record<string, any>[]> {
    const res = await t.admin.withMicroversion(mv).get(`${C}/os-hypervisors/detail`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.hypervisors as Record<string, any>[];
  }

  it('lists every compute node of every cell at 2.1 with unique integer ids', async () => {
    const res = await t.admin.get(`${C}/os-hypervisors`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const hypervisors = res.body.hypervisors as Record<string, any>[];
    assert.deepEqual(hypervisors.map((h) => h['hypervisor_hostname']).sort(), [...ALL_HOSTS].sort());
    for (const h of hypervisors) {
      assert.deepEqual(Object.keys(h).sort(), ['hypervisor_hostname', 'id', 'state', 'status']);
      assert.equal(typeof h['id'], 'number');
      assert.equal(h['state'], 'up');
      assert.equal(h['status'], 'enabled');
    }
    assert.equal(new Set(hypervisors.map((h) => h['id'])).size, hypervisors.length, 'ids are unique across cells');
    assert.equal('hypervisors_links' in res.body, false);
  });

  it('shows capacity and usage in detail below 2.88, cpu_info a string before 2.28', async () => {
    for (const h of await detail(undefined)) {
      assert.deepEqual(Object.keys(h).sort(), [...DETAIL, ...USAGE].sort());
      assert.equal(h['cpu_info'], '{}');
      assert.deepEqual(Object.keys(h['service']).sort(), ['disabled_reason', 'host', 'id']);
      assert.equal(h['service']['host'], h['hypervisor_hostname']);
      assert.equal(typeof h['service']['id'], 'number');
      assert.equal(h['free_ram_mb'], h['memory_mb'] - h['memory_mb_used']);
      assert.equal(h['free_disk_gb'], h['local_gb'] - h['local_gb_used']);
      assert.ok(h['vcpus'] > 0 && h['memory_mb'] > 0 && h['local_gb'] > 0);
    }
    for (const h of await detail('2.28')) assert.deepEqual(h['cpu_info'], {});
  });

  it('uses uuids from 2.53, and drops the usage fields for uptime at 2.88', async () => {
    const at253 = await detail('2.53');
    for (const h of at253) {
      assert.match(h['id'], UUID);
      assert.match(h['service']['id'], UUID);
    }
    const services = (await t.admin.withMicroversion('2.53').get(`${C}/os-services?binary=nova-compute`)).body.services as Record<string, any>[];
    assert.deepEqual(at253.map((h) => h['service']['id']).sort(), services.map((s) => s['id']).sort(), 'the service ids are those of os-services');

    for (const h of await detail('2.88')) {
      assert.deepEqual(Object.keys(h).sort(), [...DETAIL, 'uptime'].sort());
      assert.match(h['uptime'], UPTIME);
    }
  });

  it('sums enabled nodes in statistics, which 2.88 removed', async () => {
    const res = await t.admin.get(`${C}/os-hypervisors/statistics`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const stats = res.body.hypervisor_statistics as Record<string, number>;
    const nodes = await detail(undefined);
    assert.equal(stats['count'], 4);
    for (const key of ['vcpus', 'memory_mb', 'local_gb', 'vcpus_used', 'memory_mb_used', 'local_gb_used', 'free_ram_mb', 'free_disk_gb', 'running_vms']) {
      assert.equal(stats[key], nodes.reduce((sum, h) => sum + (h[key] as number), 0), key);
    }
    assertNovaError(await t.admin.withMicroversion('2.88').get(`${C}/os-hypervisors/statistics`), 404, 'itemNotFound');
  });

  it('shows one hypervisor by integer id below 2.53 and by uuid from 2.53', async () => {
    const [first] = await detail(undefined);
    const shown = await t.admin.get(`${C}/os-hypervisors/${first?.['id']}`);
    assert.equal(shown.status, 200, JSON.stringify(shown.body));
    assert.deepEqual(shown.body.hypervisor, first);

    const [byUuid] = await detail('2.53');
    const shown253 = await t.admin.withMicroversion('2.53').get(`${C}/os-hypervisors/${byUuid?.['id']}`);
    assert.equal(shown253.status, 200);
    assert.equal(shown253.body.hypervisor.id, byUuid?.['id']);

    assertNovaError(await t.admin.get(`${C}/os-hypervisors/abc`), 404, 'itemNotFound');
    assertNovaError(await t.admin.get(`${C}/os-hypervisors/999999999999`), 404, 'itemNotFound');
    assertNovaError(await t.admin.withMicroversion('2.53').get(`${C}/os-hypervisors/${first?.['id']}`), 400, 'badRequest');
    assertNovaError(await t.admin.withMicroversion('2.53').get(`${C}/os-hypervisors/00000000-0000-0000-0000-000000000001`), 404, 'itemNotFound');
  });

  it('answers the uptime route in the format clients parse, until 2.88', async () => {
    const [first] = await detail(undefined);
    const res = await t.admin.get(`${C}/os-hypervisors/${first?.['id']}/uptime`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(Object.keys(res.body.hypervisor).sort(), ['hypervisor_hostname', 'id', 'state', 'status', 'uptime']);
    assert.match(res.body.hypervisor.uptime, UPTIME);
    assertNovaError(await t.admin.withMicroversion('2.88').get(`${C}/os-hypervisors/${first?.['id']}/uptime`), 404, 'itemNotFound');
  });

  it('searches by hostname pattern on its own routes below 2.53 and with query parameters from 2.53', async () => {
    const found = await t.admin.get(`${C}/os-hypervisors/cell2/search`);
    assert.equal(found.status, 200, JSON.stringify(found.body));
    assert.deepEqual((found.body.hypervisors as Record<string, any>[]).map((h) => h['hypervisor_hostname']).sort(), ['cell2-compute1', 'cell2-compute2']);
    assertNovaError(await t.admin.get(`${C}/os-hypervisors/nothing-like-it/search`), 404, 'itemNotFound');
    assertNovaError(await t.admin.withMicroversion('2.53').get(`${C}/os-hypervisors/cell2/search`), 404, 'itemNotFound');

    const servers = await t.admin.get(`${C}/os-hypervisors/compute1/servers`);
    assert.equal(servers.status, 200);
    assert.deepEqual((servers.body.hypervisors as Record<string, any>[]).map((h) => h['hypervisor_hostname']).sort(), ['cell1-compute1', 'cell2-compute1']);

    const byQuery = await t.admin.withMicroversion('2.53').get(`${C}/os-hypervisors?hypervisor_hostname_pattern=cell1-compute2`);
    assert.equal(byQuery.status, 200, JSON.stringify(byQuery.body));
    assert.deepEqual((byQuery.body.hypervisors as Record<string, any>[]).map((h) => h['hypervisor_hostname']), ['cell1-compute2']);
    assertNovaError(await t.admin.withMicroversion('2.53').get(`${C}/os-hypervisors?hypervisor_hostname_pattern=zzz`), 404, 'itemNotFound');
    assertNovaError(await t.admin.withMicroversion('2.53').get(`${C}/os-hypervisors?hypervisor_hostname_pattern=cell1&limit=1`), 400, 'badRequest');
    assertNovaError(await t.admin.withMicroversion('2.53').get(`${C}/os-hypervisors?unknown=1`), 400, 'badRequest');
    const withServers = await t.admin.withMicroversion('2.75').get(`${C}/os-hypervisors?hypervisor_hostname_pattern=cell1&with_servers=true`);
    assert.ok((withServers.body.hypervisors as Record<string, any>[]).every((h) => Array.isArray(h['servers'])), 'servers is always there at 2.75');
  });

  it('pages with limit and marker from 2.33, with a next link while pages are full', async () => {
    const all = (await t.admin.withMicroversion('2.53').get(`${C}/os-hypervisors`)).body.hypervisors as Record<string, any>[];
    const first = await t.admin.withMicroversion('2.53').get(`${C}/os-hypervisors?limit=3`);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual((first.body.hypervisors as Record<string, any>[]).map((h) => h['id']), all.slice(0, 3).map((h) => h['id']));
    const next = first.body.hypervisors_links?.[0] as { rel: string; href: string };
    assert.equal(next.rel, 'next');
    const url = new URL(next.href);
    assert.equal(url.pathname, `${C}/os-hypervisors`);
    assert.equal(url.searchParams.get('marker'), all[2]?.['id']);
    assert.equal(url.searchParams.get('limit'), '3');

    const second = await t.admin.withMicroversion('2.53').get(`${url.pathname}${url.search}`);
    assert.deepEqual((second.body.hypervisors as Record<string, any>[]).map((h) => h['id']), [all[3]?.['id']]);
    assert.equal('hypervisors_links' in second.body, false);

    const legacy = await t.admin.withMicroversion('2.33').get(`${C}/os-hypervisors/detail?limit=2`);
    const legacyIds = (legacy.body.hypervisors as Record<string, any>[]).map((h) => h['id'] as number);
    const after = await t.admin.withMicroversion('2.33').get(`${C}/os-hypervisors/detail?marker=${legacyIds[1]}`);
    assert.equal((after.body.hypervisors as unknown[]).length, 2);
    assertNovaError(await t.admin.withMicroversion('2.33').get(`${C}/os-hypervisors?marker=12345`), 400, 'badRequest');
    // Before 2.33 paging parameters are ignored.
    assert.equal(((await t.admin.get(`${C}/os-hypervisors?limit=1`)).body.hypervisors as unknown[]).length, 4);
  });

  it('shows the usage of a booted m1.small on its host, and the server on it', async () => {
    const before = new Map((await detail(undefined)).map((h) => [h['hypervisor_hostname'] as string, h]));
    const id = await createServer(t.member, { name: 'sized', imageRef: await imageId(t.member), flavorRef: '2' });
    const server = await waitForSettled(t.admin, id, ['ACTIVE']);
    const host = server['OS-EXT-SRV-ATTR:host'] as string;
    const was = before.get(host) as Record<string, any>;

    const now = await waitFor('the resource tracker to count the server', async () => {
      const h = (await detail(undefined)).find((x) => x['hypervisor_hostname'] === host);
      return h !== undefined && h['running_vms'] === was['running_vms'] + 1 ? h : undefined;
    });
    assert.equal(now['vcpus_used'], was['vcpus_used'] + 1);
    assert.equal(now['memory_mb_used'], was['memory_mb_used'] + 2048);
    assert.equal(now['local_gb_used'], was['local_gb_used'] + 20);
    assert.equal(now['free_ram_mb'], was['free_ram_mb'] - 2048);

    const withServers = await t.admin.withMicroversion('2.53').get(`${C}/os-hypervisors/detail?with_servers=true`);
    const onHost = (withServers.body.hypervisors as Record<string, any>[]).find((h) => h['hypervisor_hostname'] === host);
    assert.deepEqual(onHost?.['servers'], [{ name: 'sized', uuid: id }]);
    const others = (withServers.body.hypervisors as Record<string, any>[]).filter((h) => h['hypervisor_hostname'] !== host);
    assert.ok(others.every((h) => !('servers' in h)), 'hosts without servers have no servers key before 2.75');
    const viaRoute = await t.admin.get(`${C}/os-hypervisors/${host}/servers`);
    assert.deepEqual(viaRoute.body.hypervisors[0].servers, [{ name: 'sized', uuid: id }]);

    assert.equal((await t.member.delete(`${C}/servers/${id}`)).status, 204);
    await waitForGone(t.member, id);
  });

  it('counts servers built at the same time on one host, each once, and lets them go when they are deleted', async () => {
    const host = 'cell1-compute2';
    const usageOf = async (): Promise<Record<string, any>> => (await detail(undefined)).find((h) => h['hypervisor_hostname'] === host) as Record<string, any>;
    const was = await usageOf();
    const image = await imageId(t.admin);
    const ids = await Promise.all(
      ['c1', 'c2', 'c3'].map(async (name) => {
        const res = await t.admin.withMicroversion('2.74').post(`${C}/servers`, { server: { name, imageRef: image, flavorRef: '1', networks: 'none', host } });
        assert.equal(res.status, 202, JSON.stringify(res.body));
        return res.body.server.id as string;
      }),
    );
    for (const id of ids) assert.equal((await waitForSettled(t.admin, id, ['ACTIVE']))['OS-EXT-SRV-ATTR:host'], host);
    const busy = await waitFor('the tracker to count all three', async () => {
      const h = await usageOf();
      return h['running_vms'] === was['running_vms'] + 3 ? h : undefined;
    });
    assert.equal(busy['vcpus_used'], was['vcpus_used'] + 3);
    assert.equal(busy['memory_mb_used'], was['memory_mb_used'] + 3 * 512);
    assert.equal(busy['local_gb_used'], was['local_gb_used'] + 3);

    for (const id of ids) assert.equal((await t.admin.delete(`${C}/servers/${id}`)).status, 204);
    for (const id of ids) await waitForGone(t.admin, id);
    const idle = await usageOf();
    for (const field of ['running_vms', 'vcpus_used', 'memory_mb_used', 'local_gb_used']) assert.equal(idle[field], was[field], field);
  });

  it('is for administrators only (403)', async () => {
    for (const path of ['/os-hypervisors', '/os-hypervisors/detail', '/os-hypervisors/statistics', '/os-hypervisors/cell1/search']) {
      assertNovaError(await t.member.get(`${C}${path}`), 403, 'forbidden');
    }
  });
});
