import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../api/app.js';
import type { Authenticator, Identity } from '../api/auth/authenticator.js';
import { ManualClock } from '../common/clock.js';
import { UnauthorizedError } from '../common/errors.js';
import { RandomIdGenerator } from '../common/ids.js';
import { silentLogger } from '../common/logger.js';
import { parseConfigText } from '../config/index.js';
import { PolicyEngine, allRuleDefaults } from '../policy/index.js';
import { ImageService } from './image-service.js';

/** Two fixed tokens: an admin, and a member of another project. */
class FakeAuthenticator implements Authenticator {
  private readonly identities: Record<string, Identity> = {
    admin: { userId: 'admin', projectId: 'admin-project', roles: ['admin', 'member', 'reader'], isAdmin: true },
    member: { userId: 'alice', projectId: 'project-a', roles: ['member', 'reader'], isAdmin: false },
  };

  authenticate(token: string): Promise<Identity> {
    const identity = this.identities[token];
    if (identity === undefined) return Promise.reject(new UnauthorizedError('identity.unauthorized', 'The request you have made requires authentication.'));
    return Promise.resolve(identity);
  }
}

interface ImageListBody {
  images: { id: string; name: string | null; [key: string]: unknown }[];
  first: string;
  schema: string;
  next?: string;
}

describe('image routes', () => {
  let images: ImageService;
  let app: FastifyInstance;
  let dataDir: string;
  const config = parseConfigText('[glance]\nimage_size_cap = 4096\n', 'test');
  const defaultName = config.glance.default_image_name;

  before(async () => {
    const policy = await PolicyEngine.create({ defaults: allRuleDefaults() });
    const clock = new ManualClock(new Date('2026-11-24T10:00:00Z'));
    dataDir = await mkdtemp(join(tmpdir(), 'tessera-image-routes-'));
    images = await ImageService.create({ config, clock, ids: new RandomIdGenerator(), logger: silentLogger(), policy, databaseUrl: 'sqlite://', dataDir });
    app = await buildApp({ logger: silentLogger(), ids: new RandomIdGenerator(), authenticator: new FakeAuthenticator(), modules: [images.module()] });
  });
  after(async () => {
    await app.close();
    await images.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const get = (url: string, token?: string) => app.inject({ method: 'GET', url, headers: token === undefined ? {} : { 'x-auth-token': token } });
  const post = (body: unknown, token: string) => app.inject({ method: 'POST', url: '/image/v2/images', headers: { 'x-auth-token': token }, payload: body as object });

  it('answers version discovery without a token, with 300 and v2.9 CURRENT', async () => {
    for (const url of ['/image', '/image/', '/image/v2', '/image/v2/']) {
      const res = await app.inject({ method: 'GET', url, headers: { host: 'cloud.example:8080' } });
      assert.equal(res.statusCode, 300, url);
      const body = res.json<{ versions: { id: string; status: string; links: { rel: string; href: string }[] }[] }>();
      assert.equal(body.versions.length, 10);
      assert.deepEqual(body.versions[0], { id: 'v2.9', status: 'CURRENT', links: [{ rel: 'self', href: 'http://cloud.example:8080/image/v2/' }] });
      assert.deepEqual(body.versions.slice(1).map((v) => v.status), Array(9).fill('SUPPORTED'));
      assert.equal(body.versions[9]?.id, 'v2.0');
    }
  });

  it('refuses the API without a token', async () => {
    const res = await get('/image/v2/images');
    assert.equal(res.statusCode, 401);
    // 401s come from the authentication layer, in Keystone's shape on every API.
    assert.equal(res.json<{ error: { code: number } }>().error.code, 401);
  });

  it('lists images filtered by name, without a next link', async () => {
    const res = await get(`/image/v2/images?name=${defaultName}`, 'member');
    assert.equal(res.statusCode, 200);
    const body = res.json<ImageListBody>();
    assert.deepEqual(body.images.map((i) => i.name), [defaultName]);
    assert.equal(body.first, '/v2/images');
    assert.equal(body.schema, '/v2/schemas/images');
    assert.equal('next' in body, false);
    assert.deepEqual((await get('/image/v2/images?name=nothing', 'member')).json<ImageListBody>().images, []);
  });

  it('shows an image by id in Glance\'s shape, and 404s for its name', async () => {
    const list = (await get(`/image/v2/images?name=${defaultName}`, 'member')).json<ImageListBody>();
    const id = list.images[0]?.id ?? '';
    const res = await get(`/image/v2/images/${id}`, 'member');
    assert.equal(res.statusCode, 200);
    const image = res.json<Record<string, unknown>>();
    assert.equal(image['id'], id);
    assert.equal(image['status'], 'active');
    assert.equal(image['visibility'], 'public');
    assert.equal(image['size'], 21430272);
    assert.equal(image['self'], `/v2/images/${id}`);
    assert.equal(image['file'], `/v2/images/${id}/file`);
    assert.equal(image['schema'], '/v2/schemas/image');
    assert.deepEqual(image['tags'], []);
    assert.match(String(image['created_at']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const byName = await get(`/image/v2/images/${defaultName}`, 'member');
    assert.equal(byName.statusCode, 404);
    assert.deepEqual(byName.json(), { code: 404, title: 'Not Found', message: `No image found with ID ${defaultName}` });
    assert.equal((await get('/image/v2/images/6f1b2d0c-0000-4000-8000-000000000000', 'member')).statusCode, 404);
  });

  it('lets a member create images of their own project only, and only an admin make them public', async () => {
    const mine = await post({ name: 'mine', container_format: 'bare', disk_format: 'raw', visibility: 'private' }, 'member');
    assert.equal(mine.statusCode, 201, mine.body);
    assert.equal(mine.json<{ owner: string }>().owner, 'project-a');
    assert.equal((await post({ name: 'theirs', owner: 'project-b' }, 'member')).statusCode, 403);
    assert.equal((await post({ name: 'everyone', visibility: 'public' }, 'member')).statusCode, 403);
    assert.equal((await post({ name: 'community', visibility: 'community' }, 'member')).statusCode, 201);

    const res = await post({ name: 'snap-1', container_format: 'bare', disk_format: 'raw', visibility: 'private', min_ram: 64, os_distro: 'cirros' }, 'admin');
    assert.equal(res.statusCode, 201);
    const image = res.json<Record<string, unknown>>();
    assert.equal(image['status'], 'queued');
    assert.equal(image['name'], 'snap-1');
    assert.equal(image['min_ram'], 64);
    assert.equal(image['os_distro'], 'cirros');
    assert.equal(image['owner'], 'admin-project');
    assert.equal(res.headers['location'], `/v2/images/${String(image['id'])}`);
    // Private to the admin's project: the member cannot see it.
    assert.equal((await get(`/image/v2/images/${String(image['id'])}`, 'member')).statusCode, 404);
  });

  it('refuses bad create bodies', async () => {
    assert.equal((await post({ name: 'x', size: 5 }, 'admin')).statusCode, 403);
    assert.equal((await post({ name: 'x', disk_format: 'floppy' }, 'admin')).statusCode, 400);
    assert.equal((await post({ name: 'x', hw_disk_bus: 5 }, 'admin')).statusCode, 400);
    assert.equal((await post({ id: 'not-a-uuid' }, 'admin')).statusCode, 400);
    assert.equal((await post({ name: 'x', os_glance_foo: 'bar' }, 'admin')).statusCode, 403);
    assert.equal((await post({ name: 'x', location: 'file:///etc/passwd' }, 'admin')).statusCode, 403);
  });

  it('deletes an image, refusing protected ones', async () => {
    const id = '3b0fbb6c-6c6b-4f8e-9c55-1d4c8f2f0a01';
    assert.equal((await post({ id, name: 'guarded', protected: true }, 'admin')).statusCode, 201);
    assert.equal((await post({ id, name: 'again' }, 'admin')).statusCode, 409);
    const del = (token: string) => app.inject({ method: 'DELETE', url: `/image/v2/images/${id}`, headers: { 'x-auth-token': token } });
    assert.equal((await del('admin')).statusCode, 403);
    const plain = (await post({ name: 'plain', visibility: 'public' }, 'admin')).json<{ id: string }>();
    const delPlain = (token: string) => app.inject({ method: 'DELETE', url: `/image/v2/images/${plain.id}`, headers: { 'x-auth-token': token } });
    // A member sees the admin's public image but may not delete what their project does not own.
    assert.equal((await delPlain('member')).statusCode, 403);
    assert.equal((await delPlain('admin')).statusCode, 204);
    assert.equal((await get(`/image/v2/images/${plain.id}`, 'admin')).statusCode, 404);
  });

  it('pages with a next link only while another page follows', async () => {
    for (const n of [1, 2, 3]) assert.equal((await post({ name: `page-${n}`, visibility: 'public' }, 'admin')).statusCode, 201);
    const all = (await get('/image/v2/images', 'member')).json<ImageListBody>().images.map((i) => i.id);
    assert.ok(all.length >= 4);

    const seen: string[] = [];
    let url = '/image/v2/images?limit=2';
    for (let pages = 1; ; pages += 1) {
      const body = (await get(url, 'member')).json<ImageListBody>();
      assert.ok(body.images.length <= 2);
      seen.push(...body.images.map((i) => i.id));
      if (body.next === undefined) break;
      assert.ok(pages < 10, 'paging does not end');
      assert.match(body.next, /^\/v2\/images\?marker=[0-9a-f-]{36}&limit=2$/);
      url = `/image${body.next}`;
    }
    assert.deepEqual(seen, all);

    const exact = (await get(`/image/v2/images?limit=${all.length}`, 'member')).json<ImageListBody>();
    assert.equal(exact.images.length, all.length);
    assert.equal('next' in exact, false);
  });

  it('keeps the filters in the next link', async () => {
    const body = (await get('/image/v2/images?limit=1&visibility=public&sort_key=name&sort_dir=asc', 'member')).json<ImageListBody>();
    assert.match(body.next ?? '', /^\/v2\/images\?marker=[0-9a-f-]{36}&limit=1&visibility=public&sort_key=name&sort_dir=asc$/);
  });

  it('refuses a bad limit, sort key or marker with 400', async () => {
    for (const query of ['limit=0', 'limit=1001', 'limit=abc', 'sort_key=size', 'status=bogus', 'marker=3b0fbb6c-0000-4000-8000-000000000000', 'colour=blue']) {
      const res = await get(`/image/v2/images?${query}`, 'member');
      assert.equal(res.statusCode, 400, query);
      assert.equal(res.json<{ code: number }>().code, 400);
    }
  });

  const call = (method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE', url: string, token: string, payload?: string | Buffer, headers: Record<string, string> = {}) =>
    app.inject({ method, url: `/image/v2/images${url}`, headers: { 'x-auth-token': token, ...headers }, ...(payload === undefined ? {} : { payload }) });
  const upload = (id: string, data: Buffer, token = 'member') => call('PUT', `/${id}/file`, token, data, { 'content-type': 'application/octet-stream' });
  const patch = (id: string, ops: unknown, token = 'member', type = 'application/openstack-images-v2.1-json-patch') =>
    call('PATCH', `/${id}`, token, JSON.stringify(ops), { 'content-type': type });
  const newImage = async (body: Record<string, unknown> = {}) => {
    const res = await post({ name: 'data', container_format: 'bare', disk_format: 'raw', visibility: 'private', ...body }, 'member');
    assert.equal(res.statusCode, 201, res.body);
    return res.json<{ id: string }>().id;
  };

  it('uploads data: queued to active with size, md5 checksum and sha512 hash, then downloads it', async () => {
    const id = await newImage();
    assert.equal((await call('GET', `/${id}/file`, 'member')).statusCode, 204, 'no data yet');
    const data = Buffer.from('tessera image bytes '.repeat(40));
    const res = await upload(id, data);
    assert.equal(res.statusCode, 204, res.body);
    const image = (await get(`/image/v2/images/${id}`, 'member')).json<Record<string, unknown>>();
    assert.equal(image['status'], 'active');
    assert.equal(image['size'], data.length);
    assert.equal(image['virtual_size'], data.length, 'a raw image is its own virtual size');
    assert.equal(image['checksum'], createHash('md5').update(data).digest('hex'));
    assert.equal(image['os_hash_algo'], 'sha512');
    assert.equal(image['os_hash_value'], createHash('sha512').update(data).digest('hex'));

    const down = await call('GET', `/${id}/file`, 'member');
    assert.equal(down.statusCode, 200);
    assert.equal(down.headers['content-type'], 'application/octet-stream');
    assert.equal(down.headers['content-md5'], image['checksum']);
    assert.equal(Number(down.headers['content-length']), data.length);
    assert.deepEqual(down.rawPayload, data);

    const again = await upload(id, data);
    assert.equal(again.statusCode, 409);
    assert.equal(again.json<{ message: string }>().message, 'Image status transition from active to saving is not allowed');
  });

  it('refuses uploads without formats, in another media type, or by another project', async () => {
    const bare = (await post({ name: 'no-formats', visibility: 'private' }, 'member')).json<{ id: string }>().id;
    const res = await upload(bare, Buffer.from('x'));
    assert.equal(res.statusCode, 400);
    assert.equal(res.json<{ message: string }>().message, 'Properties disk_format, container_format must be set prior to saving data.');
    const id = await newImage();
    assert.equal((await call('PUT', `/${id}/file`, 'member', JSON.stringify({ a: 1 }), { 'content-type': 'application/json' })).statusCode, 415);
    assert.equal((await call('PUT', `/${id}/file`, 'member', 'x', { 'content-type': 'application/octet-stream', 'x-openstack-image-size': 'many' })).statusCode, 400);
    const publicImage = (await post({ name: 'admins', visibility: 'public', container_format: 'bare', disk_format: 'raw' }, 'admin')).json<{ id: string }>().id;
    assert.equal((await upload(publicImage, Buffer.from('x'), 'member')).statusCode, 403);
    assert.equal((await get(`/image/v2/images/${id}`, 'member')).json<{ status: string }>().status, 'queued', 'refusals change nothing');
  });

  it('kills an image whose data passes the size cap, leaving no file', async () => {
    const id = await newImage();
    // Streamed without a length, so the cap is only found out while the data arrives.
    const res = await app.inject({
      method: 'PUT', url: `/image/v2/images/${id}/file`,
      headers: { 'x-auth-token': 'member', 'content-type': 'application/octet-stream' },
      payload: Readable.from([Buffer.alloc(3000, 1), Buffer.alloc(2000, 2)]),
    });
    assert.equal(res.statusCode, 413, res.body);
    assert.equal((await get(`/image/v2/images/${id}`, 'member')).json<{ status: string }>().status, 'killed');
    assert.deepEqual((await readdir(dataDir)).filter((f) => f.startsWith(id)), []);
    assert.equal((await upload(id, Buffer.from('small'))).statusCode, 409, 'a killed image takes no more data');
    // A declared size over the cap is refused before anything changes.
    const declared = await newImage();
    assert.equal((await upload(declared, Buffer.alloc(5000, 1))).statusCode, 413);
    assert.equal((await get(`/image/v2/images/${declared}`, 'member')).json<{ status: string }>().status, 'queued');
  });

  it('kills an image whose client goes away in the middle of the upload', async () => {
    const id = await newImage();
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const request = httpRequest(`${address}/image/v2/images/${id}/file`, {
      method: 'PUT',
      headers: { 'x-auth-token': 'member', 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' },
    });
    request.on('error', () => undefined);
    request.write(Buffer.alloc(1000, 7));
    await new Promise((resolve) => setTimeout(resolve, 100));
    request.destroy();
    for (let i = 0; i < 100 && (await get(`/image/v2/images/${id}`, 'member')).json<{ status: string }>().status !== 'killed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal((await get(`/image/v2/images/${id}`, 'member')).json<{ status: string }>().status, 'killed');
    assert.deepEqual((await readdir(dataDir)).filter((f) => f.startsWith(id)), []);
  });

  it('deletes the data with the image', async () => {
    const id = await newImage();
    assert.equal((await upload(id, Buffer.from('payload'))).statusCode, 204);
    assert.deepEqual(await readdir(dataDir).then((f) => f.filter((n) => n === id)), [id]);
    assert.equal((await call('DELETE', `/${id}`, 'member')).statusCode, 204);
    assert.deepEqual(await readdir(dataDir).then((f) => f.filter((n) => n.startsWith(id))), []);
  });

  it('updates names, core attributes and properties with a JSON patch, as `openstack image set` sends it', async () => {
    const id = await newImage({ os_distro: 'cirros' });
    const res = await patch(id, [
      { op: 'replace', path: '/name', value: 'renamed' },
      { op: 'add', path: '/hw_disk_bus', value: 'virtio' },
      { op: 'replace', path: '/os_distro', value: 'ubuntu' },
      { op: 'replace', path: '/min_ram', value: 256 },
      { op: 'add', path: '/protected', value: true },
      { op: 'replace', path: '/disk_format', value: 'qcow2' },
    ]);
    assert.equal(res.statusCode, 200, res.body);
    const image = res.json<Record<string, unknown>>();
    assert.deepEqual([image['name'], image['hw_disk_bus'], image['os_distro'], image['min_ram'], image['protected'], image['disk_format']], ['renamed', 'virtio', 'ubuntu', 256, true, 'qcow2']);
    const removed = await patch(id, [{ op: 'remove', path: '/hw_disk_bus' }, { op: 'replace', path: '/protected', value: false }]);
    assert.equal(removed.statusCode, 200, removed.body);
    assert.equal('hw_disk_bus' in removed.json<object>(), false);
    // The draft-4 form of the same media family works too.
    const old = await patch(id, [{ replace: '/name', value: 'old-form' }], 'member', 'application/openstack-images-v2.0-json-patch');
    assert.equal(old.json<{ name: string }>().name, 'old-form');
  });

  it('refuses protected, reserved and malformed patches with Glance\'s codes, changing nothing', async () => {
    const id = await newImage();
    const cases: [unknown, number, string?][] = [
      [[{ op: 'replace', path: '/status', value: 'active' }], 403, "Attribute 'status' is read-only."],
      [[{ op: 'replace', path: '/size', value: 1 }], 403, "Attribute 'size' is read-only."],
      [[{ op: 'add', path: '/os_glance_import_task', value: 'x' }], 403, "Attribute 'os_glance_import_task' is reserved."],
      [[{ op: 'remove', path: '/name' }], 403, 'Property name may not be removed.'],
      [[{ op: 'replace', path: '/owner', value: 'project-b' }], 403, "Owner can't be updated by non admin."],
      [[{ op: 'replace', path: '/visibility', value: 'public' }], 403],
      [[{ op: 'replace', path: '/missing', value: 'x' }], 409, 'Property missing does not exist.'],
      [[{ op: 'remove', path: '/missing' }], 409, 'Property missing does not exist.'],
      [[{ op: 'add', path: '/min_ram', value: 'lots' }], 400],
      [[{ op: 'add', path: '/hw_disk_bus', value: 5 }], 400],
      [[{ op: 'add', path: '/hw_disk_bus' }], 400, 'Operation "add" requires a member named "value".'],
      [[{ op: 'move', path: '/name', value: 'x' }], 400],
      [[{ op: 'add', path: 'name', value: 'x' }], 400],
      [[{ op: 'add', path: '/a/b', value: 'x' }], 400],
      [{ op: 'add', path: '/name', value: 'x' }, 400, 'Request body must be a JSON array of operation objects.'],
      [[{ op: 'add', path: '/name', value: 'ok' }, { op: 'replace', path: '/checksum', value: 'x' }], 403],
    ];
    for (const [ops, status, message] of cases) {
      const res = await patch(id, ops);
      assert.equal(res.statusCode, status, `${JSON.stringify(ops)}: ${res.body}`);
      if (message !== undefined) assert.equal(res.json<{ message: string }>().message, message);
    }
    const plainJson = await patch(id, [{ op: 'add', path: '/name', value: 'x' }], 'member', 'application/json');
    assert.equal(plainJson.statusCode, 415);
    assert.match(String(plainJson.headers['accept-patch']), /application\/openstack-images-v2\.1-json-patch/);
    assert.equal((await get(`/image/v2/images/${id}`, 'member')).json<{ name: string }>().name, 'data', 'nothing changed');

    assert.equal((await upload(id, Buffer.from('x'))).statusCode, 204);
    const late = await patch(id, [{ op: 'replace', path: '/disk_format', value: 'qcow2' }]);
    assert.equal(late.statusCode, 403);
    assert.equal(late.json<{ message: string }>().message, 'Attribute disk_format can be only replaced for a queued image.');
  });

  it('deactivates and reactivates for admins; a deactivated image cannot be downloaded by others', async () => {
    const id = await newImage();
    assert.equal((await upload(id, Buffer.from('bytes'))).statusCode, 204);
    const action = (name: string, token: string) => call('POST', `/${id}/actions/${name}`, token);
    assert.equal((await action('deactivate', 'member')).statusCode, 403);
    assert.equal((await action('deactivate', 'admin')).statusCode, 204);
    assert.equal((await action('deactivate', 'admin')).statusCode, 204, 'deactivating twice is a no-op');
    assert.equal((await get(`/image/v2/images/${id}`, 'member')).json<{ status: string }>().status, 'deactivated');
    const refused = await call('GET', `/${id}/file`, 'member');
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json<{ message: string }>().message, 'The requested image has been deactivated. Image data download is forbidden.');
    assert.equal((await call('GET', `/${id}/file`, 'admin')).statusCode, 200);
    assert.equal((await action('reactivate', 'admin')).statusCode, 204);
    assert.equal((await call('GET', `/${id}/file`, 'member')).statusCode, 200);
    const queued = await newImage();
    const notActive = await call('POST', `/${queued}/actions/deactivate`, 'admin');
    assert.equal(notActive.statusCode, 403);
    assert.equal(notActive.json<{ message: string }>().message, "Not allowed to deactivate image in status 'queued'");
  });

  it('lists community images of other projects only when asked for them', async () => {
    const res = await post({ name: 'shared-with-all', visibility: 'community' }, 'admin');
    const id = res.json<{ id: string }>().id;
    const ids = async (query: string) => (await get(`/image/v2/images?limit=1000${query}`, 'member')).json<ImageListBody>().images.map((i) => i.id);
    assert.equal((await ids('')).includes(id), false);
    assert.equal((await ids('&visibility=community')).includes(id), true);
    assert.equal((await ids('&visibility=all')).includes(id), true);
  });

  it('serves the image schemas and the import discovery', async () => {
    const schema = (await get('/image/v2/schemas/image', 'member')).json<{ name: string; properties: Record<string, { readOnly?: boolean }> }>();
    assert.equal(schema.name, 'image');
    assert.equal(schema.properties['checksum']?.readOnly, true);
    assert.equal((await get('/image/v2/schemas/images', 'member')).json<{ name: string }>().name, 'images');
    assert.deepEqual((await get('/image/v2/info/import', 'member')).json(), { 'import-methods': { description: 'Import methods available.', type: 'array', value: [] } });
  });
});
