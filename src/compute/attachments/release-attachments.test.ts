import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { TesseraError } from '../../common/errors.js';
import { attachPort } from './port-attachment.js';
import { releasePorts, releaseVolumes } from './release-attachments.js';
import { ADMIN, DEFAULT_NETWORK_ID, MEMBER, startAttachmentHarness, type AttachmentHarness } from './attachment-harness.test.js';
import { attachVolume } from './volume-attachment.js';

describe('releasing every attachment of an instance (deletion)', () => {
  let h: AttachmentHarness;
  before(async () => {
    h = await startAttachmentHarness();
  });
  after(async () => {
    await h?.close();
  });
  beforeEach(() => h.faults.disarm());

  const status = async (volumeId: string) => (await h.volumes.get(ADMIN, volumeId).catch((err: unknown) => (err instanceof TesseraError ? { status: err.code } : Promise.reject(err)))).status;

  it('detaches every volume after the guest is gone, and deletes those marked delete_on_termination', async () => {
    const instance = await h.instance();
    const keep = (await h.volumes.create(MEMBER, { size: 1 })).id;
    const drop = (await h.volumes.create(MEMBER, { size: 1 })).id;
    await attachVolume(h.volumeDeps, MEMBER, { instance, volumeId: keep });
    await attachVolume(h.volumeDeps, MEMBER, { instance, volumeId: drop, deleteOnTermination: true });
    await h.driver.destroy(instance.uuid);
    await releaseVolumes(h.volumeDeps, MEMBER, instance.uuid, { driverDetach: false });
    assert.equal(await status(keep), 'available');
    assert.equal(await status(drop), 'volume.not_found');
    assert.deepEqual(await h.repos.bdms.list(instance.uuid), []);
  });

  it('tries every volume when one fails, and rethrows; a retry finishes', async () => {
    const instance = await h.instance();
    const a = (await h.volumes.create(MEMBER, { size: 1 })).id;
    const b = (await h.volumes.create(MEMBER, { size: 1 })).id;
    await attachVolume(h.volumeDeps, MEMBER, { instance, volumeId: a });
    await attachVolume(h.volumeDeps, MEMBER, { instance, volumeId: b });
    h.faults.arm('volume.attachment_delete');
    await assert.rejects(releaseVolumes(h.volumeDeps, MEMBER, instance.uuid), (err) => err instanceof TesseraError && err.code === 'fault.injected');
    assert.deepEqual([await status(a), await status(b)], ['in-use', 'available']);
    await releaseVolumes(h.volumeDeps, MEMBER, instance.uuid);
    assert.equal(await status(a), 'available');
  });

  it('deletes the ports it created and unbinds the user\'s', async () => {
    const instance = await h.instance();
    const created = await attachPort(h.portDeps, MEMBER, { instance, networkId: DEFAULT_NETWORK_ID });
    const mine = await h.network.client().createPort(MEMBER, { network_id: DEFAULT_NETWORK_ID });
    await attachPort(h.portDeps, MEMBER, { instance, portId: mine.id });
    await h.driver.destroy(instance.uuid);
    await releasePorts(h.portDeps, MEMBER, instance.uuid, { driverDetach: false });
    await assert.rejects(h.network.client().getPort(ADMIN, created.port.id), (err) => err instanceof TesseraError && err.code === 'network.port_not_found');
    const kept = await h.network.client().getPort(ADMIN, mine.id);
    assert.deepEqual([kept.device_id, kept['binding:host_id']], ['', '']);
    assert.deepEqual(await h.repos.vifs.list(instance.uuid), []);
    assert.deepEqual((await h.repos.vifs.networkInfoFor([instance.uuid])).get(instance.uuid), []);
  });
});
