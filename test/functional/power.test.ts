import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestCloud, waitForStatus, type TestCloud } from '../fixtures/test-cloud.js';
import { assertNovaError, C, createServer, imageId } from './helpers.js';

describe('power actions', () => {
  let t: TestCloud;
  let id: string;
  const action = (body: unknown) => t.member.post(`${C}/servers/${id}/action`, body);

  before(async () => {
    t = await startTestCloud();
    const image = await imageId(t.admin);
    id = await createServer(t.member, { name: 'power', imageRef: image, zone: 'cell1' });
    await waitForStatus(t.member, id, 'ACTIVE');
  });
  after(async () => {
    await t?.stop();
  });

  it('starting an ACTIVE server is a 409 with a message', async () => {
    const message = assertNovaError(await action({ 'os-start': null }), 409, 'conflictingRequest');
    assert.match(message, /start/);
    assert.ok(message.includes(id), message);
    const after = await waitForStatus(t.member, id, 'ACTIVE');
    assert.equal(after['OS-EXT-STS:power_state'], 1, 'the refused start changed nothing');
  });

  it('os-stop takes the server to SHUTOFF with power_state 4', async () => {
    const res = await action({ 'os-stop': null });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.equal(res.body, undefined, 'a 202 action has no body');
    const server = await waitForStatus(t.member, id, 'SHUTOFF');
    assert.equal(server['OS-EXT-STS:power_state'], 4);
    assert.equal(server['OS-EXT-STS:vm_state'], 'stopped');
  });

  it('stopping a SHUTOFF server is a 409', async () => {
    assertNovaError(await action({ 'os-stop': null }), 409, 'conflictingRequest');
  });

  it('a soft reboot of a SHUTOFF server is a 409', async () => {
    const message = assertNovaError(await action({ reboot: { type: 'SOFT' } }), 409, 'conflictingRequest');
    assert.match(message, /reboot/);
    const server = await waitForStatus(t.member, id, 'SHUTOFF');
    assert.equal(server['OS-EXT-STS:power_state'], 4);
  });

  it('os-start takes it back to ACTIVE with power_state 1', async () => {
    const res = await action({ 'os-start': null });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const server = await waitForStatus(t.member, id, 'ACTIVE');
    assert.equal(server['OS-EXT-STS:power_state'], 1);
    assert.equal(server['OS-EXT-STS:vm_state'], 'active');
  });

  it('a hard reboot shows HARD_REBOOT (or already ACTIVE) and ends ACTIVE with power_state 1', async () => {
    const res = await action({ reboot: { type: 'HARD' } });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const right = await t.member.get(`${C}/servers/${id}`);
    assert.equal(right.status, 200);
    assert.ok(['HARD_REBOOT', 'ACTIVE'].includes(right.body.server.status), right.body.server.status);
    const server = await waitForStatus(t.member, id, 'ACTIVE');
    assert.equal(server['OS-EXT-STS:power_state'], 1);
  });

  it('a soft reboot of an ACTIVE server ends ACTIVE', async () => {
    const res = await action({ reboot: { type: 'SOFT' } });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const server = await waitForStatus(t.member, id, 'ACTIVE');
    assert.equal(server['OS-EXT-STS:power_state'], 1);
  });

  it('a hard reboot of a SHUTOFF server brings it to ACTIVE', async () => {
    assert.equal((await action({ 'os-stop': null })).status, 202);
    await waitForStatus(t.member, id, 'SHUTOFF');
    const res = await action({ reboot: { type: 'hard' } });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const server = await waitForStatus(t.member, id, 'ACTIVE');
    assert.equal(server['OS-EXT-STS:power_state'], 1);
  });

  it('refuses malformed action bodies with 400', async () => {
    for (const body of [{ reboot: { type: 'GENTLE' } }, { reboot: {} }, { 'os-stop': {} }, { 'no-such-action': null }, { 'os-stop': null, 'os-start': null }, {}]) {
      assertNovaError(await action(body), 400, 'badRequest');
    }
    const server = await waitForStatus(t.member, id, 'ACTIVE');
    assert.equal(server['OS-EXT-STS:power_state'], 1, 'nothing happened');
  });

  it('an action on an unknown server is a 404', async () => {
    const res = await t.member.post(`${C}/servers/00000000-0000-4000-8000-000000000000/action`, { 'os-stop': null });
    assertNovaError(res, 404, 'itemNotFound');
  });
});
