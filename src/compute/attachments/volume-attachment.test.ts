import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { TesseraError } from '../../common/errors.js';
import type { BlockDeviceMappingRepo } from '../../db/cell/block-device-mapping-repo.js';
import { ADMIN, MEMBER, startAttachmentHarness, type AttachmentHarness } from './attachment-harness.test.js';
import { attachVolume, detachVolume, type VolumeAttachmentDeps } from './volume-attachment.js';

const hasCode = (code: string) => (err: unknown) => err instanceof TesseraError && err.code === code;

describe('volume attachment (compute side)', () => {
  let h: AttachmentHarness;
  before(async () => {
    h = await startAttachmentHarness();
  });
  after(async () => {
    await h?.close();
  });
  beforeEach(() => h.faults.disarm());

  const newVolume = async () => (await h.volumes.create(MEMBER, { size: 1, name: 'data' })).id;
  const volumeState = async (id: string) => {
    const v = await h.volumes.get(ADMIN, id);
    return { status: v.status, attachments: v.attachments.length };
  };

  it('attaches with its own attachment: volume in-use, disk in the guest, mapping recorded', async () => {
    const instance = await h.instance();
    const volumeId = await newVolume();
    const bdm = await attachVolume(h.volumeDeps, MEMBER, { instance, volumeId, tag: 'db' });
    assert.equal(bdm.device_name, '/dev/vdb');
    assert.equal(bdm.volume_id, volumeId);
    assert.equal(bdm.tag, 'db');
    assert.equal(bdm.source_type, 'volume');
    assert.equal(bdm.destination_type, 'volume');
    assert.equal(bdm.delete_on_termination, false);
    assert.equal(bdm.connection_info?.['driver_volume_type'], 'fake');
    const attachments = await h.volumes.attachmentList(ADMIN, { volumeId });
    assert.deepEqual(attachments.map((a) => [a.id, a.status, a.host, a.mountpoint, a.instanceUuid]), [[bdm.attachment_id, 'attached', 'cell1-compute1', '/dev/vdb', instance.uuid]]);
    assert.equal((await h.volumes.get(MEMBER, volumeId)).status, 'in-use');
    assert.deepEqual(h.guest(instance.uuid).volumes, [{ mountpoint: '/dev/vdb', volumeId }]);
    assert.deepEqual((await h.repos.bdms.list(instance.uuid)).map((b) => b.uuid), [bdm.uuid]);
  });

  it('uses the attachment the API reserved, the requested device and delete_on_termination', async () => {
    const instance = await h.instance();
    const volumeId = await newVolume();
    const reserved = await h.volumes.attachmentCreate(MEMBER, volumeId, instance.uuid);
    assert.equal((await h.volumes.get(MEMBER, volumeId)).status, 'reserved');
    const bdm = await attachVolume(h.volumeDeps, MEMBER, { instance, volumeId, attachmentId: reserved.id, device: '/dev/vdd', deleteOnTermination: true });
    assert.equal(bdm.attachment_id, reserved.id);
    assert.equal(bdm.device_name, '/dev/vdd');
    assert.equal(bdm.delete_on_termination, true);
    assert.equal(bdm.tag, null);
    assert.deepEqual(await volumeState(volumeId), { status: 'in-use', attachments: 1 });
  });

  it('gives two concurrent attaches to one instance two different devices', async () => {
    const instance = await h.instance();
    const [a, b] = [await newVolume(), await newVolume()];
    const bdms = await Promise.all([attachVolume(h.volumeDeps, MEMBER, { instance, volumeId: a }), attachVolume(h.volumeDeps, MEMBER, { instance, volumeId: b })]);
    assert.deepEqual(bdms.map((x) => x.device_name).sort(), ['/dev/vdb', '/dev/vdc']);
    assert.equal(h.guest(instance.uuid).volumes.length, 2);
  });

  it('skips the letters of the flavor\'s ephemeral disk', async () => {
    const instance = await h.instance({ ephemeralGb: 1 });
    const bdm = await attachVolume(h.volumeDeps, MEMBER, { instance, volumeId: await newVolume() });
    assert.equal(bdm.device_name, '/dev/vdc');
  });

  it('refuses a requested device in use, before touching the volume', async () => {
    const instance = await h.instance();
    await attachVolume(h.volumeDeps, MEMBER, { instance, volumeId: await newVolume() });
    const volumeId = await newVolume();
    await assert.rejects(attachVolume(h.volumeDeps, MEMBER, { instance, volumeId, device: '/dev/vdb' }), hasCode('compute.device_path_in_use'));
    assert.deepEqual(await volumeState(volumeId), { status: 'available', attachments: 0 });
  });

  it('fills in an existing mapping without the driver when asked (boot)', async () => {
    const instance = await h.instance();
    const volumeId = await newVolume();
    const existing = await h.repos.bdms.create({ instance_uuid: instance.uuid, source_type: 'volume', destination_type: 'volume', volume_id: volumeId, boot_index: 1, device_name: '/dev/vdb', tag: 'boot-tag' });
    const bdm = await attachVolume(h.volumeDeps, MEMBER, { instance, volumeId, bdm: existing, driverAttach: false });
    assert.equal(bdm.uuid, existing.uuid);
    assert.equal(bdm.device_name, '/dev/vdb');
    assert.equal(bdm.tag, 'boot-tag');
    assert.ok(bdm.attachment_id !== null && bdm.connection_info !== null);
    assert.deepEqual(h.guest(instance.uuid).volumes, [], 'the driver was not asked');
    assert.equal((await h.volumes.get(MEMBER, volumeId)).status, 'in-use');
  });

  describe('a failure at any step leaves nothing behind', () => {
    const failingBdms = (repo: BlockDeviceMappingRepo): BlockDeviceMappingRepo =>
      Object.assign(Object.create(repo) as BlockDeviceMappingRepo, { create: () => Promise.reject(new Error('cell database unavailable')) });
    const steps: { name: string; arm?: string; deps?: (d: VolumeAttachmentDeps) => VolumeAttachmentDeps }[] = [
      { name: 'volume.attachment_create', arm: 'volume.attachment_create' },
      { name: 'volume.attachment_update', arm: 'volume.attachment_update' },
      { name: 'virt.attach_volume', arm: 'virt.attach_volume' },
      { name: 'volume.attachment_complete', arm: 'volume.attachment_complete' },
      { name: 'saving the mapping', deps: (d) => ({ ...d, bdms: failingBdms(d.bdms) }) },
    ];
    for (const step of steps) {
      it(`${step.name}: the volume is available again, no disk, no mapping`, async () => {
        const instance = await h.instance();
        const volumeId = await newVolume();
        if (step.arm !== undefined) h.faults.arm(step.arm);
        const deps = step.deps?.(h.volumeDeps) ?? h.volumeDeps;
        await assert.rejects(attachVolume(deps, MEMBER, { instance, volumeId, tag: 't' }), (err) => err instanceof Error);
        assert.deepEqual(await volumeState(volumeId), { status: 'available', attachments: 0 });
        assert.deepEqual(h.guest(instance.uuid).volumes, []);
        assert.deepEqual(await h.repos.bdms.list(instance.uuid), []);
        // The same attach then goes through.
        const bdm = await attachVolume(h.volumeDeps, MEMBER, { instance, volumeId });
        assert.equal(bdm.device_name, '/dev/vdb');
      });
    }

    it('a failure with the API\'s reservation leaves the reservation (only) for the API to delete', async () => {
      const instance = await h.instance();
      const volumeId = await newVolume();
      const reserved = await h.volumes.attachmentCreate(MEMBER, volumeId, instance.uuid);
      h.faults.arm('volume.attachment_complete');
      await assert.rejects(attachVolume(h.volumeDeps, MEMBER, { instance, volumeId, attachmentId: reserved.id }), hasCode('fault.injected'));
      assert.deepEqual((await h.volumes.attachmentList(ADMIN, { volumeId })).map((a) => a.id), [reserved.id]);
      assert.deepEqual(h.guest(instance.uuid).volumes, []);
      assert.deepEqual(await h.repos.bdms.list(instance.uuid), []);
      await h.volumes.attachmentDelete(MEMBER, reserved.id);
      assert.deepEqual(await volumeState(volumeId), { status: 'available', attachments: 0 });
    });

    it('a failed mapping update leaves an existing mapping as it was', async () => {
      const instance = await h.instance();
      const volumeId = await newVolume();
      const existing = await h.repos.bdms.create({ instance_uuid: instance.uuid, source_type: 'volume', destination_type: 'volume', volume_id: volumeId, boot_index: 0, device_name: '/dev/vda' });
      const deps = { ...h.volumeDeps, bdms: Object.assign(Object.create(h.repos.bdms) as BlockDeviceMappingRepo, { update: () => Promise.reject(new Error('cell database unavailable')) }) };
      await assert.rejects(attachVolume(deps, MEMBER, { instance, volumeId, bdm: existing, driverAttach: false }), /unavailable/);
      assert.deepEqual(await h.repos.bdms.list(instance.uuid), [existing]);
      assert.deepEqual(await volumeState(volumeId), { status: 'available', attachments: 0 });
    });
  });

  describe('detach', () => {
    it('disconnects the disk, deletes the attachment (volume available) and destroys the mapping', async () => {
      const instance = await h.instance();
      const volumeId = await newVolume();
      const keep = await attachVolume(h.volumeDeps, MEMBER, { instance, volumeId: await newVolume() });
      const bdm = await attachVolume(h.volumeDeps, MEMBER, { instance, volumeId });
      const gone = await detachVolume(h.volumeDeps, MEMBER, { instanceUuid: instance.uuid, volumeId });
      assert.equal(gone.uuid, bdm.uuid);
      assert.deepEqual(await volumeState(volumeId), { status: 'available', attachments: 0 });
      assert.deepEqual(h.guest(instance.uuid).volumes.map((v) => v.mountpoint), [keep.device_name]);
      assert.deepEqual((await h.repos.bdms.list(instance.uuid)).map((b) => b.uuid), [keep.uuid]);
    });

    it('refuses a volume the instance does not have', async () => {
      const instance = await h.instance();
      await assert.rejects(detachVolume(h.volumeDeps, MEMBER, { instanceUuid: instance.uuid, volumeId: await newVolume() }), hasCode('compute.volume_not_attached'));
    });

    for (const fault of ['virt.detach_volume', 'volume.attachment_delete']) {
      it(`${fault} fails: nothing changed (disk connected, volume in-use, mapping kept), and a retry detaches`, async () => {
        const instance = await h.instance();
        const volumeId = await newVolume();
        const bdm = await attachVolume(h.volumeDeps, MEMBER, { instance, volumeId });
        h.faults.arm(fault);
        await assert.rejects(detachVolume(h.volumeDeps, MEMBER, { instanceUuid: instance.uuid, volumeId }), hasCode('fault.injected'));
        assert.deepEqual(await volumeState(volumeId), { status: 'in-use', attachments: 1 });
        assert.deepEqual(h.guest(instance.uuid).volumes, [{ mountpoint: '/dev/vdb', volumeId }]);
        assert.deepEqual((await h.repos.bdms.list(instance.uuid)).map((b) => b.uuid), [bdm.uuid]);
        await detachVolume(h.volumeDeps, MEMBER, { instanceUuid: instance.uuid, volumeId });
        assert.deepEqual(await volumeState(volumeId), { status: 'available', attachments: 0 });
      });
    }

    it('finishes a detach whose disk and attachment are already gone', async () => {
      const instance = await h.instance();
      const volumeId = await newVolume();
      const bdm = await attachVolume(h.volumeDeps, MEMBER, { instance, volumeId });
      await h.driver.detachVolume(instance.uuid, '/dev/vdb');
      await h.volumes.attachmentDelete(MEMBER, bdm.attachment_id as string);
      await detachVolume(h.volumeDeps, MEMBER, { instanceUuid: instance.uuid, volumeId });
      assert.deepEqual(await h.repos.bdms.list(instance.uuid), []);
    });

    it('skips the driver when the guest is gone (driverDetach false)', async () => {
      const instance = await h.instance();
      const volumeId = await newVolume();
      await attachVolume(h.volumeDeps, MEMBER, { instance, volumeId });
      h.faults.arm('virt.detach_volume', { times: Infinity });
      await detachVolume(h.volumeDeps, MEMBER, { instanceUuid: instance.uuid, volumeId, driverDetach: false });
      h.faults.disarm();
      assert.deepEqual(await volumeState(volumeId), { status: 'available', attachments: 0 });
    });
  });
});
