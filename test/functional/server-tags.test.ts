import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestCloud, waitFor, waitForStatus, type ApiClient, type TestCloud } from '../fixtures/test-cloud.js';
import { assertNovaError, C, createServer, imageId, postServer, waitForGone, waitForSettled } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

describe('server tags', () => {
  let t: TestCloud;
  let image: string;
  let id: string;
  let v226: ApiClient;
  const tags = (server = id) => v226.get(`${C}/servers/${server}/tags`);
  const tag = (method: 'GET' | 'PUT' | 'DELETE', name: string, server = id) => v226.request(method, `${C}/servers/${server}/tags/${encodeURIComponent(name)}`);

  before(async () => {
    // Slow guests keep a new server in BUILD long enough to be seen there.
    t = await startTestCloud('[fake_driver]\ndelay_ms = 400');
    image = await imageId(t.admin);
    v226 = t.member.withMicroversion('2.26');
    id = await createServer(t.member, { name: 'tagged', imageRef: image, zone: 'cell1' });
    await waitForStatus(t.member, id, 'ACTIVE');
  });
  after(async () => {
    await t?.stop();
  });

  it('does not exist below microversion 2.26, and servers show no tags there', async () => {
    const old = t.member.withMicroversion('2.25');
    assertNovaError(await old.get(`${C}/servers/${id}/tags`), 404, 'itemNotFound');
    assertNovaError(await old.request('PUT', `${C}/servers/${id}/tags/a`), 404, 'itemNotFound');
    assert.equal('tags' in (await old.get(`${C}/servers/${id}`)).body.server, false);
    assert.deepEqual((await v226.get(`${C}/servers/${id}`)).body.server.tags, []);
  });

  it('adds one tag (201 with Location, then 204), checks it, and shows it on the server', async () => {
    const created = await tag('PUT', 'prod');
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.headers.get('location'), `${t.url}${C}/servers/${id}/tags/prod`);
    assert.equal((await tag('PUT', 'prod')).status, 204, 'adding a tag it has is a no-op');
    assert.equal((await tag('GET', 'prod')).status, 204);
    const missing = assertNovaError(await tag('GET', 'staging'), 404, 'itemNotFound');
    assert.equal(missing, `Server ${id} has no tag 'staging'`);
    assert.deepEqual((await tags()).body, { tags: ['prod'] });
    assert.deepEqual((await v226.get(`${C}/servers/${id}`)).body.server.tags, ['prod']);
    const detail = (await v226.get(`${C}/servers/detail`)).body.servers.find((s: any) => s.id === id);
    assert.deepEqual(detail.tags, ['prod']);
  });

  it('replaces all tags, collapsing duplicates, and deletes one or all', async () => {
    const res = await v226.put(`${C}/servers/${id}/tags`, { tags: ['web', 'db', 'web'] });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body, { tags: ['db', 'web'] });
    assert.equal((await tag('DELETE', 'db')).status, 204);
    assert.equal(assertNovaError(await tag('DELETE', 'db'), 404, 'itemNotFound'), `Instance ${id} has no tag 'db'`);
    assert.deepEqual((await tags()).body, { tags: ['web'] });
    const all = await v226.delete(`${C}/servers/${id}/tags`);
    assert.equal(all.status, 204);
    assert.deepEqual((await tags()).body, { tags: [] });
  });

  it('refuses invalid tags and more than 50, changing nothing', async () => {
    await v226.put(`${C}/servers/${id}/tags`, { tags: ['keep'] });
    assert.match(assertNovaError(await tag('PUT', 'a,b'), 400, 'badRequest'), /^Tag 'a,b' is invalid\. It must be a non empty string without characters '\/' and ','/);
    assertNovaError(await tag('PUT', 'x'.repeat(61)), 400, 'badRequest');
    for (const body of [{ tags: ['ok', 'a/b'] }, { tags: [''] }, { tags: 'a' }, { tags: ['a'], extra: 1 }, {}, { tags: Array.from({ length: 51 }, (_, n) => `t${n}`) }]) {
      assertNovaError(await v226.put(`${C}/servers/${id}/tags`, body), 400, 'badRequest');
    }
    assert.deepEqual((await tags()).body, { tags: ['keep'] });
    const fifty = Array.from({ length: 50 }, (_, n) => `t${String(n).padStart(2, '0')}`);
    assert.equal((await v226.put(`${C}/servers/${id}/tags`, { tags: fifty })).status, 200);
    assert.equal(assertNovaError(await tag('PUT', 'one-more'), 400, 'badRequest'), 'The number of tags exceeded the per-server limit 50');
    assert.equal((await tags()).body.tags.length, 50);
    assert.equal((await v226.delete(`${C}/servers/${id}/tags`)).status, 204);
  });

  it('takes tags at create from 2.52, validated, and shows them from the first GET', async () => {
    const v252 = t.member.withMicroversion('2.52');
    const body = (extra: Record<string, unknown>) => ({ server: { name: 'born-tagged', imageRef: image, flavorRef: '1', networks: 'none', ...extra } });
    assertNovaError(await t.member.withMicroversion('2.51').post(`${C}/servers`, body({ tags: ['a'] })), 400, 'badRequest');
    assertNovaError(await v252.post(`${C}/servers`, body({ tags: ['bad,tag'] })), 400, 'badRequest');
    assertNovaError(await v252.post(`${C}/servers`, body({ tags: Array.from({ length: 51 }, (_, n) => `t${n}`) })), 400, 'badRequest');
    const before = (await t.member.get(`${C}/servers?name=born-tagged`)).body.servers;
    assert.deepEqual(before, [], 'refused creates leave no server');

    const res = await v252.post(`${C}/servers`, body({ tags: ['blue', 'green', 'blue'] }));
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const created = res.body.server.id as string;
    assert.deepEqual((await v252.get(`${C}/servers/${created}`)).body.server.tags, ['blue', 'green']);
    assert.deepEqual((await tags(created)).body, { tags: ['blue', 'green'] });
    await waitForStatus(t.member, created, 'ACTIVE');
    assert.deepEqual((await v252.get(`${C}/servers/${created}`)).body.server.tags, ['blue', 'green']);
  });

  it('refuses tag changes with 409 while the server is building or in error', async () => {
    const res = await postServer(t.member, { name: 'busy', imageRef: image, zone: 'cell2' });
    assert.equal(res.status, 202);
    const busy = res.body.server.id as string;
    await waitFor('BUILD with spawning', async () => {
      const s = (await t.member.get(`${C}/servers/${busy}`)).body.server;
      return s.status === 'BUILD' && s['OS-EXT-STS:task_state'] === 'spawning' ? true : undefined;
    });
    const message = assertNovaError(await tag('PUT', 'early', busy), 409, 'conflictingRequest');
    assert.equal(message, `Cannot 'update tag' instance ${busy} while it is in vm_state building`);
    assertNovaError(await v226.put(`${C}/servers/${busy}/tags`, { tags: ['x'] }), 409, 'conflictingRequest');
    assertNovaError(await v226.delete(`${C}/servers/${busy}/tags`), 409, 'conflictingRequest');
    assert.deepEqual((await tags(busy)).body, { tags: [] }, 'reading is allowed');
    await waitForStatus(t.member, busy, 'ACTIVE');

    t.cloud.faults.arm('virt.spawn', { times: Infinity });
    try {
      const broken = await createServer(t.member, { name: 'broken', imageRef: image, zone: 'cell2' });
      await waitForSettled(t.member, broken, ['ERROR'], 20_000);
      assert.match(assertNovaError(await tag('PUT', 'x', broken), 409, 'conflictingRequest'), /vm_state error/);
    } finally {
      t.cloud.faults.disarm('virt.spawn');
    }
  });

  it('filters lists with tags, tags-any, not-tags and not-tags-any from 2.26 on', async () => {
    const make = async (name: string, list: string[]) => {
      const server = await createServer(t.member, { name, imageRef: image, zone: 'cell2' });
      await waitForStatus(t.member, server, 'ACTIVE');
      assert.equal((await v226.put(`${C}/servers/${server}/tags`, { tags: list })).status, 200);
      return server;
    };
    const ab = await make('f-ab', ['fa', 'fb']);
    const a = await make('f-a', ['fa']);
    const c = await make('f-c', ['fc']);
    const names = async (query: string, client = v226, path = 'servers') => {
      const res = await client.get(`${C}/${path}?name=^f-&${query}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return (res.body.servers as { id: string }[]).map((s) => s.id).sort();
    };
    const sorted = (...ids: string[]) => [...ids].sort();
    assert.deepEqual(await names('tags=fa,fb'), [ab]);
    assert.deepEqual(await names('tags=fa'), sorted(ab, a));
    assert.deepEqual(await names('tags-any=fb,fc'), sorted(ab, c));
    assert.deepEqual(await names('not-tags=fa,fb'), sorted(a, c));
    assert.deepEqual(await names('not-tags-any=fa'), [c]);
    assert.deepEqual(await names('tags=fa&not-tags-any=fb', v226, 'servers/detail'), [a]);
    assert.deepEqual(await names('tags=fa', t.member.withMicroversion('2.25')), sorted(ab, a, c), 'ignored below 2.26');
  });

  it('deletes a server\'s tags with the server', async () => {
    const doomed = await createServer(t.member, { name: 'doomed', imageRef: image, zone: 'cell1' });
    await waitForStatus(t.member, doomed, 'ACTIVE');
    assert.equal((await tag('PUT', 'gone-soon', doomed)).status, 201);
    const since = new Date(Date.now() - 60_000).toISOString();
    assert.equal((await t.member.delete(`${C}/servers/${doomed}`)).status, 204);
    await waitForGone(t.member, doomed);
    assertNovaError(await tags(doomed), 404, 'itemNotFound');
    const admin = t.admin.withMicroversion('2.26');
    const listed = (await admin.get(`${C}/servers/detail?all_tenants=1&changes-since=${encodeURIComponent(since)}`)).body.servers.find((s: any) => s.id === doomed);
    assert.equal(listed?.status, 'DELETED');
    assert.deepEqual(listed.tags, [], 'the deleted server keeps no tags');
  });

  it('hides another project\'s server tags as not found', async () => {
    const adminServer = await createServer(t.admin, { name: 'admins', imageRef: image, zone: 'cell1' });
    assertNovaError(await tags(adminServer), 404, 'itemNotFound');
    assertNovaError(await tag('PUT', 'mine', adminServer), 404, 'itemNotFound');
    await waitForStatus(t.admin, adminServer, 'ACTIVE');
  });
});
