import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ADMIN, ALICE, BOB, INSTANCE_1, READER, hasCode, imageView, startVolumeHarness, type VolumeHarness } from './volume-harness.test.js';

const IMAGE = '5e1b3c66-0c0f-4d7a-9d4c-2b4a3b8f3c01';
const GIB = 1024 ** 3;

describe('VolumeOperations', () => {
  let h: VolumeHarness;
  beforeEach(async () => {
    h = await startVolumeHarness({ limits: { volumes: 3, gigabytes: 10 } });
  });
  afterEach(async () => h.close());

  const usage = async (project: string) => h.store.usages.usage(project);

  describe('create', () => {
    it('creates a blank volume available, in the caller\'s project, counted against its quota', async () => {
      const v = await h.volumes.create(ALICE, { size: 2, name: 'data', description: 'd', metadata: { tier: 'gold' } });
      assert.equal(v.status, 'available');
      assert.equal(v.project_id, 'p-a');
      assert.equal(v.user_id, 'u-alice');
      assert.equal(v.availability_zone, 'nova');
      assert.equal(v.host, 'testhost@fake#fake');
      assert.equal(v.bootable, false);
      assert.deepEqual(v.metadata, { tier: 'gold' });
      assert.deepEqual(await usage('p-a'), { volumes: 1, gigabytes: 2 });
    });

    it('creates a bootable volume from an image, by id, URL or unique name, copying its properties', async () => {
      h.images.add(imageView({ id: IMAGE, name: 'cirros', size: GIB + 1, min_disk: 1, hw_disk_bus: 'virtio' }));
      for (const ref of [IMAGE, `http://glance.test/v2/images/${IMAGE}`, 'cirros']) {
        const v = await h.volumes.create(ALICE, { size: 2, imageRef: ref });
        assert.equal(v.bootable, true, ref);
        assert.equal(v.image_id, IMAGE, ref);
        assert.deepEqual(v.image_metadata, {
          image_id: IMAGE, image_name: 'cirros', checksum: 'abc', container_format: 'bare', disk_format: 'qcow2',
          min_disk: '1', min_ram: '0', size: String(GIB + 1), hw_disk_bus: 'virtio',
        });
      }
    });

    it('refuses an image it cannot use, creating nothing', async () => {
      h.images.add(imageView({ id: IMAGE, status: 'queued' }));
      h.images.add(imageView({ id: '5e1b3c66-0c0f-4d7a-9d4c-2b4a3b8f3c02', name: 'big', size: 3 * GIB }));
      h.images.add(imageView({ id: '5e1b3c66-0c0f-4d7a-9d4c-2b4a3b8f3c03', name: 'needy', min_disk: 5 }));
      h.images.add(imageView({ id: '5e1b3c66-0c0f-4d7a-9d4c-2b4a3b8f3c04', name: 'private', visibility: 'private', owner: 'p-b' }));
      h.images.add(imageView({ id: '5e1b3c66-0c0f-4d7a-9d4c-2b4a3b8f3c05', name: 'twin' }));
      h.images.add(imageView({ id: '5e1b3c66-0c0f-4d7a-9d4c-2b4a3b8f3c06', name: 'twin' }));
      const refused = async (imageRef: string, code: string, status: number, message: string) => {
        await assert.rejects(h.volumes.create(ALICE, { size: 2, imageRef }), (err: unknown) => hasCode(code, status)(err) && (err as Error).message === message);
      };
      await refused(IMAGE, 'volume.invalid_input', 400, `Invalid input received: Image ${IMAGE} is not active.`);
      await refused('big', 'volume.invalid_input', 400, 'Invalid input received: Size of specified image 3GB is larger than volume size 2GB.');
      await refused('needy', 'volume.invalid_input', 400, 'Invalid input received: Volume size 2GB cannot be smaller than the image minDisk size 5GB.');
      await refused('5e1b3c66-0c0f-4d7a-9d4c-2b4a3b8f3c04', 'volume.invalid_image', 400, 'Invalid image identifier or unable to access requested image.');
      await refused('no-such-image', 'volume.invalid_image', 400, 'Invalid image identifier or unable to access requested image.');
      await refused('twin', 'volume.image_ambiguous', 409, "Multiple matches found for 'twin', use an ID to be more specific.");
      assert.equal(await h.store.volumes.count(), 0);
      assert.deepEqual(await usage('p-a'), { volumes: 0, gigabytes: 0 });
    });

    it('refuses a bad size, zone or type before anything is created', async () => {
      await assert.rejects(h.volumes.create(ALICE, { size: 0 }), hasCode('volume.invalid_input', 400));
      await assert.rejects(h.volumes.create(ALICE, { size: 1.5 }), hasCode('volume.invalid_input', 400));
      await assert.rejects(h.volumes.create(ALICE, { size: 1, availabilityZone: 'cell1' }), (err: unknown) => hasCode('volume.invalid_zone', 400)(err) && (err as Error).message === "Availability zone 'cell1' is invalid.");
      await assert.rejects(h.volumes.create(ALICE, { size: 1, volumeType: 'ssd' }), hasCode('volume.type_not_found', 404));
      assert.equal((await h.volumes.create(ALICE, { size: 1, volumeType: '__DEFAULT__', availabilityZone: 'nova' })).status, 'available');
      assert.equal(await h.store.volumes.count(), 1);
    });

    it('enforces the project\'s quota with Cinder\'s 413 messages, gigabytes first', async () => {
      await h.volumes.create(ALICE, { size: 6 });
      await assert.rejects(h.volumes.create(ALICE, { size: 5 }), (err: unknown) =>
        hasCode('volume.over_quota', 413)(err) && (err as Error).message === 'Requested volume or snapshot exceeds allowed gigabytes quota. Requested 5G, quota is 10G and 6G has been consumed.');
      await h.volumes.create(ALICE, { size: 1 });
      await h.volumes.create(ALICE, { size: 1 });
      await assert.rejects(h.volumes.create(ALICE, { size: 1 }), (err: unknown) =>
        hasCode('volume.over_quota', 413)(err) && (err as Error).message === "Maximum number of volumes allowed (3) exceeded for quota 'volumes'.");
      assert.deepEqual(await usage('p-a'), { volumes: 3, gigabytes: 8 });
      assert.equal(await h.store.volumes.count({ projectId: 'p-a' }), 3, 'the refused creates left no volume behind');
      assert.equal((await h.volumes.create(BOB, { size: 10 })).status, 'available', 'another project has its own quota');
    });

    it('refuses a volume larger than per_volume_size_limit', async () => {
      const small = await startVolumeHarness({ limits: { perVolumeGigabytes: 4 } });
      try {
        await assert.rejects(small.volumes.create(ALICE, { size: 5 }), (err: unknown) => hasCode('volume.size_limit', 413)(err) && (err as Error).message === 'Requested volume size 5G is larger than maximum allowed limit 4G.');
        assert.equal((await small.volumes.create(ALICE, { size: 4 })).size, 4);
      } finally {
        await small.close();
      }
    });

    it('leaves the volume in error when the backend fails, still counted until deleted', async () => {
      h.faults.arm('volume.backend.create_volume');
      const v = await h.volumes.create(ALICE, { size: 2 });
      assert.equal(v.status, 'error');
      assert.deepEqual(await usage('p-a'), { volumes: 1, gigabytes: 2 });
      assert.equal(await h.volumes.delete(ALICE, v.id), undefined);
      assert.deepEqual(await usage('p-a'), { volumes: 0, gigabytes: 0 });
    });

    it('is for members and admins, not readers', async () => {
      await assert.rejects(h.volumes.create(READER, { size: 1 }), hasCode('policy.forbidden', 403));
      assert.equal((await h.volumes.create(ADMIN, { size: 1 })).project_id, 'p-admin');
    });
  });

  describe('reading', () => {
    it('shows members their project\'s volumes only; admins every project\'s when they ask', async () => {
      const a = await h.volumes.create(ALICE, { size: 1, name: 'a' });
      const b = await h.volumes.create(BOB, { size: 1, name: 'b' });
      await assert.rejects(h.volumes.get(ALICE, b.id), hasCode('volume.not_found', 404));
      assert.equal((await h.volumes.get(READER, a.id)).id, a.id, 'a reader of the project reads');
      assert.equal((await h.volumes.get(ADMIN, b.id)).id, b.id);
      const names = async (ctx: typeof ALICE, req: Parameters<typeof h.volumes.list>[1] = {}) => (await h.volumes.list(ctx, req)).volumes.map((v) => v.name).sort();
      assert.deepEqual(await names(ALICE), ['a']);
      assert.deepEqual(await names(ALICE, { allTenants: true, projectId: 'p-b' }), ['a'], 'members cannot widen their view');
      assert.deepEqual(await names(ADMIN), [], 'an admin without all_tenants sees its own project, as in Cinder');
      assert.deepEqual(await names(ADMIN, { allTenants: true }), ['a', 'b']);
      assert.deepEqual(await names(ADMIN, { allTenants: true, projectId: 'p-b' }), ['b']);
      const counted = await h.volumes.list(ADMIN, { allTenants: true, limit: 1, withCount: true });
      assert.equal(counted.volumes.length, 1);
      assert.equal(counted.more, true);
      assert.equal(counted.count, 2);
    });

    it('updates name, description and metadata for members of the project only', async () => {
      const a = await h.volumes.create(ALICE, { size: 1, name: 'a' });
      const v = await h.volumes.update(ALICE, a.id, { name: 'renamed', description: 'now described', metadata: { k: 'v' } });
      assert.deepEqual([v.name, v.description, v.metadata], ['renamed', 'now described', { k: 'v' }]);
      await assert.rejects(h.volumes.update(BOB, a.id, { name: 'stolen' }), hasCode('volume.not_found', 404));
      await assert.rejects(h.volumes.update(READER, a.id, { name: 'nope' }), hasCode('policy.forbidden', 403));
      assert.equal((await h.volumes.get(ALICE, a.id)).name, 'renamed');
    });
  });

  describe('delete', () => {
    it('deletes an available volume and gives back its quota', async () => {
      const v = await h.volumes.create(ALICE, { size: 3 });
      assert.equal(await h.volumes.delete(ALICE, v.id), undefined);
      await assert.rejects(h.volumes.get(ALICE, v.id), hasCode('volume.not_found', 404));
      assert.deepEqual(await usage('p-a'), { volumes: 0, gigabytes: 0 });
      await assert.rejects(h.volumes.delete(ALICE, v.id), hasCode('volume.not_found', 404));
    });

    it('refuses a volume in use (400, as Cinder) and changes nothing', async () => {
      const v = await h.volumes.create(ALICE, { size: 1 });
      await h.attachments.create(ALICE, { volumeId: v.id, instanceUuid: INSTANCE_1 });
      await assert.rejects(h.volumes.delete(ALICE, v.id), (err: unknown) =>
        hasCode('volume.invalid_state', 400)(err) && /^Invalid volume: Volume status must be available, error or error_deleting and must not be attached; volume \S+ is reserved and has attachments\.$/.test((err as Error).message));
      assert.equal((await h.volumes.get(ALICE, v.id)).status, 'reserved');
      assert.deepEqual(await usage('p-a'), { volumes: 1, gigabytes: 1 });
    });

    it('refuses other projects and readers', async () => {
      const v = await h.volumes.create(ALICE, { size: 1 });
      await assert.rejects(h.volumes.delete(BOB, v.id), hasCode('volume.not_found', 404));
      await assert.rejects(h.volumes.delete(READER, v.id), hasCode('policy.forbidden', 403));
      assert.equal((await h.volumes.get(ALICE, v.id)).status, 'available');
      assert.equal(await h.volumes.delete(ADMIN, v.id), undefined, 'an admin deletes any project\'s volume');
    });

    it('leaves the volume in error_deleting when the backend fails; deleting again retries', async () => {
      const v = await h.volumes.create(ALICE, { size: 2 });
      h.faults.arm('volume.backend.delete_volume');
      const left = await h.volumes.delete(ALICE, v.id);
      assert.equal(left?.status, 'error_deleting');
      assert.deepEqual(await usage('p-a'), { volumes: 1, gigabytes: 2 }, 'still counted');
      await assert.rejects(h.attachments.create(ALICE, { volumeId: v.id, instanceUuid: INSTANCE_1 }), hasCode('volume.invalid_state', 400));
      assert.equal(await h.volumes.delete(ALICE, v.id), undefined);
      assert.deepEqual(await usage('p-a'), { volumes: 0, gigabytes: 0 });
    });

    it('lets exactly one of a delete and an attachment racing for one volume win', async () => {
      for (let i = 0; i < 5; i++) {
        const v = await h.volumes.create(ALICE, { size: 1 });
        const [deleted, attached] = await Promise.allSettled([h.volumes.delete(ALICE, v.id), h.attachments.create(ALICE, { volumeId: v.id, instanceUuid: INSTANCE_1 })]);
        assert.equal([deleted, attached].filter((r) => r.status === 'fulfilled').length, 1, `round ${i}`);
        if (attached.status === 'fulfilled') {
          assert.equal((await h.volumes.get(ALICE, v.id)).status, 'reserved');
          await h.attachments.delete(ALICE, attached.value.id);
          await h.volumes.delete(ALICE, v.id);
        }
      }
      assert.equal(await h.store.volumes.count(), 0);
      assert.deepEqual(await usage('p-a'), { volumes: 0, gigabytes: 0 });
    });
  });

  describe('limits', () => {
    it('reports Cinder\'s absolute limits with the project\'s usage; admins may ask for another project', async () => {
      await h.volumes.create(ALICE, { size: 4 });
      assert.deepEqual(await h.volumes.limits(ALICE), {
        maxTotalVolumes: 3, maxTotalVolumeGigabytes: 10, maxTotalSnapshots: 10, maxTotalBackups: 10, maxTotalBackupGigabytes: 1000,
        totalVolumesUsed: 1, totalGigabytesUsed: 4, totalSnapshotsUsed: 0, totalBackupsUsed: 0, totalBackupGigabytesUsed: 0,
      });
      assert.equal((await h.volumes.limits(BOB))['totalGigabytesUsed'], 0);
      assert.equal((await h.volumes.limits(BOB, 'p-a'))['totalGigabytesUsed'], 0, 'members cannot read other projects');
      assert.equal((await h.volumes.limits(ADMIN, 'p-a'))['totalGigabytesUsed'], 4);
    });
  });
});
