import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { InjectedFaultError } from '../common/errors.js';
import { CLIENT_FAULT_POINTS } from './local-volume-client.js';
import { ADMIN, ALICE, BOB, INSTANCE_1, hasCode, startVolumeHarness, type VolumeHarness } from './volume-harness.test.js';

const connector = { host: 'cell1-compute1', mountpoint: '/dev/vdb', initiator: 'iqn.test' };

describe('LocalVolumeClient', () => {
  let h: VolumeHarness;
  beforeEach(async () => {
    h = await startVolumeHarness();
  });
  afterEach(async () => h.close());

  it('runs Nova\'s attach and detach sequence, with the connection info in Nova\'s shape', async () => {
    const volume = await h.client.create(ALICE, { size: 1, name: 'root' });
    assert.equal(volume.status, 'available');
    assert.deepEqual(volume.attachments, []);
    const reserved = await h.client.attachmentCreate(ALICE, volume.id, INSTANCE_1);
    assert.equal(reserved.status, 'reserved');
    assert.equal(reserved.connectionInfo, null);
    assert.equal((await h.client.get(ALICE, volume.id)).status, 'reserved');

    const connected = await h.client.attachmentUpdate(ALICE, reserved.id, connector);
    assert.equal(connected.host, 'cell1-compute1');
    assert.equal(connected.connectionInfo?.driver_volume_type, 'fake');
    assert.equal(connected.connectionInfo?.data['attachment_id'], reserved.id);
    assert.equal(connected.connectionInfo?.data['access_mode'], 'rw');
    assert.equal('driver_volume_type' in (connected.connectionInfo?.data ?? {}), false);

    await h.client.attachmentComplete(ALICE, reserved.id);
    const inUse = await h.client.get(ALICE, volume.id);
    assert.equal(inUse.status, 'in-use');
    assert.deepEqual(inUse.attachments, [{ attachmentId: reserved.id, instanceUuid: INSTANCE_1, status: 'attached', host: 'cell1-compute1', mountpoint: '/dev/vdb' }]);
    assert.deepEqual((await h.client.attachmentList(ALICE, { instanceUuid: INSTANCE_1 })).map((a) => a.id), [reserved.id]);
    assert.equal((await h.client.attachmentGet(ALICE, reserved.id)).status, 'attached');

    await h.client.attachmentDelete(ALICE, reserved.id);
    assert.deepEqual(await h.client.attachmentList(ALICE, { volumeId: volume.id }), []);
    await h.client.delete(ALICE, volume.id);
    await assert.rejects(h.client.get(ALICE, volume.id), hasCode('volume.not_found', 404));
  });

  it('lists every project\'s attachments of an instance for an admin context', async () => {
    const volume = await h.client.create(ALICE, { size: 1 });
    const a = await h.client.attachmentCreate(ALICE, volume.id, INSTANCE_1);
    assert.deepEqual((await h.client.attachmentList(ADMIN, { instanceUuid: INSTANCE_1 })).map((x) => x.id), [a.id]);
    assert.deepEqual(await h.client.attachmentList(BOB, { instanceUuid: INSTANCE_1 }), []);
  });

  it('reports a backend failure on create and delete, leaving the volume in Cinder\'s error status', async () => {
    h.faults.arm('volume.backend.create_volume');
    let failedId = '';
    await assert.rejects(h.client.create(ALICE, { size: 1 }), (err: unknown) => {
      hasCode('volume.create_failed', 500)(err);
      failedId = String((err as { details?: Record<string, unknown> }).details?.['volume_id']);
      return true;
    });
    assert.equal((await h.client.get(ALICE, failedId)).status, 'error');
    h.faults.arm('volume.backend.delete_volume');
    await assert.rejects(h.client.delete(ALICE, failedId), hasCode('volume.delete_failed', 500));
    assert.equal((await h.client.get(ALICE, failedId)).status, 'error_deleting');
    await h.client.delete(ALICE, failedId);
  });

  it('fails any one call at its fault point, before it changes anything', async () => {
    const volume = await h.client.create(ALICE, { size: 1 });
    const attachment = await h.client.attachmentCreate(ALICE, volume.id, INSTANCE_1);
    const snapshot = async () => ({ volumes: await h.store.volumes.count(), status: (await h.store.volumes.get(volume.id)).status, attachments: (await h.store.attachments.ofVolume(volume.id)).map((a) => [a.id, a.attach_status]) });
    const calls: Record<(typeof CLIENT_FAULT_POINTS)[number], () => Promise<unknown>> = {
      'volume.get': () => h.client.get(ALICE, volume.id),
      'volume.create': () => h.client.create(ALICE, { size: 1 }),
      'volume.delete': () => h.client.delete(ALICE, volume.id),
      'volume.attachment_create': () => h.client.attachmentCreate(ALICE, volume.id, INSTANCE_1),
      'volume.attachment_update': () => h.client.attachmentUpdate(ALICE, attachment.id, connector),
      'volume.attachment_complete': () => h.client.attachmentComplete(ALICE, attachment.id),
      'volume.attachment_delete': () => h.client.attachmentDelete(ALICE, attachment.id),
      'volume.attachment_get': () => h.client.attachmentGet(ALICE, attachment.id),
      'volume.attachment_list': () => h.client.attachmentList(ALICE, { instanceUuid: INSTANCE_1 }),
    };
    assert.deepEqual(Object.keys(calls).sort(), [...CLIENT_FAULT_POINTS].sort());
    for (const point of CLIENT_FAULT_POINTS) {
      const before = await snapshot();
      h.faults.arm(point);
      await assert.rejects(calls[point](), (err: unknown) => err instanceof InjectedFaultError && err.message === `Injected failure in ${point}`, point);
      assert.deepEqual(await snapshot(), before, `${point} changed nothing`);
      assert.deepEqual(h.faults.list(), [], `${point} was used up`);
    }
    // Disarmed, the same calls work.
    await h.client.attachmentUpdate(ALICE, attachment.id, connector);
    await h.client.attachmentComplete(ALICE, attachment.id);
    assert.equal((await h.client.get(ALICE, volume.id)).status, 'in-use');
  });
});
