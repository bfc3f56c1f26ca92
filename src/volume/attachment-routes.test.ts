import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { INSTANCE_1, INSTANCE_2, startVolumeHarness, type CallResult, type VolumeHarness } from './volume-harness.test.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

const MV = '3.44';
const connector = { initiator: 'iqn.test', ip: '192.0.2.10', platform: 'x86_64', host: 'cell1-compute1', os_type: 'linux', multipath: false, mountpoint: '/dev/vdb' };

function assertFault(res: CallResult, status: number, key: string, message?: RegExp): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.deepEqual(Object.keys(res.body), [key], JSON.stringify(res.body));
  if (message !== undefined) assert.match(res.body[key].message, message);
}

describe('attachment routes', () => {
  let h: VolumeHarness;
  let volumeId: string;
  before(async () => {
    h = await startVolumeHarness();
  });
  after(async () => h.close());
  beforeEach(async () => {
    await h.database.db.deleteFrom('volume_attachments').execute();
    await h.database.db.deleteFrom('volumes').execute();
    const res = await h.call('POST', '/volume/v3/volumes', { body: { volume: { size: 1, name: 'data' } } });
    volumeId = res.body.volume.id;
  });

  const volumeStatus = async () => (await h.call('GET', `/volume/v3/volumes/${volumeId}`)).body.volume.status;
  const post = (body: unknown, mv = MV, who: 'alice' | 'bob' | 'admin' | 'reader' = 'alice') => h.call('POST', '/volume/v3/attachments', { body, mv, who });
  const attachmentRows = async () => (await h.database.db.selectFrom('volume_attachments').select(['id', 'attach_status', 'deleted']).execute()).length;

  it('runs the whole flow over HTTP: reserve, connect, complete, detach', async () => {
    const created = await post({ attachment: { volume_uuid: volumeId, instance_uuid: INSTANCE_1, connector: {} } });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const a = created.body.attachment;
    assert.deepEqual({ ...a, id: typeof a.id }, { id: 'string', status: 'reserved', instance: INSTANCE_1, volume_id: volumeId, attached_at: '', detached_at: '', attach_mode: 'null', connection_info: {} });
    assert.equal(await volumeStatus(), 'reserved');

    const updated = await h.call('PUT', `/volume/v3/attachments/${a.id}`, { mv: MV, body: { attachment: { connector } } });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    assert.equal(updated.body.attachment.status, 'attaching');
    assert.equal(updated.body.attachment.attach_mode, 'rw');
    assert.equal(updated.body.attachment.connection_info.driver_volume_type, 'fake');
    assert.equal(updated.body.attachment.connection_info.attachment_id, a.id);
    assert.equal(await volumeStatus(), 'attaching');

    const completed = await h.call('POST', `/volume/v3/attachments/${a.id}/action`, { mv: MV, body: { 'os-complete': null } });
    assert.equal(completed.status, 204);
    assert.equal(completed.body, undefined);
    assert.equal(await volumeStatus(), 'in-use');
    const shown = await h.call('GET', `/volume/v3/p-a/attachments/${a.id}`, { mv: MV });
    assert.equal(shown.body.attachment.status, 'attached');
    assert.match(shown.body.attachment.attached_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);

    const listed = await h.call('GET', `/volume/v3/attachments?instance_id=${INSTANCE_1}`, { mv: MV });
    assert.deepEqual(listed.body, { attachments: [{ id: a.id, status: 'attached', instance: INSTANCE_1, volume_id: volumeId }] });
    const detailed = await h.call('GET', `/volume/v3/attachments/detail?volume_id=${volumeId}&status=attached`, { mv: MV });
    assert.equal(detailed.body.attachments[0].connection_info.driver_volume_type, 'fake');

    const deleted = await h.call('DELETE', `/volume/v3/attachments/${a.id}`, { mv: MV });
    assert.deepEqual(deleted.body, { attachments: [] });
    assert.equal(await volumeStatus(), 'available');
  });

  it('is not there below 3.27, and os-complete not below 3.44', async () => {
    assertFault(await post({ attachment: { volume_uuid: volumeId, instance_uuid: INSTANCE_1 } }, '3.26'), 404, 'itemNotFound', /^API version 3\.26 is not supported on this method\.$/);
    assertFault(await h.call('GET', '/volume/v3/attachments'), 404, 'itemNotFound');
    assert.equal(await attachmentRows(), 0);
    const a = (await post({ attachment: { volume_uuid: volumeId, instance_uuid: INSTANCE_1, connector } }, '3.27')).body.attachment;
    assertFault(await h.call('POST', `/volume/v3/attachments/${a.id}/action`, { mv: '3.43', body: { 'os-complete': null } }), 404, 'itemNotFound');
    assert.equal(await volumeStatus(), 'attaching');
  });

  it('takes the attach mode from 3.54 only', async () => {
    assertFault(await post({ attachment: { volume_uuid: volumeId, instance_uuid: INSTANCE_1, mode: 'ro' } }, '3.53'), 400, 'badRequest', /'mode' was unexpected/);
    const a = await post({ attachment: { volume_uuid: volumeId, instance_uuid: INSTANCE_1, mode: 'ro', connector } }, '3.54');
    assert.equal(a.body.attachment.attach_mode, 'ro');
    assert.equal(a.body.attachment.connection_info.access_mode, 'ro');
  });

  it('refuses bad bodies with 400 and changes nothing', async () => {
    const bad: [unknown, RegExp][] = [
      [{}, /'attachment' is a required property/],
      [{ attachment: { instance_uuid: INSTANCE_1 } }, /'volume_uuid' is a required property/],
      [{ attachment: { volume_uuid: 'nope', instance_uuid: INSTANCE_1 } }, /volume_uuid/],
      [{ attachment: { volume_uuid: volumeId, instance_uuid: 'nope' } }, /instance_uuid/],
      [{ attachment: { volume_uuid: volumeId, instance_uuid: INSTANCE_1, connector: { ip: '1.2.3.4' } } }, /^'host' is a required property$/],
      [{ attachment: { volume_uuid: volumeId, instance_uuid: INSTANCE_1, connector: { host: 5 } } }, /field\/attribute host/],
      [{ attachment: { volume_uuid: volumeId, instance_uuid: INSTANCE_1, connector: 'h1' } }, /'h1' is not of type 'object'/],
      [{ attachment: { volume_uuid: volumeId, extra: 1 } }, /'extra' was unexpected/],
    ];
    for (const [body, message] of bad) assertFault(await post(body), 400, 'badRequest', message);
    assert.equal(await attachmentRows(), 0);
    assert.equal(await volumeStatus(), 'available');

    const a = (await post({ attachment: { volume_uuid: volumeId, instance_uuid: INSTANCE_1 } })).body.attachment;
    const put = (body: unknown) => h.call('PUT', `/volume/v3/attachments/${a.id}`, { mv: MV, body });
    assertFault(await put({ attachment: {} }), 400, 'badRequest', /'connector' is a required property/);
    assertFault(await put({ attachment: { connector: {} } }), 400, 'badRequest', /'host' is a required property/);
    assertFault(await put({ attachment: { connector: { host: '' } } }), 400, 'badRequest', /too short/);
    assertFault(await put({ attachment: { connector, mode: 'rw' } }), 400, 'badRequest', /'mode' was unexpected/);
    const action = (body: unknown) => h.call('POST', `/volume/v3/attachments/${a.id}/action`, { mv: MV, body });
    assertFault(await action({ 'os-detach': null }), 400, 'badRequest', /^There is no such action: os-detach/);
    assertFault(await action({}), 400, 'badRequest', /'os-complete' is a required property/);
    assert.equal((await h.call('GET', `/volume/v3/attachments/${a.id}`, { mv: MV })).body.attachment.status, 'reserved');
    assert.equal(await volumeStatus(), 'reserved');
  });

  it('refuses a second instance (and a busy volume) with 400, a second attachment on one host with 409', async () => {
    const a = (await post({ attachment: { volume_uuid: volumeId, instance_uuid: INSTANCE_1, connector } })).body.attachment;
    assertFault(await post({ attachment: { volume_uuid: volumeId, instance_uuid: INSTANCE_2 } }), 400, 'badRequest', /status must be available to reserve, but the current status is attaching/);
    assertFault(await post({ attachment: { volume_uuid: volumeId, instance_uuid: INSTANCE_1 } }), 400, 'badRequest', /current status is attaching/);
    await h.call('POST', `/volume/v3/attachments/${a.id}/action`, { mv: MV, body: { 'os-complete': null } });
    assertFault(await post({ attachment: { volume_uuid: volumeId, instance_uuid: INSTANCE_2 } }), 400, 'badRequest', /current status is in-use/);
    assertFault(await post({ attachment: { volume_uuid: volumeId, instance_uuid: INSTANCE_1, connector } }), 409, 'conflictingRequest', /duplicate connectors detected/);
    assert.equal(await attachmentRows(), 1, 'the refused ones left nothing');
    const second = await post({ attachment: { volume_uuid: volumeId, instance_uuid: INSTANCE_1, connector: { ...connector, host: 'cell2-compute1' } } });
    assert.equal(second.status, 200, 'the same instance on another host is a move');
    const deleted = await h.call('DELETE', `/volume/v3/attachments/${a.id}`, { mv: MV });
    assert.deepEqual(deleted.body.attachments.map((x: any) => x.id), [second.body.attachment.id]);
    assert.equal(await volumeStatus(), 'attaching', 'what remains decides');
  });

  it('completing an attachment without a connection is a 409', async () => {
    const a = (await post({ attachment: { volume_uuid: volumeId, instance_uuid: INSTANCE_1 } })).body.attachment;
    assertFault(await h.call('POST', `/volume/v3/attachments/${a.id}/action`, { mv: MV, body: { 'os-complete': null } }), 409, 'conflictingRequest', /no connection to complete/);
    assert.equal(await volumeStatus(), 'reserved');
  });

  it('keeps projects apart and lists every project only for admins with all_tenants', async () => {
    const a = (await post({ attachment: { volume_uuid: volumeId, instance_uuid: INSTANCE_1 } })).body.attachment;
    assertFault(await post({ attachment: { volume_uuid: volumeId, instance_uuid: INSTANCE_2 } }, MV, 'bob'), 404, 'itemNotFound', /^Volume .* could not be found\.$/);
    assertFault(await h.call('GET', `/volume/v3/attachments/${a.id}`, { mv: MV, who: 'bob' }), 404, 'itemNotFound', /^Volume attachment could not be found with filter: attachment_id = /);
    assertFault(await h.call('DELETE', `/volume/v3/attachments/${a.id}`, { mv: MV, who: 'bob' }), 404, 'itemNotFound');
    assertFault(await h.call('PUT', `/volume/v3/attachments/${a.id}`, { mv: MV, who: 'reader', body: { attachment: { connector } } }), 403, 'forbidden');
    assert.deepEqual((await h.call('GET', '/volume/v3/attachments?all_tenants=1', { mv: MV, who: 'bob' })).body.attachments, []);
    assert.deepEqual((await h.call('GET', '/volume/v3/attachments', { mv: MV, who: 'admin' })).body.attachments, []);
    assert.equal((await h.call('GET', '/volume/v3/attachments?all_tenants=1', { mv: MV, who: 'admin' })).body.attachments.length, 1);
    assert.equal(await volumeStatus(), 'reserved');
  });

  it('pages attachments with attachments_links', async () => {
    const shared = await h.store.volumes.create({ id: '33333333-3333-4333-8333-333333333333', project_id: 'p-a', user_id: 'u-alice', size: 1, status: 'available', availability_zone: 'nova', host: 'h', multiattach: true });
    const ids: string[] = [];
    for (const instance of [INSTANCE_1, INSTANCE_2]) {
      h.clock.advance(1000);
      const a = (await post({ attachment: { volume_uuid: shared.id, instance_uuid: instance, connector: { host: `host-${instance.slice(0, 1)}` } } })).body.attachment;
      await h.call('POST', `/volume/v3/attachments/${a.id}/action`, { mv: MV, body: { 'os-complete': null } });
      ids.push(a.id);
    }
    const first = await h.call('GET', '/volume/v3/attachments?limit=1', { mv: MV });
    assert.deepEqual(first.body.attachments.map((x: any) => x.id), [ids[0]]);
    assert.deepEqual(first.body.attachments_links, [{ rel: 'next', href: `http://cloud.test/volume/v3/attachments?limit=1&marker=${ids[0]}` }]);
    const second = await h.call('GET', `/volume/v3/attachments?limit=1&marker=${ids[0]}`, { mv: MV });
    assert.deepEqual(second.body.attachments.map((x: any) => x.id), [ids[1]]);
    assert.equal(second.body.attachments_links, undefined);
  });
});
