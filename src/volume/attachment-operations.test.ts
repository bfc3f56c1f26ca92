import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { VolumeRecord } from './volume-record.js';
import { ADMIN, ALICE, BOB, INSTANCE_1, INSTANCE_2, READER, hasCode, startVolumeHarness, type VolumeHarness } from './volume-harness.test.js';

const connector = (host: string, extra: Record<string, unknown> = {}) => ({ host, mountpoint: '/dev/vdb', initiator: 'iqn.1993-08.org.debian:01:test', ...extra });

describe('AttachmentOperations', () => {
  let h: VolumeHarness;
  let volume: VolumeRecord;
  beforeEach(async () => {
    h = await startVolumeHarness();
    volume = await h.volumes.create(ALICE, { size: 1, name: 'data' });
  });
  afterEach(async () => h.close());

  const status = async (id = volume.id) => (await h.store.volumes.get(id)).status;

  describe('the happy path through the status machine', () => {
    it('reserve, connect, complete, detach: available → reserved → attaching → in-use → available', async () => {
      const reserved = await h.attachments.create(ALICE, { volumeId: volume.id, instanceUuid: INSTANCE_1 });
      assert.deepEqual([reserved.attach_status, reserved.attach_mode, reserved.connection_info, reserved.attached_host], ['reserved', 'null', null, null]);
      assert.equal(await status(), 'reserved');

      const connected = await h.attachments.update(ALICE, reserved.id, connector('cell1-compute1'));
      assert.equal(connected.attach_status, 'attaching');
      assert.equal(connected.attached_host, 'cell1-compute1');
      assert.equal(connected.mountpoint, '/dev/vdb');
      assert.equal(connected.attach_mode, 'rw');
      assert.deepEqual(connected.connection_info, {
        driver_volume_type: 'fake', volume_id: volume.id, target: `tessera:volume-${volume.id}`, access_mode: 'rw', encrypted: false,
        qos_specs: null, cacheable: false, discard: false, attachment_id: reserved.id, enforce_multipath: false,
      });
      assert.equal(await status(), 'attaching');

      const done = await h.attachments.complete(ALICE, reserved.id);
      assert.equal(done.attach_status, 'attached');
      assert.notEqual(done.attach_time, null);
      assert.equal(await status(), 'in-use');

      assert.deepEqual(await h.attachments.delete(ALICE, reserved.id), []);
      assert.equal(await status(), 'available');
      await assert.rejects(h.attachments.get(ALICE, reserved.id), hasCode('volume.attachment_not_found', 404));
    });

    it('connects at once when created with a connector: attaching, in read-only mode if asked', async () => {
      const a = await h.attachments.create(ALICE, { volumeId: volume.id, instanceUuid: INSTANCE_1, connector: connector('h1'), mode: 'ro' });
      assert.equal(a.attach_status, 'attaching');
      assert.equal(a.attach_mode, 'ro');
      assert.equal(a.connection_info?.['access_mode'], 'ro');
      assert.equal(a.connector?.mode, 'ro');
      assert.equal(await status(), 'attaching');
      await h.attachments.complete(ALICE, a.id);
      assert.equal(await status(), 'in-use');
    });

    it('deleting a reserved attachment frees the volume without touching the backend', async () => {
      const a = await h.attachments.create(ALICE, { volumeId: volume.id, instanceUuid: INSTANCE_1 });
      h.faults.arm('volume.backend.terminate_connection');
      await h.attachments.delete(ALICE, a.id);
      assert.equal(await status(), 'available');
      assert.deepEqual(h.faults.list().map((f) => f.operation), ['volume.backend.terminate_connection'], 'the backend was not called');
    });
  });

  describe('refused transitions', () => {
    it('a volume in use by one instance cannot be attached to another', async () => {
      const a = await h.attachments.create(ALICE, { volumeId: volume.id, instanceUuid: INSTANCE_1 });
      const message = `Invalid volume: Volume ${volume.id} status must be available to reserve, but the current status is reserved.`;
      await assert.rejects(h.attachments.create(ALICE, { volumeId: volume.id, instanceUuid: INSTANCE_2 }), (err: unknown) => hasCode('volume.invalid_state', 400)(err) && (err as Error).message === message);
      await h.attachments.update(ALICE, a.id, connector('h1'));
      await h.attachments.complete(ALICE, a.id);
      await assert.rejects(h.attachments.create(ALICE, { volumeId: volume.id, instanceUuid: INSTANCE_2 }), hasCode('volume.invalid_state', 400));
      await assert.rejects(h.attachments.create(ALICE, { volumeId: volume.id, instanceUuid: null }), hasCode('volume.invalid_state', 400));
      assert.equal((await h.store.attachments.ofVolume(volume.id)).length, 1, 'nothing was added');
      assert.equal(await status(), 'in-use');
    });

    it('the same instance may get a second attachment for another host (a move), but never two on one host', async () => {
      const first = await h.attachments.create(ALICE, { volumeId: volume.id, instanceUuid: INSTANCE_1, connector: connector('src-host') });
      await h.attachments.complete(ALICE, first.id);
      const second = await h.attachments.create(ALICE, { volumeId: volume.id, instanceUuid: INSTANCE_1 });
      assert.equal(await status(), 'in-use', 'the attached one still decides');
      await assert.rejects(h.attachments.update(ALICE, second.id, connector('src-host')), (err: unknown) => hasCode('volume.conflict', 409)(err) && /duplicate connectors detected/.test((err as Error).message));
      assert.equal((await h.store.attachments.get(second.id)).attach_status, 'reserved', 'the refused connection changed nothing');
      await assert.rejects(h.attachments.create(ALICE, { volumeId: volume.id, instanceUuid: INSTANCE_1, connector: connector('src-host') }), hasCode('volume.conflict', 409));
      await h.attachments.update(ALICE, second.id, connector('dest-host'));
      await h.attachments.complete(ALICE, second.id);
      await h.attachments.delete(ALICE, first.id);
      assert.equal(await status(), 'in-use');
      await h.attachments.delete(ALICE, second.id);
      assert.equal(await status(), 'available');
    });

    it('a multiattach volume takes a second instance while in use, one attachment per host', async () => {
      const shared = await h.store.volumes.create({ id: '33333333-3333-4333-8333-333333333333', project_id: 'p-a', user_id: 'u-alice', size: 1, status: 'available', availability_zone: 'nova', host: 'h', multiattach: true });
      const a = await h.attachments.create(ALICE, { volumeId: shared.id, instanceUuid: INSTANCE_1, connector: connector('h1') });
      await h.attachments.complete(ALICE, a.id);
      const b = await h.attachments.create(ALICE, { volumeId: shared.id, instanceUuid: INSTANCE_2 });
      await assert.rejects(h.attachments.update(ALICE, b.id, connector('h1')), hasCode('volume.conflict', 409));
      await h.attachments.update(ALICE, b.id, connector('h2'));
      await h.attachments.complete(ALICE, b.id);
      assert.equal(await status(shared.id), 'in-use');
      assert.deepEqual((await h.store.attachments.ofVolume(shared.id)).map((x) => x.attached_host).sort(), ['h1', 'h2']);
    });

    it('a volume in error or being created takes no attachment, and an attachment cannot connect to one in error', async () => {
      const reserved = await h.attachments.create(ALICE, { volumeId: volume.id, instanceUuid: INSTANCE_1 });
      await h.store.volumes.setStatus(volume.id, 'error');
      await assert.rejects(h.attachments.update(ALICE, reserved.id, connector('h1')), (err: unknown) => hasCode('volume.conflict', 409)(err) && /can not be updated if the volume is in an error state/.test((err as Error).message));
      await h.attachments.delete(ALICE, reserved.id);
      assert.equal(await status(), 'error', 'deleting its attachment does not hide the error');
      await assert.rejects(h.attachments.create(ALICE, { volumeId: volume.id, instanceUuid: INSTANCE_1 }), (err: unknown) => hasCode('volume.invalid_state', 400)(err) && /can not be created if the volume is in an error state/.test((err as Error).message));
      await h.store.volumes.setStatus(volume.id, 'creating');
      await assert.rejects(h.attachments.create(ALICE, { volumeId: volume.id, instanceUuid: INSTANCE_1 }), hasCode('volume.invalid_state', 400));
    });

    it('only a connected attachment can be completed', async () => {
      const a = await h.attachments.create(ALICE, { volumeId: volume.id, instanceUuid: INSTANCE_1 });
      await assert.rejects(h.attachments.complete(ALICE, a.id), (err: unknown) => hasCode('volume.conflict', 409)(err) && /has no connection to complete/.test((err as Error).message));
      assert.equal((await h.store.attachments.get(a.id)).attach_status, 'reserved');
      assert.equal(await status(), 'reserved');
    });

    it('an attachment being deleted can be neither updated, completed nor deleted again', async () => {
      const a = await h.attachments.create(ALICE, { volumeId: volume.id, instanceUuid: INSTANCE_1, connector: connector('h1') });
      await h.store.attachments.setStatus(a.id, 'detaching');
      await assert.rejects(h.attachments.update(ALICE, a.id, connector('h1')), hasCode('volume.conflict', 409));
      await assert.rejects(h.attachments.complete(ALICE, a.id), hasCode('volume.conflict', 409));
      await assert.rejects(h.attachments.delete(ALICE, a.id), hasCode('volume.conflict', 409));
    });

    it('two instances racing for one volume: exactly one gets it', async () => {
      const results = await Promise.allSettled([INSTANCE_1, INSTANCE_2].map((instanceUuid) => h.attachments.create(ALICE, { volumeId: volume.id, instanceUuid })));
      assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
      assert.equal((await h.store.attachments.ofVolume(volume.id)).length, 1);
    });
  });

  describe('backend failures', () => {
    it('a failed connection changes nothing: create with a connector leaves no attachment, update leaves it reserved', async () => {
      h.faults.arm('volume.backend.initialize_connection');
      await assert.rejects(h.attachments.create(ALICE, { volumeId: volume.id, instanceUuid: INSTANCE_1, connector: connector('h1') }), hasCode('fault.injected', 500));
      assert.deepEqual(await h.store.attachments.ofVolume(volume.id), []);
      assert.equal(await status(), 'available');

      const a = await h.attachments.create(ALICE, { volumeId: volume.id, instanceUuid: INSTANCE_1 });
      h.faults.arm('volume.backend.initialize_connection', { host: 'h1' });
      await assert.rejects(h.attachments.update(ALICE, a.id, connector('h1')), hasCode('fault.injected', 500));
      const after = await h.store.attachments.get(a.id);
      assert.deepEqual([after.attach_status, after.attached_host, after.connection_info], ['reserved', null, null]);
      assert.equal(await status(), 'reserved');
    });

    it('a failed disconnection keeps the attachment as it was', async () => {
      const a = await h.attachments.create(ALICE, { volumeId: volume.id, instanceUuid: INSTANCE_1, connector: connector('h1') });
      await h.attachments.complete(ALICE, a.id);
      h.faults.arm('volume.backend.terminate_connection');
      await assert.rejects(h.attachments.delete(ALICE, a.id), hasCode('fault.injected', 500));
      assert.equal((await h.store.attachments.get(a.id)).attach_status, 'attached');
      assert.equal(await status(), 'in-use');
      await h.attachments.delete(ALICE, a.id);
      assert.equal(await status(), 'available');
    });
  });

  describe('policy and scoping', () => {
    it('members of another project see neither the volume nor its attachments', async () => {
      const a = await h.attachments.create(ALICE, { volumeId: volume.id, instanceUuid: INSTANCE_1 });
      await assert.rejects(h.attachments.create(BOB, { volumeId: volume.id, instanceUuid: INSTANCE_2 }), hasCode('volume.not_found', 404));
      await assert.rejects(h.attachments.get(BOB, a.id), hasCode('volume.attachment_not_found', 404));
      await assert.rejects(h.attachments.update(BOB, a.id, connector('h1')), hasCode('volume.attachment_not_found', 404));
      await assert.rejects(h.attachments.delete(BOB, a.id), hasCode('volume.attachment_not_found', 404));
      assert.deepEqual((await h.attachments.list(BOB, { allTenants: true })).attachments, []);
      assert.equal((await h.attachments.get(ADMIN, a.id)).id, a.id);
      assert.deepEqual((await h.attachments.list(ADMIN)).attachments, [], 'an admin lists its own project without all_tenants');
      assert.deepEqual((await h.attachments.list(ADMIN, { allTenants: true, instanceUuid: INSTANCE_1 })).attachments.map((x) => x.id), [a.id]);
    });

    it('readers read attachments but cannot change them', async () => {
      const a = await h.attachments.create(ALICE, { volumeId: volume.id, instanceUuid: INSTANCE_1 });
      assert.equal((await h.attachments.get(READER, a.id)).id, a.id);
      await assert.rejects(h.attachments.create(READER, { volumeId: volume.id, instanceUuid: INSTANCE_1 }), hasCode('policy.forbidden', 403));
      await assert.rejects(h.attachments.update(READER, a.id, connector('h1')), hasCode('policy.forbidden', 403));
      await assert.rejects(h.attachments.complete(READER, a.id), hasCode('policy.forbidden', 403));
      await assert.rejects(h.attachments.delete(READER, a.id), hasCode('policy.forbidden', 403));
      assert.equal((await h.store.attachments.get(a.id)).attach_status, 'reserved');
    });
  });
});
