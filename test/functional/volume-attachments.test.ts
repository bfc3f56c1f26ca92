/**
 * Volume attachments of a whole running cloud (`/servers/{id}/os-volume_attachments`), over HTTP:
 * attach and detach with the volume's status following, the views per microversion, Nova's
 * refusals, validation, failures injected at every step leaving the volume available, and
 * project isolation.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startTestCloud, waitForStatus, type ApiClient, type HttpResult, type TestCloud } from '../fixtures/test-cloud.js';
import { assertNovaError, C, createServer, imageId, postServer, waitForSettled } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

const V = '/volume/v3';

describe('volume attachments of a running cloud', () => {
  let t: TestCloud;
  let image: string;
  let server: string;

  const attachments = (id: string) => `${C}/servers/${id}/os-volume_attachments`;
  const attach = (client: ApiClient, id: string, body: Record<string, unknown>, mv = '2.79'): Promise<HttpResult> =>
    client.withMicroversion(mv).post(attachments(id), { volumeAttachment: body });
  async function newVolume(client: ApiClient = t.member): Promise<string> {
    const res = await client.withMicroversion(undefined).post(`${V}/volumes`, { volume: { size: 1, name: 'data' } });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    return res.body.volume.id as string;
  }
  async function volume(id: string): Promise<any> {
    const res = await t.admin.withMicroversion(undefined).get(`${V}/volumes/${id}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.volume;
  }
  async function listed(id: string, mv = '2.89'): Promise<any[]> {
    const res = await t.member.withMicroversion(mv).get(attachments(id));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.volumeAttachments;
  }
  /** The volume is free again: available, no attachment, and the server lists no mapping of it. */
  async function assertFree(volumeId: string, serverId = server): Promise<void> {
    const v = await volume(volumeId);
    assert.equal(v.status, 'available');
    assert.deepEqual(v.attachments, []);
    assert.equal((await listed(serverId)).some((a) => a.volumeId === volumeId), false);
  }
  /** The instance actions recorded in the server's cell, oldest first. */
  async function actions(serverId: string): Promise<{ action: string; request_id: string }[]> {
    const mapping = await t.cloud.api.instanceMappings.find(serverId);
    const cell = await t.cloud.api.cells.getById(mapping?.cell_id as number);
    return t.cloud.cells.repos(cell).db.selectFrom('instance_actions').select(['action', 'request_id']).where('instance_uuid', '=', serverId).orderBy('id').execute();
  }

  before(async () => {
    t = await startTestCloud('[cinder]\nquota_volumes = 50\nquota_gigabytes = 100');
    image = await imageId(t.admin);
    server = await createServer(t.member, { name: 'attach-target', imageRef: image, zone: 'cell1' });
    await waitForStatus(t.member, server, 'ACTIVE');
  });
  after(async () => {
    await t?.stop();
  });
  beforeEach(() => t.cloud.faults.disarm());

  it('attaches: 200 with the device, the volume in-use on the server\'s host, listed with its tag', async () => {
    const volumeId = await newVolume();
    const res = await attach(t.member, server, { volumeId, tag: 'db', delete_on_termination: true });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body, { volumeAttachment: { id: volumeId, serverId: server, volumeId, device: '/dev/vdb', tag: 'db', delete_on_termination: true } });
    assert.ok(res.headers.get('x-compute-request-id'));

    const v = await volume(volumeId);
    assert.equal(v.status, 'in-use');
    const host = (await t.admin.get(`${C}/servers/${server}`)).body.server['OS-EXT-SRV-ATTR:host'];
    assert.deepEqual(v.attachments.map((a: any) => [a.server_id, a.device, a.host_name]), [[server, '/dev/vdb', host]]);

    const [latest] = await listed(server);
    assert.deepEqual(Object.keys(latest).sort(), ['attachment_id', 'bdm_uuid', 'delete_on_termination', 'device', 'serverId', 'tag', 'volumeId']);
    assert.equal(latest.attachment_id, v.attachments[0].attachment_id);
    assert.equal(latest.tag, 'db');
    assert.deepEqual(await listed(server, '2.1'), [{ id: volumeId, volumeId, serverId: server, device: '/dev/vdb' }]);
    assert.deepEqual((await listed(server, '2.70'))[0], { id: volumeId, volumeId, serverId: server, device: '/dev/vdb', tag: 'db' });
    const shown = await t.member.withMicroversion('2.79').get(`${attachments(server)}/${volumeId}`);
    assert.deepEqual(shown.body, { volumeAttachment: { id: volumeId, volumeId, serverId: server, device: '/dev/vdb', tag: 'db', delete_on_termination: true } });

    const recorded = await actions(server);
    assert.deepEqual(recorded[recorded.length - 1], { action: 'attach_volume', request_id: res.headers.get('x-compute-request-id') });
  });

  it('answers at 2.1 without tag or delete_on_termination, and honours a requested device', async () => {
    const volumeId = await newVolume();
    const res = await attach(t.member, server, { volumeId, device: '/dev/vdf' }, '2.1');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body, { volumeAttachment: { id: volumeId, serverId: server, volumeId, device: '/dev/vdf' } });
    assertNovaError(await attach(t.member, server, { volumeId: await newVolume(), device: '/dev/vdf' }), 409, 'conflictingRequest');
  });

  it('refuses the same volume twice, and one in use by another server, with Nova\'s 400', async () => {
    const volumeId = await newVolume();
    assert.equal((await attach(t.member, server, { volumeId })).status, 200);
    const message = assertNovaError(await attach(t.member, server, { volumeId }), 400, 'badRequest');
    assert.match(message, /already attached/);
    const other = await createServer(t.member, { name: 'other', imageRef: image, zone: 'cell2' });
    await waitForStatus(t.member, other, 'ACTIVE');
    assertNovaError(await attach(t.member, other, { volumeId }), 400, 'badRequest');
    assert.equal((await volume(volumeId)).attachments.length, 1, 'still attached once');
    assert.deepEqual(await listed(other), []);
  });

  it('detaches: 202, the volume available, the mapping gone; a second detach is a 404', async () => {
    const volumeId = await newVolume();
    assert.equal((await attach(t.member, server, { volumeId })).status, 200);
    const res = await t.member.delete(`${attachments(server)}/${volumeId}`);
    assert.equal(res.status, 202, JSON.stringify(res.body));
    await assertFree(volumeId);
    assertNovaError(await t.member.get(`${attachments(server)}/${volumeId}`), 404, 'itemNotFound');
    assertNovaError(await t.member.delete(`${attachments(server)}/${volumeId}`), 404, 'itemNotFound');
    const recorded = await actions(server);
    assert.deepEqual(recorded[recorded.length - 1], { action: 'detach_volume', request_id: res.headers.get('x-compute-request-id') });
  });

  it('refuses to detach the root disk (400); the volume stays attached', async () => {
    const volumeId = await newVolume();
    assert.equal((await attach(t.member, server, { volumeId })).status, 200);
    // No API makes a volume the root disk yet (boot from volume is the boot path's); mark it so in the cell.
    const mapping = await t.cloud.api.instanceMappings.find(server);
    const cell = await t.cloud.api.cells.getById(mapping?.cell_id as number);
    const db = t.cloud.cells.repos(cell).db;
    await db.updateTable('block_device_mapping').set({ boot_index: 0 }).where('instance_uuid', '=', server).where('volume_id', '=', volumeId).where('deleted', '=', 0).execute();
    const message = assertNovaError(await t.member.delete(`${attachments(server)}/${volumeId}`), 400, 'badRequest');
    assert.equal(message, 'Cannot detach a root device volume');
    assert.equal((await volume(volumeId)).status, 'in-use');
    await db.updateTable('block_device_mapping').set({ boot_index: null }).where('instance_uuid', '=', server).where('volume_id', '=', volumeId).where('deleted', '=', 0).execute();
    assert.equal((await t.member.delete(`${attachments(server)}/${volumeId}`)).status, 202);
  });

  it('attaches to and detaches from a stopped server', async () => {
    const stopped = await createServer(t.member, { name: 'stopped', imageRef: image, zone: 'cell2' });
    await waitForStatus(t.member, stopped, 'ACTIVE');
    assert.equal((await t.member.post(`${C}/servers/${stopped}/action`, { 'os-stop': null })).status, 202);
    await waitForStatus(t.member, stopped, 'SHUTOFF');
    const volumeId = await newVolume();
    assert.equal((await attach(t.member, stopped, { volumeId })).status, 200);
    assert.equal((await volume(volumeId)).status, 'in-use');
    assert.equal((await t.member.delete(`${attachments(stopped)}/${volumeId}`)).status, 202);
    await assertFree(volumeId, stopped);
    await waitForStatus(t.member, stopped, 'SHUTOFF');
  });

  it('refuses a server in ERROR with a 409 and leaves the volume alone', async () => {
    t.cloud.faults.arm('virt.spawn', { times: Infinity });
    const res = await postServer(t.member, { name: 'broken', imageRef: image });
    assert.equal(res.status, 202);
    const broken = res.body.server.id as string;
    await waitForSettled(t.member, broken, ['ERROR']);
    t.cloud.faults.disarm();
    const volumeId = await newVolume();
    const message = assertNovaError(await attach(t.member, broken, { volumeId }), 409, 'conflictingRequest');
    assert.match(message, /Cannot 'attach_volume' instance .* while it is in vm_state error/);
    await assertFree(volumeId, broken);
  });

  it('validates the body per microversion: a bad request is a 400 and changes nothing', async () => {
    const volumeId = await newVolume();
    const bad: [Record<string, unknown>, string][] = [
      [{}, '2.79'],
      [{ volumeId: 'not-a-uuid' }, '2.79'],
      [{ volumeId, extra: 1 }, '2.79'],
      [{ volumeId, device: 'vdb' }, '2.79'],
      [{ volumeId, tag: 'a/b' }, '2.79'],
      [{ volumeId, tag: 'x'.repeat(61) }, '2.79'],
      [{ volumeId, tag: 'early' }, '2.48'],
      [{ volumeId, delete_on_termination: true }, '2.78'],
      [{ volumeId, delete_on_termination: 'maybe' }, '2.79'],
    ];
    for (const [body, mv] of bad) assertNovaError(await attach(t.member, server, body, mv), 400, 'badRequest');
    assertNovaError(await t.member.post(attachments(server), { volume: { volumeId } }), 400, 'badRequest');
    assertNovaError(await t.member.withMicroversion('2.75').get(`${attachments(server)}?foo=1`), 400, 'badRequest');
    await assertFree(volumeId);
  });

  it('answers 404 for an unknown volume or server, and pages the list with limit and offset', async () => {
    assertNovaError(await attach(t.member, server, { volumeId: '00000000-0000-4000-8000-000000000000' }), 404, 'itemNotFound');
    assertNovaError(await attach(t.member, '00000000-0000-4000-8000-000000000000', { volumeId: await newVolume() }), 404, 'itemNotFound');
    const all = await listed(server, '2.1');
    assert.ok(all.length >= 2);
    const page = await t.member.get(`${attachments(server)}?limit=1&offset=1`);
    assert.deepEqual(page.body.volumeAttachments, all.slice(1, 2));
  });

  describe('a failure injected at any step leaves the volume available and no mapping', () => {
    for (const fault of ['volume.attachment_create', 'volume.attachment_update', 'virt.attach_volume', 'volume.attachment_complete', 'rpc.call.compute.attach_volume']) {
      it(fault, async () => {
        const volumeId = await newVolume();
        const before = await listed(server);
        t.cloud.faults.arm(fault);
        const res = await attach(t.member, server, { volumeId, tag: 'x' });
        assertNovaError(res, 500, 'computeFault');
        await assertFree(volumeId);
        assert.deepEqual(await listed(server), before);
        await waitForStatus(t.member, server, 'ACTIVE');
        // With the fault gone, the same attach goes through.
        assert.equal((await attach(t.member, server, { volumeId })).status, 200);
      });
    }

    for (const fault of ['virt.detach_volume', 'volume.attachment_delete']) {
      it(`${fault} on detach: the volume stays attached and listed; a retry detaches`, async () => {
        const volumeId = await newVolume();
        assert.equal((await attach(t.member, server, { volumeId })).status, 200);
        t.cloud.faults.arm(fault);
        assertNovaError(await t.member.delete(`${attachments(server)}/${volumeId}`), 500, 'computeFault');
        assert.equal((await volume(volumeId)).status, 'in-use');
        assert.equal((await listed(server)).some((a) => a.volumeId === volumeId), true);
        assert.equal((await t.member.delete(`${attachments(server)}/${volumeId}`)).status, 202);
        await assertFree(volumeId);
      });
    }
  });

  describe('project isolation', () => {
    let adminServer: string;
    let adminVolume: string;
    before(async () => {
      adminServer = await createServer(t.admin, { name: 'admin-own', imageRef: image, zone: 'cell1' });
      await waitForStatus(t.admin, adminServer, 'ACTIVE');
      adminVolume = await newVolume(t.admin);
      assert.equal((await attach(t.admin, adminServer, { volumeId: adminVolume })).status, 200);
    });

    it('a member gets 404 for every attachment call on another project\'s server', async () => {
      assertNovaError(await t.member.get(attachments(adminServer)), 404, 'itemNotFound');
      assertNovaError(await t.member.get(`${attachments(adminServer)}/${adminVolume}`), 404, 'itemNotFound');
      assertNovaError(await attach(t.member, adminServer, { volumeId: await newVolume() }), 404, 'itemNotFound');
      assertNovaError(await t.member.delete(`${attachments(adminServer)}/${adminVolume}`), 404, 'itemNotFound');
      assert.equal((await volume(adminVolume)).status, 'in-use');
    });

    it('a member cannot attach another project\'s volume to their own server (404)', async () => {
      const adminFree = await newVolume(t.admin);
      assertNovaError(await attach(t.member, server, { volumeId: adminFree }), 404, 'itemNotFound');
      assert.equal((await volume(adminFree)).status, 'available');
    });
  });
});
