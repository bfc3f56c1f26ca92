/**
 * `[scheduler] in_worker_thread`: the scheduler and its placement claims in a thread of their
 * own, on file databases, driven only through the HTTP API. What the scheduler decides must not
 * change: groups, disabled services and claims hold across the threads, and placement's view
 * follows the writes of both.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestCloud, waitFor, type ApiClient, type TestCloud } from '../fixtures/test-cloud.js';
import { ALL_HOSTS, C, createServer, imageId, setService, waitForGone, waitForSettled } from './helpers.js';


/** VCPU used on each host's provider, as the cloud's own placement API shows it. */
async function vcpusUsed(admin: ApiClient): Promise<Map<string, number>> {
  const get = (path: string) => admin.withMicroversion(undefined).request('GET', `/placement${path}`, undefined, { 'OpenStack-API-Version': 'placement 1.9' });
  const out = new Map<string, number>();
  for (const rp of (await get('/resource_providers')).body.resource_providers as { uuid: string; name: string }[]) {
    out.set(rp.name, ((await get(`/resource_providers/${rp.uuid}/usages`)).body.usages as Record<string, number>)['VCPU'] ?? 0);
  }
  return out;
}

describe('the scheduler in a thread of its own', () => {
  let dir: string;
  let t: TestCloud;
  let image: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tessera-scheduler-thread-'));
    t = await startTestCloud(
      [
        '[api_database]', `connection = sqlite:///${join(dir, 'api.sqlite')}`,
        '[database]', `connection = sqlite:///${join(dir, '{cell}.sqlite')}`,
        '[placement_database]', `connection = sqlite:///${join(dir, 'placement.sqlite')}`,
        '[scheduler]', 'in_worker_thread = true',
      ].join('\n'),
    );
    image = await imageId(t.member);
  });
  after(async () => {
    await t?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('places an anti-affinity group on two hosts, and claims in placement what it placed', async () => {
    const group = await t.member.withMicroversion('2.64').post(`${C}/os-server-groups`, { server_group: { name: 'apart', policy: 'anti-affinity' } });
    assert.equal(group.status, 200, JSON.stringify(group.body));
    const inGroup = async (name: string): Promise<string> => {
      const res = await t.member.withMicroversion('2.37').post(`${C}/servers`, {
        server: { name, imageRef: image, flavorRef: '1', networks: 'none' },
        'os:scheduler_hints': { group: group.body.server_group.id },
      });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      return res.body.server.id as string;
    };
    const ids = [await inGroup('a1'), await inGroup('a2')];
    const hosts: string[] = [];
    for (const id of ids) {
      const s = await waitForSettled(t.admin, id);
      assert.equal(s['status'], 'ACTIVE', JSON.stringify(s['fault']));
      hosts.push(s['OS-EXT-SRV-ATTR:host'] as string);
    }
    assert.notEqual(hosts[0], hosts[1]);
    // The cloud thread's placement learnt the thread's claims without a claim of its own.
    const used = await vcpusUsed(t.admin);
    for (const host of hosts) assert.equal(used.get(host), 1, `${host}: ${JSON.stringify([...used])}`);
    for (const id of ids) assert.equal((await t.member.delete(`${C}/servers/${id}`)).status, 204);
    for (const id of ids) await waitForGone(t.member, id);
    await waitFor('the claims released', async () => ([...(await vcpusUsed(t.admin)).values()].every((v) => v === 0) ? true : undefined));
  });

  it('sends nothing to a disabled host: the service change reaches the thread', async () => {
    const [open, ...closed] = ALL_HOSTS as [string, ...string[]];
    for (const host of closed) await setService(t.admin, host, 'disabled');
    try {
      const ids = [await createServer(t.member, { name: 'd1', imageRef: image }), await createServer(t.member, { name: 'd2', imageRef: image })];
      for (const id of ids) {
        const s = await waitForSettled(t.admin, id);
        assert.equal(s['status'], 'ACTIVE', JSON.stringify(s['fault']));
        assert.equal(s['OS-EXT-SRV-ATTR:host'], open);
      }
      for (const id of ids) assert.equal((await t.member.delete(`${C}/servers/${id}`)).status, 204);
      for (const id of ids) await waitForGone(t.member, id);
    } finally {
      for (const host of closed) await setService(t.admin, host, 'enabled');
    }
    assert.deepEqual(await t.cloud.audit(), []);
  });

  it('is refused, with the reason, on databases in memory', async () => {
    await assert.rejects(startTestCloud('[scheduler]\nin_worker_thread = true'), /in_worker_thread cannot share SQLite databases in memory: \[api_database\] connection, \[database\] connection, \[placement_database\] connection/);
  });
});
