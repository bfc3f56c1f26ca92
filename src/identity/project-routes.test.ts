import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../api/app.js';
import { ManualClock } from '../common/clock.js';
import { RandomIdGenerator } from '../common/ids.js';
import { silentLogger } from '../common/logger.js';
import { parseConfigText } from '../config/index.js';
import { IdentityService } from './identity-service.js';

describe('identity project routes', () => {
  let identity: IdentityService;
  let app: FastifyInstance;
  const tokens: Record<string, string> = {};
  const projects: Record<string, string> = {};

  before(async () => {
    const ids = new RandomIdGenerator();
    identity = await IdentityService.create({
      config: parseConfigText('', 'test', { identity: { admin_password: 'admin-pw', member_password: 'demo-pw' } }),
      clock: new ManualClock(new Date('2026-11-24T10:00:00Z')),
      ids,
      logger: silentLogger(),
      databaseUrl: 'sqlite://',
      persistCredentials: false,
      catalogServices: [{ type: 'identity', name: 'keystone', path: '/identity' }],
    });
    app = await buildApp({ logger: silentLogger(), ids, authenticator: identity, modules: [identity.module()] });
    for (const [user, password] of [['admin', 'admin-pw'], ['demo', 'demo-pw']]) {
      const res = await app.inject({
        method: 'POST',
        url: '/identity/v3/auth/tokens',
        payload: { auth: { identity: { methods: ['password'], password: { user: { name: user, domain: { name: 'Default' }, password } } }, scope: { project: { name: user, domain: { name: 'Default' } } } } },
      });
      tokens[user as string] = String(res.headers['x-subject-token']);
      projects[user as string] = (res.json() as { token: { project: { id: string } } }).token.project.id;
    }
  });
  after(async () => {
    await app.close();
    await identity.close();
  });

  const get = (url: string, user: string) => app.inject({ method: 'GET', url, headers: { 'x-auth-token': tokens[user] as string, host: 'cloud.test' } });

  it('shows a project by id to an admin and to its own members', async () => {
    for (const user of ['admin', 'demo']) {
      const res = await get(`/identity/v3/projects/${projects['demo'] as string}`, user);
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), {
        project: {
          id: projects['demo'], name: 'demo', domain_id: 'default', description: '', enabled: true, parent_id: 'default', is_domain: false, tags: [], options: {},
          links: { self: `http://cloud.test/identity/v3/projects/${projects['demo'] as string}` },
        },
      });
    }
    const other = await get(`/identity/v3/projects/${projects['admin'] as string}`, 'demo');
    assert.equal(other.statusCode, 403);
    assert.equal((other.json() as { error: { message: string } }).error.message, 'You are not authorized to perform the requested action: identity:get_project.');
    const missing = await get('/identity/v3/projects/demo', 'admin');
    assert.equal(missing.statusCode, 404);
    assert.equal((missing.json() as { error: { code: number } }).error.code, 404);
  });

  it('lists projects, filtered by name, to admins only', async () => {
    const all = await get('/identity/v3/projects', 'admin');
    assert.equal(all.statusCode, 200);
    assert.deepEqual((all.json() as { projects: { name: string }[] }).projects.map((p) => p.name), ['admin', 'demo']);
    const byName = await get('/identity/v3/projects?name=demo', 'admin');
    assert.deepEqual((byName.json() as { projects: { id: string }[] }).projects.map((p) => p.id), [projects['demo']]);
    assert.deepEqual((await get('/identity/v3/projects?name=nope', 'admin')).json(), { projects: [], links: { self: 'http://cloud.test/identity/v3/projects', previous: null, next: null } });
    assert.equal((await get('/identity/v3/projects', 'demo')).statusCode, 403);
  });
});
