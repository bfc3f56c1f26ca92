import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestCloud, type ApiClient, type HttpResult, type TestCloud } from '../fixtures/test-cloud.js';
import { assertNovaError, C, postServer, rawRequest } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

const CAP = 2 * 1024 * 1024;
const PATCH = 'application/openstack-images-v2.1-json-patch';

describe('image data and the image status machine', () => {
  let t: TestCloud;
  const I = '/image/v2/images';

  before(async () => {
    t = await startTestCloud(`[glance]\nimage_size_cap = ${CAP}`);
  });
  after(async () => {
    await t?.stop();
  });

  const create = async (client: ApiClient, body: Record<string, unknown> = {}) => {
    const res = await client.post(I, { name: 'img', container_format: 'bare', disk_format: 'raw', visibility: 'private', ...body });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as Record<string, any>;
  };
  /** PUT …/file as a stream of chunks, without a declared length (as a client piping a file would). */
  const upload = async (client: ApiClient, id: string, chunks: Buffer[], headers: Record<string, string> = {}): Promise<HttpResult> => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const c of chunks) controller.enqueue(c);
        controller.close();
      },
    });
    const res = await fetch(`${client.baseUrl}${I}/${id}/file`, {
      method: 'PUT',
      headers: { 'X-Auth-Token': client.token, 'Content-Type': 'application/octet-stream', ...headers },
      body,
      duplex: 'half',
    } as RequestInit);
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) };
  };
  const download = async (client: ApiClient, id: string) => {
    const res = await fetch(`${client.baseUrl}${I}/${id}/file`, { headers: { 'X-Auth-Token': client.token } });
    return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
  };
  const patch = (client: ApiClient, id: string, ops: unknown) =>
    rawRequest(client, 'PATCH', `${I}/${id}`, JSON.stringify(ops), { 'X-Auth-Token': client.token, 'Content-Type': PATCH });
  const status = async (id: string, client: ApiClient = t.admin) => (await client.get(`${I}/${id}`)).body.status as string;

  it('uploads a streamed image: queued → active, with size, md5 and sha512, and downloads the same bytes', async () => {
    const image = await create(t.member, { name: 'streamed' });
    assert.equal(image.status, 'queued');
    assert.equal((await download(t.member, image.id)).status, 204, 'no data yet');
    const chunks = [randomBytes(700_000), randomBytes(600_000), randomBytes(123)];
    const all = Buffer.concat(chunks);
    const res = await upload(t.member, image.id, chunks);
    assert.equal(res.status, 204, JSON.stringify(res.body));

    const shown = (await t.member.get(`${I}/${image.id}`)).body;
    assert.equal(shown.status, 'active');
    assert.equal(shown.size, all.length);
    assert.equal(shown.checksum, createHash('md5').update(all).digest('hex'));
    assert.equal(shown.os_hash_algo, 'sha512');
    assert.equal(shown.os_hash_value, createHash('sha512').update(all).digest('hex'));

    const down = await download(t.member, image.id);
    assert.equal(down.status, 200);
    assert.equal(down.headers.get('content-md5'), shown.checksum);
    assert.equal(down.headers.get('content-type'), 'application/octet-stream');
    assert.ok(down.bytes.equals(all), 'the downloaded bytes are the uploaded ones');

    const again = await upload(t.member, image.id, [Buffer.from('more')]);
    assert.equal(again.status, 409);
    assert.equal(again.body.message, 'Image status transition from active to saving is not allowed');
  });

  it('a failed upload leaves the image killed and without data; a killed image takes no more data but can be deleted', async () => {
    const image = await create(t.member, { name: 'doomed' });
    t.cloud.faults.arm('image.upload');
    const failed = await upload(t.member, image.id, [randomBytes(1000)]);
    assert.equal(failed.status, 500);
    assert.match(failed.body.message, /Unexpected API Error|Injected failure/);
    assert.equal(await status(image.id), 'killed');
    assert.equal((await download(t.member, image.id)).status, 204);
    assert.equal((await upload(t.member, image.id, [Buffer.from('retry')])).status, 409);
    assert.equal((await t.member.delete(`${I}/${image.id}`)).status, 204);
    assert.equal((await t.member.get(`${I}/${image.id}`)).status, 404);
  });

  it('kills an image whose data outgrows image_size_cap while it streams, and refuses a declared size over it up front', async () => {
    const image = await create(t.member, { name: 'too-big' });
    const res = await upload(t.member, image.id, [randomBytes(CAP), randomBytes(10)]);
    assert.equal(res.status, 413, JSON.stringify(res.body));
    assert.equal(await status(image.id), 'killed');
    const declared = await create(t.member, { name: 'declared-too-big' });
    const refused = await upload(t.member, declared.id, [Buffer.from('x')], { 'x-openstack-image-size': String(CAP + 1) });
    assert.equal(refused.status, 413);
    assert.equal(await status(declared.id), 'queued', 'nothing changed');
  });

  it('deactivates and reactivates (admins only): members cannot download a deactivated image, nor boot it', async () => {
    const image = await create(t.member, { name: 'toggle' });
    assert.equal((await upload(t.member, image.id, [Buffer.from('bits')])).status, 204);
    const action = (client: ApiClient, name: string) => client.post(`${I}/${image.id}/actions/${name}`, undefined);
    assert.equal((await action(t.member, 'deactivate')).status, 403);
    assert.equal((await action(t.admin, 'deactivate')).status, 204);
    assert.equal(await status(image.id, t.member), 'deactivated');
    assert.equal((await download(t.member, image.id)).status, 403);
    assert.equal((await download(t.admin, image.id)).status, 200);
    assertNovaError(await postServer(t.member, { name: 'from-deactivated', imageRef: image.id }), 400, 'badRequest');
    assert.equal((await action(t.admin, 'reactivate')).status, 204);
    assert.equal(await status(image.id, t.member), 'active');
    assert.equal((await download(t.member, image.id)).status, 200);
    const queued = await create(t.member, { name: 'never-uploaded' });
    assert.equal((await t.admin.post(`${I}/${queued.id}/actions/reactivate`, undefined)).status, 403);
    assertNovaError(await postServer(t.member, { name: 'from-queued', imageRef: queued.id }), 400, 'badRequest');
  });

  it('updates with JSON patches as `openstack image set` sends them, refusing protected attributes', async () => {
    const image = await create(t.member, { name: 'patchable', os_distro: 'cirros' });
    const res = await patch(t.member, image.id, [
      { op: 'replace', path: '/name', value: 'patched' },
      { op: 'add', path: '/hw_disk_bus', value: 'scsi' },
      { op: 'remove', path: '/os_distro' },
      { op: 'replace', path: '/visibility', value: 'community' },
      { op: 'add', path: '/protected', value: true },
    ]);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.name, 'patched');
    assert.equal(res.body.hw_disk_bus, 'scsi');
    assert.equal('os_distro' in res.body, false);
    assert.equal(res.body.visibility, 'community');
    assert.equal(res.body.protected, true);
    assert.equal((await t.member.delete(`${I}/${image.id}`)).status, 403, 'protected');
    for (const [ops, code] of [
      [[{ op: 'replace', path: '/status', value: 'active' }], 403],
      [[{ op: 'replace', path: '/checksum', value: '0' }], 403],
      [[{ op: 'add', path: '/os_glance_importing_to_stores', value: 'x' }], 403],
      [[{ op: 'replace', path: '/visibility', value: 'public' }], 403],
      [[{ op: 'replace', path: '/nope', value: 'x' }], 409],
      [[{ op: 'add', path: '/min_disk', value: -1 }], 400],
    ] as const) {
      assert.equal((await patch(t.member, image.id, ops)).status, code, JSON.stringify(ops));
    }
    assert.equal((await patch(t.admin, image.id, [{ op: 'replace', path: '/visibility', value: 'public' }])).status, 200, 'admins publicise');
    assert.equal((await patch(t.member, image.id, [{ op: 'replace', path: '/protected', value: false }])).status, 200);
    assert.equal((await t.member.delete(`${I}/${image.id}`)).status, 204);
  });

  it('lists with name, status and visibility filters, and pages with a next link only while another page follows', async () => {
    const ids: string[] = [];
    for (let n = 0; n < 5; n++) ids.push((await create(t.member, { name: `paged-${n}` })).id);
    assert.equal((await upload(t.member, ids[0] as string, [Buffer.from('x')])).status, 204);
    const list = async (query: string) => {
      const res = await t.member.get(`${I}?${query}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };
    assert.deepEqual((await list('name=paged-3')).images.map((i: any) => i.id), [ids[3]]);
    const queued = (await list('status=queued&limit=1000')).images.map((i: any) => i.id);
    assert.ok(ids.slice(1).every((id) => queued.includes(id)) && !queued.includes(ids[0]));
    const publicOnes = (await list('visibility=public')).images;
    assert.ok(publicOnes.length > 0 && publicOnes.every((i: any) => i.visibility === 'public'));

    const seen: string[] = [];
    let body = await list('limit=2&sort_key=name&sort_dir=asc&name=paged-0');
    assert.equal(body.next, undefined, 'one match, no next page');
    let path = `${I}?limit=2&sort_key=name&sort_dir=asc`;
    for (let pages = 0; ; pages++) {
      body = (await t.member.get(path)).body;
      seen.push(...body.images.map((i: any) => i.id));
      if (body.next === undefined) break;
      assert.ok(pages < 50);
      path = `/image${body.next}`;
    }
    const all = (await list('limit=1000&sort_key=name&sort_dir=asc')).images.map((i: any) => i.id);
    assert.deepEqual(seen, all);
    assert.equal((await list(`limit=${all.length}`)).next, undefined, 'a page that ends the list has no next link');
  });

  it('compute refuses a server from an image the caller cannot see, and boots one from an uploaded image', async () => {
    const image = await create(t.admin, { name: 'admins-private' });
    assert.equal((await upload(t.admin, image.id, [Buffer.from('disk')])).status, 204);
    assertNovaError(await postServer(t.member, { name: 'not-mine', imageRef: image.id }), 400, 'badRequest');
    const mine = await create(t.member, { name: 'bootable' });
    assert.equal((await upload(t.member, mine.id, [randomBytes(4096)])).status, 204);
    const res = await postServer(t.member, { name: 'from-upload', imageRef: mine.id });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.equal((await t.member.get(`${C}/servers/${res.body.server.id}`)).body.server.image.id, mine.id);
  });
});
