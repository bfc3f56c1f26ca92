import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestCloud, waitFor, waitForStatus, type ApiClient, type TestCloud } from '../fixtures/test-cloud.js';
import { assertNovaError, C, createServer, imageId, postServer, waitForGone, waitForSettled } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

const GIB = 1024 ** 3;
const IMAGE_STATES = ['image_snapshot_pending', 'image_snapshot', 'image_pending_upload', 'image_uploading', null];

describe('createImage (server snapshots)', () => {
  let t: TestCloud;
  let cirros: string;
  let v245: ApiClient;
  let active: string;
  let project: string;

  const snapshot = (server: string, body: Record<string, unknown>, client = v245) => client.post(`${C}/servers/${server}/action`, { createImage: body });
  const image = (id: string, client: ApiClient = t.member) => client.get(`/image/v2/images/${id}`);
  const waitForImage = (id: string, status: string) =>
    waitFor(`image ${id} to be ${status}`, async () => {
      const res = await image(id);
      return res.status === 200 && res.body.status === status ? res.body : undefined;
    });
  const waitForNoImage = (id: string) => waitFor(`image ${id} to be deleted`, async () => ((await image(id)).status === 404 ? true : undefined));
  /** Polls the server until no task is left, returning the task states seen, in order. */
  async function watchTasks(server: string): Promise<(string | null)[]> {
    const seen: (string | null)[] = [];
    await waitFor(`server ${server} to finish its task`, async () => {
      const s = (await t.member.get(`${C}/servers/${server}`)).body.server;
      const task = s['OS-EXT-STS:task_state'] as string | null;
      if (seen[seen.length - 1] !== task) seen.push(task);
      return task === null ? true : undefined;
    }, 20_000);
    return seen;
  }

  before(async () => {
    // Slow guest operations make the task states of a snapshot visible one by one.
    t = await startTestCloud('[fake_driver]\ndelay_ms = 300');
    cirros = await imageId(t.admin);
    v245 = t.member.withMicroversion('2.45');
    active = await createServer(t.member, { name: 'snap-source', imageRef: cirros, zone: 'cell1' });
    const server = await waitForStatus(t.member, active, 'ACTIVE');
    project = server['tenant_id'];
  });
  after(async () => {
    await t?.stop();
  });

  it('snapshots an ACTIVE server: 202 with image_id, task states in order, then an active image with Nova\'s properties', async () => {
    const res = await snapshot(active, { name: 'snap-1', metadata: { purpose: 'test' } });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const id = res.body.image_id as string;
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(Object.keys(res.body), ['image_id']);

    const during = (await t.member.get(`${C}/servers/${active}`)).body.server;
    assert.equal(during.status, 'ACTIVE', 'a snapshot does not change the status');
    assert.ok(['image_snapshot_pending', 'image_snapshot'].includes(during['OS-EXT-STS:task_state']), during['OS-EXT-STS:task_state']);
    assert.equal((await image(id)).body.status, 'queued');
    assertNovaError(await snapshot(active, { name: 'snap-twice' }), 409, 'conflictingRequest');

    // Polling sees the states it happens to catch (how many depends on the machine's load); what
    // it sees must come in Nova's order and end with no task.
    const seen = await watchTasks(active);
    assert.equal(seen[seen.length - 1], null, `seen: ${JSON.stringify(seen)}`);
    const order = seen.map((s) => IMAGE_STATES.indexOf(s));
    assert.ok(order.every((n, i) => n >= 0 && (i === 0 || n > (order[i - 1] as number))), `in order: ${JSON.stringify(seen)}`);

    const snap = await waitForImage(id, 'active');
    assert.equal(snap.name, 'snap-1');
    assert.equal(snap.visibility, 'private');
    assert.equal(snap.owner, project);
    assert.equal(snap.disk_format, 'qcow2');
    assert.equal(snap.container_format, 'bare');
    assert.equal(snap.min_disk, 1, 'the flavor\'s root disk');
    assert.equal(snap.min_ram, 0, 'the boot image\'s min_ram');
    assert.equal(snap.virtual_size, GIB, 'the root disk as the guest sees it');
    assert.ok(snap.size > 0 && snap.size < snap.virtual_size, `size ${snap.size}`);
    assert.match(snap.checksum, /^[0-9a-f]{32}$/);
    assert.equal(snap.os_hash_algo, 'sha512');
    for (const [key, value] of Object.entries({ image_type: 'snapshot', instance_uuid: active, base_image_ref: cirros, owner_id: project, image_location: 'snapshot', image_state: 'available', purpose: 'test' })) {
      assert.equal(snap[key], value, key);
    }
    assert.equal(typeof snap.user_id, 'string');

    const data = await fetch(`${t.url}/image/v2/images/${id}/file`, { headers: { 'X-Auth-Token': t.member.token } });
    assert.equal(data.status, 200);
    const bytes = Buffer.from(await data.arrayBuffer());
    assert.equal(bytes.length, snap.size);
    assert.equal(createHash('md5').update(bytes).digest('hex'), snap.checksum);
    assert.equal(data.headers.get('content-md5'), snap.checksum);
    assert.equal(bytes.toString('latin1', 0, 4), 'QFI\xfb', 'a qcow2 image');

    const after = await waitForStatus(t.member, active, 'ACTIVE');
    assert.equal(after['OS-EXT-STS:power_state'], 1);
  });

  it('boots a new server from the snapshot', async () => {
    const res = await snapshot(active, { name: 'snap-boot' });
    const id = res.body.image_id as string;
    await waitForImage(id, 'active');
    const child = await createServer(t.member, { name: 'from-snap', imageRef: id, zone: 'cell2' });
    const server = await waitForStatus(t.member, child, 'ACTIVE');
    assert.equal(server['image'].id, id);
  });

  it('snapshots a SHUTOFF server, which stays SHUTOFF', async () => {
    const stopped = await createServer(t.member, { name: 'snap-stopped', imageRef: cirros, zone: 'cell2' });
    await waitForStatus(t.member, stopped, 'ACTIVE');
    assert.equal((await t.member.post(`${C}/servers/${stopped}/action`, { 'os-stop': null })).status, 202);
    await waitForStatus(t.member, stopped, 'SHUTOFF');
    const res = await snapshot(stopped, { name: 'snap-off' });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const during = (await t.member.get(`${C}/servers/${stopped}`)).body.server;
    assert.equal(during.status, 'SHUTOFF');
    await watchTasks(stopped);
    const snap = await waitForImage(res.body.image_id, 'active');
    assert.equal(snap.instance_uuid, stopped);
    const server = await waitForStatus(t.member, stopped, 'SHUTOFF');
    assert.equal(server['OS-EXT-STS:power_state'], 4);
    assert.equal(server['OS-EXT-STS:vm_state'], 'stopped');
  });

  it('answers with a Location header and no body below 2.45', async () => {
    const res = await snapshot(active, { name: 'snap-old' }, t.member.withMicroversion('2.44'));
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.equal(res.body, undefined);
    const location = res.headers.get('location') ?? '';
    const id = location.split('/').pop() as string;
    assert.equal(location, `${t.url}/image/v2/images/${id}`);
    await waitForImage(id, 'active');
    await waitForSettled(t.member, active, ['ACTIVE']);
  });

  it('refuses bad bodies, unknown and foreign servers, and servers in other states', async () => {
    for (const body of [{}, { name: '' }, { name: ' padded ' }, { name: 'x', extra: 1 }, { name: 'x', metadata: { k: 5 } }, { name: 'x', metadata: { 'bad/key': 'v' } }, { name: 'x'.repeat(256) }]) {
      assertNovaError(await snapshot(active, body), 400, 'badRequest');
    }
    assertNovaError(await snapshot('6f1b2d0c-0000-4000-8000-000000000000', { name: 'x' }), 404, 'itemNotFound');
    const adminServer = await createServer(t.admin, { name: 'admins', imageRef: cirros, zone: 'cell1' });
    assertNovaError(await snapshot(adminServer, { name: 'x' }), 404, 'itemNotFound');

    const building = await postServer(t.member, { name: 'snap-building', imageRef: cirros, zone: 'cell2' });
    const buildingId = building.body.server.id as string;
    assert.match(assertNovaError(await snapshot(buildingId, { name: 'x' }), 409, 'conflictingRequest'), /Cannot 'createImage' instance .* while it is in vm_state building/);
    await waitForStatus(t.member, buildingId, 'ACTIVE');
    await waitForStatus(t.admin, adminServer, 'ACTIVE');

    t.cloud.faults.arm('virt.spawn', { times: Infinity });
    try {
      const broken = await createServer(t.member, { name: 'snap-broken', imageRef: cirros, zone: 'cell2' });
      await waitForSettled(t.member, broken, ['ERROR'], 30_000);
      assert.match(assertNovaError(await snapshot(broken, { name: 'x' }), 409, 'conflictingRequest'), /vm_state error/);
    } finally {
      t.cloud.faults.disarm('virt.spawn');
    }
    const names = (await t.member.get('/image/v2/images?limit=1000')).body.images.map((i: any) => i.name);
    assert.equal(names.includes('x'), false, 'refused snapshots leave no image');
  });

  for (const fault of ['virt.snapshot', 'image.upload']) {
    it(`a failure in ${fault} deletes the image and leaves the server as it was and usable`, async () => {
      t.cloud.faults.arm(fault);
      const res = await snapshot(active, { name: `snap-fails-${fault}` });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      const id = res.body.image_id as string;
      await watchTasks(active);
      await waitForNoImage(id);
      const images = (await t.member.get('/image/v2/images?limit=1000')).body.images.map((i: any) => i.id);
      assert.equal(images.includes(id), false);
      const server = await waitForStatus(t.member, active, 'ACTIVE');
      assert.equal(server['OS-EXT-STS:power_state'], 1);
      assert.equal(t.cloud.faults.list().length, 0, 'the fault fired');
      // Usable: the next snapshot works.
      const again = await snapshot(active, { name: `snap-after-${fault}` });
      assert.equal(again.status, 202);
      await waitForImage(again.body.image_id, 'active');
      await waitForSettled(t.member, active, ['ACTIVE']);
    });
  }

  it('cleans up the image when the server is deleted during its snapshot', async () => {
    const doomed = await createServer(t.member, { name: 'snap-doomed', imageRef: cirros, zone: 'cell1' });
    await waitForStatus(t.member, doomed, 'ACTIVE');
    const res = await snapshot(doomed, { name: 'snap-orphan' });
    assert.equal(res.status, 202);
    assert.equal((await t.member.delete(`${C}/servers/${doomed}`)).status, 204);
    await waitForGone(t.member, doomed, 20_000);
    await waitForNoImage(res.body.image_id);
  });

  it('lets an administrator snapshot another project\'s server; the image belongs to that project', async () => {
    const res = await snapshot(active, { name: 'snap-by-admin' }, t.admin.withMicroversion('2.45'));
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const snap = await waitForImage(res.body.image_id, 'active');
    assert.equal(snap.owner, project);
    assert.equal(snap.instance_owner, project, 'who owns the server, when someone else took the snapshot');
    await waitForSettled(t.member, active, ['ACTIVE']);
  });
});
