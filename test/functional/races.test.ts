import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestCloud, waitForStatus, type TestCloud } from '../fixtures/test-cloud.js';
import { allServerIds, assertNovaError, C, createServer, imageId, waitForGone, type ServerRequest } from './helpers.js';

// Each race is run a few times: one lucky interleaving proves little.
const ROUNDS = 4;

describe('concurrent actions on one server', () => {
  let t: TestCloud;
  let image: string;
  let id: string;
  const act = (body: unknown) => t.member.post(`${C}/servers/${id}/action`, body);

  /** Sends the two actions at the same time; returns their responses in the order given. */
  async function race(a: unknown, b: unknown) {
    return Promise.all([act(a), act(b)]);
  }

  before(async () => {
    // Every guest operation takes a while, so the second request of a race arrives while the
    // first one's operation is still in progress, as it would on a real hypervisor.
    t = await startTestCloud('[fake_driver]\ndelay_ms = 40');
    image = await imageId(t.admin);
    id = await createServer(t.member, { name: 'racer', imageRef: image, zone: 'cell1' });
    await waitForStatus(t.member, id, 'ACTIVE');
  });
  after(async () => {
    await t?.stop();
  });

  it('stop and start sent together on an ACTIVE server: one 202, one 409, and the server ends SHUTOFF', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const [stop, start] = await race({ 'os-stop': null }, { 'os-start': null });
      assert.equal(stop.status, 202, `round ${round}: stop ${JSON.stringify(stop.body)}`);
      assertNovaError(start, 409, 'conflictingRequest');
      const server = await waitForStatus(t.member, id, 'SHUTOFF');
      assert.equal(server['OS-EXT-STS:power_state'], 4);
      assert.equal((await act({ 'os-start': null })).status, 202);
      await waitForStatus(t.member, id, 'ACTIVE');
    }
  });

  it('two stops sent together: one 202, one 409, and the server ends SHUTOFF', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const results = await race({ 'os-stop': null }, { 'os-stop': null });
      const statuses = results.map((r) => r.status).sort();
      assert.deepEqual(statuses, [202, 409], `round ${round}: ${JSON.stringify(results.map((r) => r.body))}`);
      const loser = results.find((r) => r.status === 409);
      if (loser !== undefined) assertNovaError(loser, 409, 'conflictingRequest');
      const server = await waitForStatus(t.member, id, 'SHUTOFF');
      assert.equal(server['OS-EXT-STS:power_state'], 4);
      assert.equal((await act({ 'os-start': null })).status, 202);
      await waitForStatus(t.member, id, 'ACTIVE');
    }
  });

  it('two starts sent together on a SHUTOFF server: one 202, one 409, and the server ends ACTIVE', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      assert.equal((await act({ 'os-stop': null })).status, 202);
      await waitForStatus(t.member, id, 'SHUTOFF');
      const results = await race({ 'os-start': null }, { 'os-start': null });
      assert.deepEqual(results.map((r) => r.status).sort(), [202, 409], `round ${round}: ${JSON.stringify(results.map((r) => r.body))}`);
      const server = await waitForStatus(t.member, id, 'ACTIVE');
      assert.equal(server['OS-EXT-STS:power_state'], 1);
    }
  });

  it('two hard reboots sent together: one 202, one 409, and the server ends ACTIVE', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const results = await race({ reboot: { type: 'HARD' } }, { reboot: { type: 'HARD' } });
      assert.deepEqual(results.map((r) => r.status).sort(), [202, 409], `round ${round}: ${JSON.stringify(results.map((r) => r.body))}`);
      const server = await waitForStatus(t.member, id, 'ACTIVE');
      assert.equal(server['OS-EXT-STS:power_state'], 1);
    }
  });

  it('a stop and a delete sent together: the delete wins in the end and nothing is left', async () => {
    const before = await allServerIds(t.admin);
    const req: ServerRequest = { name: 'stop-vs-delete', imageRef: image, zone: 'cell1' };
    const victim = await createServer(t.member, req);
    await waitForStatus(t.member, victim, 'ACTIVE');
    const [stop, del] = await Promise.all([
      t.member.post(`${C}/servers/${victim}/action`, { 'os-stop': null }),
      t.member.delete(`${C}/servers/${victim}`),
    ]);
    assert.equal(del.status, 204, JSON.stringify(del.body));
    assert.ok([202, 409].includes(stop.status), `stop: ${stop.status} ${JSON.stringify(stop.body)}`);
    await waitForGone(t.member, victim);
    assert.deepEqual((await allServerIds(t.admin)).sort(), before.sort());
  });

  it('two deletes sent together: the server is deleted once and is gone', async () => {
    const victim = await createServer(t.member, { name: 'double-delete', imageRef: image, zone: 'cell1' });
    await waitForStatus(t.member, victim, 'ACTIVE');
    const results = await Promise.all([t.member.delete(`${C}/servers/${victim}`), t.member.delete(`${C}/servers/${victim}`)]);
    for (const r of results) assert.ok([204, 404].includes(r.status), `delete: ${r.status} ${JSON.stringify(r.body)}`);
    assert.ok(results.some((r) => r.status === 204));
    await waitForGone(t.member, victim);
  });

  it('the racer is still healthy after all the races', async () => {
    const server = await waitForStatus(t.member, id, 'ACTIVE');
    assert.equal(server['OS-EXT-STS:power_state'], 1);
    assert.equal((await act({ 'os-stop': null })).status, 202);
    await waitForStatus(t.member, id, 'SHUTOFF');
  });
});
