import assert from 'node:assert/strict';
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
  const config = parseConfigText('', 'test');
  const defaultName = config.glance.default_image_name;

  before(async () => {
    const policy = await PolicyEngine.create({ defaults: allRuleDefaults() });
    const clock = new ManualClock(new Date('2026-11-24T10:00:00Z'));
    images = await ImageService.create({ config, clock, ids: new RandomIdGenerator(), logger: silentLogger(), policy, databaseUrl: 'sqlite://' });
    app = await buildApp({ logger: silentLogger(), ids: new RandomIdGenerator(), authenticator: new FakeAuthenticator(), modules: [images.module()] });
  });
  after(async () => {
    await app.close();
    await images.close();
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

  it('lets an admin create an image, and refuses a member', async () => {
    const forbidden = await post({ name: 'mine', container_format: 'bare', disk_format: 'raw' }, 'member');
    assert.equal(forbidden.statusCode, 403);

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
  });

  it('deletes an image, refusing protected ones', async () => {
    const id = '3b0fbb6c-6c6b-4f8e-9c55-1d4c8f2f0a01';
    assert.equal((await post({ id, name: 'guarded', protected: true }, 'admin')).statusCode, 201);
    assert.equal((await post({ id, name: 'again' }, 'admin')).statusCode, 409);
    const del = (token: string) => app.inject({ method: 'DELETE', url: `/image/v2/images/${id}`, headers: { 'x-auth-token': token } });
    assert.equal((await del('admin')).statusCode, 403);
    const plain = (await post({ name: 'plain', visibility: 'public' }, 'admin')).json<{ id: string }>();
    const delPlain = (token: string) => app.inject({ method: 'DELETE', url: `/image/v2/images/${plain.id}`, headers: { 'x-auth-token': token } });
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
});
