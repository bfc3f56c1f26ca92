import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { startTestCloud, UNLIMITED_INSTANCE_QUOTAS, waitForStatus, type TestCloud } from '../fixtures/test-cloud.js';
import { allServerIds, C, CELL_HOSTS, createServer, imageId, postServer, waitForGone, waitForSettled } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

describe('servers that fail to build', () => {
  let t: TestCloud;
  let image: string;
  let hugeFlavor: string;

  before(async () => {
    t = await startTestCloud(UNLIMITED_INSTANCE_QUOTAS);
    image = await imageId(t.admin);
    const res = await t.admin.post(`${C}/flavors`, { flavor: { name: 'too-big', ram: 10_000_000, vcpus: 1, disk: 1 } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    hugeFlavor = res.body.flavor.id as string;
  });
  afterEach(() => {
    t.cloud.faults.disarm();
  });
  after(async () => {
    await t?.stop();
  });

  it('a server that fits nowhere lands in cell0 as ERROR with a NoValidHost fault', async () => {
    const id = await createServer(t.member, { name: 'nowhere', imageRef: image, flavorRef: hugeFlavor });
    const server = await waitForStatus(t.member, id, 'ERROR');
    assert.equal(server['OS-EXT-STS:vm_state'], 'error');
    assert.equal(server['OS-EXT-STS:power_state'], 0);
    assert.equal(server.fault?.code, 500);
    assert.match(server.fault?.message as string, /No valid host was found/);
    assert.equal(typeof server.fault?.created, 'string');
    assert.equal('details' in server.fault, false, 'the details of a 500 fault are for administrators');
    assert.equal(server.hostId, '');

    const asAdmin = await waitForStatus(t.admin, id, 'ERROR');
    assert.equal(asAdmin['OS-EXT-SRV-ATTR:host'], null);
    assert.equal(asAdmin['OS-EXT-SRV-ATTR:hypervisor_hostname'], null);
    assert.equal(asAdmin.fault?.code, 500);
    assert.match(asAdmin.fault?.message as string, /No valid host was found/);

    // It is listed, with its fault, to its owner.
    const list = await t.member.get(`${C}/servers/detail`);
    const listed = (list.body.servers as Record<string, any>[]).find((s) => s.id === id);
    assert.equal(listed?.status, 'ERROR');
    assert.match(listed?.fault?.message as string, /No valid host was found/);
    const errored = await t.member.get(`${C}/servers?status=ERROR`);
    assert.deepEqual((errored.body.servers as { id: string }[]).map((s) => s.id), [id]);

    // Power actions on it are refused; the delete works.
    assert.equal((await t.member.post(`${C}/servers/${id}/action`, { 'os-start': null })).status, 409);
    const del = await t.member.delete(`${C}/servers/${id}`);
    assert.equal(del.status, 204, JSON.stringify(del.body));
    await waitForGone(t.member, id);
    assert.equal((await allServerIds(t.admin)).includes(id), false);
  });

  it('every server of a multi-create that does not fit goes to cell0', async () => {
    const res = await postServer(t.member, { name: 'nowhere-multi', imageRef: image, flavorRef: hugeFlavor, extra: { max_count: 2 } });
    assert.equal(res.status, 202);
    const ids = ((await t.member.get(`${C}/servers?name=^nowhere-multi-`)).body.servers as { id: string }[]).map((s) => s.id);
    assert.equal(ids.length, 2);
    for (const id of ids) {
      const s = await waitForStatus(t.member, id, 'ERROR');
      assert.match(s.fault?.message as string, /No valid host was found/);
    }
    for (const id of ids) assert.equal((await t.member.delete(`${C}/servers/${id}`)).status, 204);
    for (const id of ids) await waitForGone(t.member, id);
  });

  it('a spawn failure on the hosts of the requested zone leaves the server ERROR with a fault', async () => {
    for (const host of CELL_HOSTS['cell1'] ?? []) t.cloud.faults.arm('virt.spawn', { host });
    const id = await createServer(t.member, { name: 'spawn-fails', imageRef: image, zone: 'cell1' });
    const server = await waitForStatus(t.member, id, 'ERROR');
    assert.equal(server.fault?.code, 500);
    assert.equal(typeof server.fault?.message, 'string');
    assert.ok((server.fault?.message as string).length > 0);
    assert.equal(server['OS-EXT-AZ:availability_zone'], 'cell1');

    const asAdmin = await waitForStatus(t.admin, id, 'ERROR');
    assert.equal(typeof asAdmin.fault?.details, 'string', 'administrators see the fault details');

    assert.equal((await t.member.delete(`${C}/servers/${id}`)).status, 204);
    await waitForGone(t.member, id);
  });

  it('a failed build releases its host: the room is free for the next servers', async () => {
    // m1.xlarge takes 160 of each host's 200 GB: one per host. Fail the first one's spawn.
    for (const host of CELL_HOSTS['cell1'] ?? []) t.cloud.faults.arm('virt.spawn', { host });
    const failed = await createServer(t.admin, { name: 'xl-failed', imageRef: image, flavorRef: '5', zone: 'cell1' });
    await waitForStatus(t.admin, failed, 'ERROR');
    t.cloud.faults.disarm();

    // With the failed server still existing (not deleted), both hosts of cell1 must take a new xlarge.
    const res = await postServer(t.admin, { name: 'xl-after', imageRef: image, flavorRef: '5', zone: 'cell1', extra: { min_count: 2, max_count: 2 } });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const ids = ((await t.admin.get(`${C}/servers?name=^xl-after-`)).body.servers as { id: string }[]).map((s) => s.id);
    assert.equal(ids.length, 2);
    const settled = await Promise.all(ids.map((id) => waitForSettled(t.admin, id)));
    for (const s of settled) assert.equal(s['status'], 'ACTIVE', `a failed build must not hold its host's resources: ${JSON.stringify(s['fault'])}`);
    assert.deepEqual(settled.map((s) => s['OS-EXT-SRV-ATTR:host']).sort(), CELL_HOSTS['cell1']);

    const failedNow = await waitForStatus(t.admin, failed, 'ERROR');
    assert.equal(failedNow['OS-EXT-SRV-ATTR:host'], null, 'a server whose build failed has no host, as in Nova');
  });

  it('a failure on one attempt does not stop the next boot on the same hosts', async () => {
    t.cloud.faults.arm('virt.spawn', { host: 'cell2-compute1' });
    t.cloud.faults.arm('virt.spawn', { host: 'cell2-compute2' });
    const failed = await createServer(t.member, { name: 'once-fails', imageRef: image, zone: 'cell2' });
    await waitForStatus(t.member, failed, 'ERROR');
    t.cloud.faults.disarm();
    const ok = await createServer(t.member, { name: 'then-works', imageRef: image, zone: 'cell2' });
    const server = await waitForStatus(t.member, ok, 'ACTIVE');
    assert.equal(server['OS-EXT-STS:power_state'], 1);
  });
});
