/**
 * Booting servers from volumes, through HTTP only: a volume the user made as the root disk, a root
 * volume made from an image, blank and existing data volumes beside an image root; tags, boot
 * indexes and delete_on_termination; what the server, its volumes, the guest and placement show;
 * a server that fits nowhere keeping its volume reserved until it is deleted; Nova's refusals,
 * which change nothing; and what a delete leaves (volumes deleted or available as
 * delete_on_termination says).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestCloud, UNLIMITED_INSTANCE_QUOTAS, waitForStatus, type TestCloud } from '../fixtures/test-cloud.js';
import { allVolumeIds, allocations, assertVolumeFree, attachmentsOf, boot, createVolume, V, volume } from './boot-devices.js';
import { allServerIds, assertNovaError, C, imageId, sleep, waitForGone, waitForSettled } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

describe('booting servers from volumes', () => {
  let t: TestCloud;
  let image: string;

  before(async () => {
    t = await startTestCloud(UNLIMITED_INSTANCE_QUOTAS);
    image = await imageId(t.member);
  });
  after(async () => {
    await t?.stop();
  });

  async function active(res: { status: number; body: any }): Promise<Record<string, any>> {
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const server = await waitForSettled(t.member, res.body.server.id as string);
    assert.equal(server['status'], 'ACTIVE', JSON.stringify(server['fault']));
    return server;
  }

  /** The server as its owner sees it at 2.3, where volumes_attached shows delete_on_termination. */
  async function at23(serverId: string): Promise<Record<string, any>> {
    return (await t.member.withMicroversion('2.3').get(`${C}/servers/${serverId}`)).body.server;
  }

  async function hostOf(serverId: string): Promise<string> {
    return (await t.admin.get(`${C}/servers/${serverId}`)).body.server['OS-EXT-SRV-ATTR:host'] as string;
  }

  /** The server's volume attachments as os-volume_attachments shows them at 2.79 (device, tag, delete_on_termination). */
  async function volumeAttachments(serverId: string): Promise<any[]> {
    const res = await t.member.withMicroversion('2.79').get(`${C}/servers/${serverId}/os-volume_attachments`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.volumeAttachments;
  }

  async function remove(serverId: string): Promise<void> {
    assert.equal((await t.member.delete(`${C}/servers/${serverId}`)).status, 204);
    await waitForGone(t.member, serverId);
  }

  it('a volume the user made as the root disk (2.42, tag): in-use and attached on the host, no image, no local disk; kept by the delete', async () => {
    const root = await createVolume(t.member, { size: 1, imageRef: image, name: 'root' });
    const server = await active(await boot(t.member, '2.42', {
      name: 'bfv',
      networks: 'none',
      block_device_mapping_v2: [{ source_type: 'volume', destination_type: 'volume', uuid: root.id, boot_index: 0, tag: 'root-disk' }],
    }));
    const host = await hostOf(server['id']);
    assert.equal(server['image'], '', 'Nova shows no image for a server booted from a volume');
    assert.deepEqual((await at23(server['id']))['os-extended-volumes:volumes_attached'], [{ id: root.id, delete_on_termination: false }]);
    assert.deepEqual(server['os-extended-volumes:volumes_attached'], [{ id: root.id }], 'only the id at 2.1');
    assert.deepEqual((await volumeAttachments(server['id'])).map((a) => [a.volumeId, a.device, a.tag, a.delete_on_termination]), [[root.id, '/dev/vda', 'root-disk', false]]);
    const shown = await volume(t.admin, root.id);
    assert.equal(shown?.['status'], 'in-use');
    assert.deepEqual(shown?.['attachments'].map((a: any) => [a.server_id, a.device, a.host_name]), [[server['id'], '/dev/vda', host]]);
    const guest = t.cloud.fakeDriver(host).listGuests().find((g) => g.uuid === server['id']);
    assert.equal(guest?.imageRef, null);
    assert.deepEqual(guest?.volumes, [{ mountpoint: '/dev/vda', volumeId: root.id }]);
    // Placement holds no disk for a root that lives on the volume service.
    const claim = Object.values(await allocations(t.admin, server['id']))[0] as any;
    assert.deepEqual(Object.keys(claim.resources).sort(), ['MEMORY_MB', 'VCPU']);
    const listed = (await t.member.withMicroversion('2.3').get(`${C}/servers/detail`)).body.servers.find((s: any) => s.id === server['id']);
    assert.deepEqual(listed['os-extended-volumes:volumes_attached'], [{ id: root.id, delete_on_termination: false }]);
    // Nova would snapshot the volume; without volume snapshots the request is refused and makes no image.
    const images = (await t.member.get('/image/v2/images')).body.images.length;
    assertNovaError(await t.member.post(`${C}/servers/${server['id']}/action`, { createImage: { name: 'snap' } }), 400, 'badRequest');
    assert.equal((await t.member.get('/image/v2/images')).body.images.length, images);

    await remove(server['id']);
    await assertVolumeFree(t.admin, root.id);
    assert.deepEqual(await allocations(t.admin, server['id']), {});
    assert.equal((await t.member.delete(`${V}/volumes/${root.id}`)).status, 202);
  });

  it('a root volume made from an image (as `openstack server create --boot-from-volume` asks): created, attached, deleted with the server', async () => {
    const before = await allVolumeIds(t.admin);
    const server = await active(await boot(t.member, '2.1', {
      name: 'from-image', imageRef: '',
      block_device_mapping_v2: [{ source_type: 'image', destination_type: 'volume', uuid: image, boot_index: 0, volume_size: 1, delete_on_termination: true }],
    }));
    const made = (await allVolumeIds(t.admin)).filter((v) => !before.includes(v));
    assert.equal(made.length, 1, 'one volume made for the server');
    const root = await volume(t.admin, made[0]!);
    assert.equal(root?.['status'], 'in-use');
    assert.equal(root?.['bootable'], 'true');
    assert.equal(root?.['volume_image_metadata'].image_id, image);
    assert.equal(root?.['size'], 1);
    assert.equal(root?.['os-vol-tenant-attr:tenant_id'], server['tenant_id'], 'the volume is the server\'s project\'s');
    assert.equal(server['image'], '');
    assert.deepEqual(server['os-extended-volumes:volumes_attached'], [{ id: made[0] }]);
    assert.deepEqual((await volumeAttachments(server['id'])).map((a) => [a.device, a.delete_on_termination]), [['/dev/vda', true]]);
    await remove(server['id']);
    assert.equal(await volume(t.admin, made[0]!), undefined, 'delete_on_termination: the volume went with the server');
    assert.deepEqual(await allVolumeIds(t.admin), before);
  });

  it('an image root volume kept on delete, with a blank data volume deleted on delete and a tag on each (2.42)', async () => {
    const before = await allVolumeIds(t.admin);
    const server = await active(await boot(t.member, '2.42', {
      name: 'two-volumes', networks: 'none',
      block_device_mapping_v2: [
        { source_type: 'image', destination_type: 'volume', uuid: image, boot_index: 0, volume_size: 2, delete_on_termination: false, tag: 'os' },
        { source_type: 'blank', destination_type: 'volume', volume_size: 1, delete_on_termination: true, tag: 'scratch' },
      ],
    }));
    const attached = await volumeAttachments(server['id']);
    assert.deepEqual(attached.map((a) => [a.device, a.tag, a.delete_on_termination]), [['/dev/vda', 'os', false], ['/dev/vdb', 'scratch', true]]);
    const [rootId, blankId] = attached.map((a) => a.volumeId as string);
    assert.equal((await volume(t.admin, rootId!))?.['size'], 2);
    assert.equal((await volume(t.admin, blankId!))?.['bootable'], 'false');
    await remove(server['id']);
    await assertVolumeFree(t.admin, rootId!);
    assert.equal(await volume(t.admin, blankId!), undefined);
    assert.deepEqual((await allVolumeIds(t.admin)).filter((v) => !before.includes(v)), [rootId]);
    assert.equal((await t.member.delete(`${V}/volumes/${rootId}`)).status, 202);
  });

  it('an image-backed server with a data volume: the volume is /dev/vdb, the root stays the image on the host', async () => {
    const data = await createVolume(t.member, { size: 1, name: 'data' });
    const server = await active(await boot(t.member, '2.37', {
      name: 'image-and-data', imageRef: image, networks: 'none',
      block_device_mapping_v2: [{ source_type: 'volume', destination_type: 'volume', uuid: data.id, delete_on_termination: true }],
    }));
    assert.equal(server['image'].id, image);
    assert.deepEqual((await at23(server['id']))['os-extended-volumes:volumes_attached'], [{ id: data.id, delete_on_termination: true }]);
    const guest = t.cloud.fakeDriver(await hostOf(server['id'])).listGuests().find((g) => g.uuid === server['id']);
    assert.equal(guest?.imageRef, image);
    assert.deepEqual(guest?.volumes, [{ mountpoint: '/dev/vdb', volumeId: data.id }]);
    const claim = Object.values(await allocations(t.admin, server['id']))[0] as any;
    assert.equal(claim.resources.DISK_GB, 1, 'the image root is on the host\'s disk');
    await remove(server['id']);
    assert.equal(await volume(t.admin, data.id), undefined);
  });

  describe('a server that fits nowhere', () => {
    let huge: string;
    before(async () => {
      const res = await t.admin.post(`${C}/flavors`, { flavor: { name: 'bfv-too-big', ram: 10_000_000, vcpus: 1, disk: 1 } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      huge = res.body.flavor.id as string;
    });

    for (const deleteOnTermination of [false, true]) {
      it(`keeps its volume reserved in cell0 until it is deleted, then ${deleteOnTermination ? 'deletes it' : 'frees it'}`, async () => {
        const root = await createVolume(t.member, { size: 1, imageRef: image });
        const res = await boot(t.member, '2.37', {
          name: 'nowhere', flavorRef: huge, networks: 'none',
          block_device_mapping_v2: [{ source_type: 'volume', destination_type: 'volume', uuid: root.id, boot_index: 0, delete_on_termination: deleteOnTermination }],
        });
        assert.equal(res.status, 202, JSON.stringify(res.body));
        const server = await waitForStatus(t.member, res.body.server.id as string, 'ERROR');
        assert.match(server['fault'].message as string, /No valid host/);
        assert.deepEqual(server['os-extended-volumes:volumes_attached'], [{ id: root.id }], 'cell0 keeps its mappings, as Nova does');
        assert.equal((await volume(t.admin, root.id))?.['status'], 'reserved');
        assert.deepEqual((await attachmentsOf(t.admin, root.id)).map((a) => [a.instance, a.status]), [[server['id'], 'reserved']]);
        await remove(server['id']);
        if (deleteOnTermination) assert.equal(await volume(t.admin, root.id), undefined);
        else await assertVolumeFree(t.admin, root.id);
      });
    }
  });

  describe('requests Nova refuses, which create no server and leave the volume as it was', () => {
    let free: Record<string, any>;
    before(async () => {
      free = await createVolume(t.member, { size: 1, imageRef: image, name: 'free' });
    });

    async function refused(server: Record<string, unknown>, mv = '2.42'): Promise<string> {
      const servers = await allServerIds(t.admin);
      const volumes = await allVolumeIds(t.admin);
      const message = assertNovaError(await boot(t.member, mv, { networks: 'none', ...server }), 400, 'badRequest');
      await sleep(20);
      assert.deepEqual(await allServerIds(t.admin), servers, 'no server');
      assert.deepEqual(await allVolumeIds(t.admin), volumes, 'no volume');
      await assertVolumeFree(t.admin, free.id);
      return message;
    }
    const rootOf = (over: Record<string, unknown> = {}): Record<string, unknown> => ({ source_type: 'volume', destination_type: 'volume', uuid: free.id, boot_index: 0, ...over });

    it('an unknown volume, and another project\'s', async () => {
      assert.match(await refused({ name: 'x', block_device_mapping_v2: [rootOf({ uuid: '11111111-2222-4333-8444-555555555555' })] }), /failed to get volume 11111111-2222-4333-8444-555555555555/);
      const admins = await createVolume(t.admin, { size: 1 });
      assert.match(await refused({ name: 'x', block_device_mapping_v2: [rootOf({ uuid: admins.id })] }), /failed to get volume/);
    });

    it('a volume in use by another server', async () => {
      const taken = await createVolume(t.member, { size: 1, imageRef: image });
      const first = await active(await boot(t.member, '2.37', { name: 'holder', networks: 'none', block_device_mapping_v2: [rootOf({ uuid: taken.id })] }));
      assert.match(await refused({ name: 'x', block_device_mapping_v2: [rootOf({ uuid: taken.id })] }), /status must be 'available'. Currently in 'in-use'/);
      assert.equal((await volume(t.admin, taken.id))?.['status'], 'in-use', 'the holder keeps it');
      await remove(first['id']);
    });

    it('no root device and no image, a gap in the boot indexes, a blank root', async () => {
      assert.match(await refused({ name: 'x', block_device_mapping_v2: [rootOf({ boot_index: null })] }), /Boot sequence/);
      assert.match(await refused({ name: 'x', imageRef: '', block_device_mapping_v2: [rootOf({ boot_index: 1 })] }), /Boot sequence/);
      assert.match(await refused({ name: 'x', block_device_mapping_v2: [rootOf(), { source_type: 'blank', destination_type: 'volume', volume_size: 1, boot_index: 2 }] }), /Boot sequence/);
      assert.match(await refused({ name: 'x', block_device_mapping_v2: [{ source_type: 'blank', destination_type: 'volume', volume_size: 1, boot_index: 0 }] }), /Boot sequence/);
      assert.match(await refused({ name: 'x' }), /imageRef/);
    });

    it('an image root volume without a size, or too small for the image', async () => {
      assert.match(await refused({ name: 'x', block_device_mapping_v2: [{ source_type: 'image', destination_type: 'volume', uuid: image, boot_index: 0 }] }), /need to have a non-zero size/);
      const created = await t.admin.request('POST', '/image/v2/images', { name: 'needs-3g', disk_format: 'raw', container_format: 'bare', min_disk: 3, visibility: 'public' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const upload = await fetch(`${t.url}/image/v2/images/${created.body.id}/file`, { method: 'PUT', headers: { 'X-Auth-Token': t.admin.token, 'Content-Type': 'application/octet-stream' }, body: new Uint8Array(1024) });
      assert.equal(upload.status, 204);
      assert.match(await refused({ name: 'x', block_device_mapping_v2: [{ source_type: 'image', destination_type: 'volume', uuid: created.body.id, boot_index: 0, volume_size: 2 }] }), /Volume is smaller than the minimum size/);
    });

    it('one volume for several servers, snapshots and ephemeral disks, an unknown source, tags before 2.42', async () => {
      assert.match(await refused({ name: 'x', max_count: 2, block_device_mapping_v2: [rootOf()] }), /multiple instances/);
      assert.match(await refused({ name: 'x', block_device_mapping_v2: [{ source_type: 'snapshot', destination_type: 'volume', uuid: free.id, boot_index: 0 }] }), /snapshots are not supported/);
      assert.match(await refused({ name: 'x', imageRef: image, block_device_mapping_v2: [{ source_type: 'blank', destination_type: 'local', volume_size: 1 }] }), /ephemeral/);
      assert.match(await refused({ name: 'x', block_device_mapping_v2: [rootOf({ source_type: 'disk' })] }), /source_type/);
      assert.match(await refused({ name: 'x', block_device_mapping_v2: [rootOf({ tag: 'a' })] }, '2.37'), /tag/);
    });
  });
});
