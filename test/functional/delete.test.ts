import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestCloud, waitForStatus, type TestCloud } from '../fixtures/test-cloud.js';
import { allServerIds, assertNovaError, C, createServer, imageId, postServer, waitForGone, waitForSettled } from './helpers.js';

describe('deleting servers', () => {
  let t: TestCloud;
  let image: string;

  before(async () => {
    t = await startTestCloud();
    image = await imageId(t.admin);
  });
  after(async () => {
    await t?.stop();
  });

  it('DELETE answers 204, then the server is gone from show and lists; deleting again is a 404', async () => {
    const keep = await createServer(t.member, { name: 'del-keep', imageRef: image, zone: 'cell1' });
    const id = await createServer(t.member, { name: 'del-me', imageRef: image, zone: 'cell1' });
    await waitForStatus(t.member, id, 'ACTIVE');
    await waitForStatus(t.member, keep, 'ACTIVE');

    const res = await t.member.delete(`${C}/servers/${id}`);
    assert.equal(res.status, 204, JSON.stringify(res.body));
    assert.equal(res.body, undefined);
    await waitForGone(t.member, id);

    assertNovaError(await t.member.get(`${C}/servers/${id}`), 404, 'itemNotFound');
    for (const path of [`${C}/servers`, `${C}/servers/detail`]) {
      const list = await t.member.get(path);
      assert.deepEqual((list.body.servers as { id: string }[]).map((s) => s.id), [keep], path);
    }
    assert.equal((await allServerIds(t.admin)).includes(id), false, 'not in the all-projects list either');

    assertNovaError(await t.member.delete(`${C}/servers/${id}`), 404, 'itemNotFound');
    assertNovaError(await t.member.post(`${C}/servers/${id}/action`, { 'os-stop': null }), 404, 'itemNotFound');

    const kept = await waitForStatus(t.member, keep, 'ACTIVE');
    assert.equal(kept['OS-EXT-STS:power_state'], 1, 'the other server is untouched');
  });

  it('deletes a SHUTOFF server', async () => {
    const id = await createServer(t.member, { name: 'del-stopped', imageRef: image });
    await waitForStatus(t.member, id, 'ACTIVE');
    assert.equal((await t.member.post(`${C}/servers/${id}/action`, { 'os-stop': null })).status, 202);
    await waitForStatus(t.member, id, 'SHUTOFF');
    assert.equal((await t.member.delete(`${C}/servers/${id}`)).status, 204);
    await waitForGone(t.member, id);
  });

  it('deletes a server right after the 202 of its create, while it builds', async () => {
    const before = await allServerIds(t.admin);
    const id = await createServer(t.member, { name: 'del-early', imageRef: image });
    const res = await t.member.delete(`${C}/servers/${id}`);
    assert.equal(res.status, 204, JSON.stringify(res.body));
    await waitForGone(t.member, id);
    // Give the conductor time to finish whatever it had started: the server must not come back.
    await new Promise((r) => setTimeout(r, 200));
    assertNovaError(await t.member.get(`${C}/servers/${id}`), 404, 'itemNotFound');
    assert.deepEqual((await allServerIds(t.admin)).sort(), before.sort());
  });

  it('a deleted server gives its room back to the scheduler', async () => {
    // Two m1.xlarge (8 vcpus, 16 GB, 160 GB) fill both hosts of cell2 (200 GB of disk each).
    const first = await postServer(t.admin, { name: 'xl-first', imageRef: image, flavorRef: '5', zone: 'cell2', extra: { min_count: 2, max_count: 2 } });
    assert.equal(first.status, 202, JSON.stringify(first.body));
    const firstIds = ((await t.admin.get(`${C}/servers?name=^xl-first-`)).body.servers as { id: string }[]).map((s) => s.id);
    assert.equal(firstIds.length, 2);
    for (const id of firstIds) await waitForStatus(t.admin, id, 'ACTIVE');

    for (const id of firstIds) assert.equal((await t.admin.delete(`${C}/servers/${id}`)).status, 204);
    for (const id of firstIds) await waitForGone(t.admin, id);

    const second = await postServer(t.admin, { name: 'xl-second', imageRef: image, flavorRef: '5', zone: 'cell2', extra: { min_count: 2, max_count: 2 } });
    assert.equal(second.status, 202, JSON.stringify(second.body));
    const secondIds = ((await t.admin.get(`${C}/servers?name=^xl-second-`)).body.servers as { id: string }[]).map((s) => s.id);
    assert.equal(secondIds.length, 2);
    for (const id of secondIds) {
      const server = await waitForSettled(t.admin, id);
      assert.equal(server.status, 'ACTIVE', `the freed hosts take the new servers; got ${server.status}: ${JSON.stringify(server.fault)}`);
    }
    for (const id of secondIds) assert.equal((await t.admin.delete(`${C}/servers/${id}`)).status, 204);
    for (const id of secondIds) await waitForGone(t.admin, id);
  });

});
