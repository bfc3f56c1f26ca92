import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../api/app.js';
import { ManualClock } from '../common/clock.js';
import { RandomIdGenerator } from '../common/ids.js';
import { silentLogger } from '../common/logger.js';
import { parseConfigText } from '../config/index.js';
import { IdentityService } from './identity-service.js';

const AUTH_REQUIRED = 'The request you have made requires authentication.';
const DEFAULT = { name: 'Default' };

function passwordBody(user: string, password: string, project: string): Record<string, unknown> {
  return {
    auth: {
      identity: { methods: ['password'], password: { user: { name: user, domain: DEFAULT, password } } },
      scope: { project: { name: project, domain: DEFAULT } },
    },
  };
}

interface TokenBody {
  token: {
    methods: string[];
    user: { id: string; name: string; domain: { id: string; name: string }; password_expires_at: null };
    project: { id: string; name: string; domain: { id: string; name: string } };
    roles: { id: string; name: string }[];
    catalog?: { id: string; type: string; name: string; endpoints: { id: string; interface: string; region: string; region_id: string; url: string }[] }[];
    expires_at: string;
    issued_at: string;
    audit_ids: string[];
    is_domain: boolean;
  };
}

describe('identity routes', () => {
  const clock = new ManualClock(new Date('2026-11-24T10:00:00Z'));
  const config = parseConfigText('', 'test', { identity: { admin_password: 'admin-pw', member_password: 'demo-pw' } });
  let identity: IdentityService;
  let app: FastifyInstance;

  before(async () => {
    const ids = new RandomIdGenerator();
    identity = await IdentityService.create({
      config,
      clock,
      ids,
      logger: silentLogger(),
      databaseUrl: 'sqlite://',
      persistCredentials: false,
      catalogServices: [
        { type: 'compute', name: 'nova', path: '/compute/v2.1' },
        { type: 'image', name: 'glance', path: '/image' },
        { type: 'identity', name: 'keystone', path: '/identity' },
      ],
    });
    app = await buildApp({ logger: silentLogger(), ids, authenticator: identity, modules: [identity.module()] });
  });
  after(async () => {
    await app.close();
    await identity.close();
  });

  async function issue(user = 'admin', password = 'admin-pw', project = 'admin'): Promise<{ token: string; body: TokenBody }> {
    const res = await app.inject({ method: 'POST', url: '/identity/v3/auth/tokens', payload: passwordBody(user, password, project) });
    assert.equal(res.statusCode, 201, res.body);
    return { token: String(res.headers['x-subject-token']), body: res.json<TokenBody>() };
  }

  it('GET /identity/v3 answers the v3 version document without a token', async () => {
    for (const url of ['/identity/v3', '/identity/v3/']) {
      const res = await app.inject({ method: 'GET', url, headers: { host: '192.0.2.10:8774' } });
      assert.equal(res.statusCode, 200, url);
      assert.deepEqual(res.json(), {
        version: {
          id: 'v3.14',
          status: 'stable',
          updated: '2020-04-07T00:00:00Z',
          links: [{ rel: 'self', href: 'http://192.0.2.10:8774/identity/v3/' }],
          'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
        },
      });
    }
  });

  it('GET /identity answers 300 with the version list', async () => {
    for (const url of ['/identity', '/identity/']) {
      const res = await app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 300, url);
      const body = res.json<{ versions: { values: { id: string; links: { href: string }[] }[] } }>();
      assert.equal(body.versions.values.length, 1);
      assert.equal(body.versions.values[0]?.id, 'v3.14');
      assert.match(body.versions.values[0]?.links[0]?.href ?? '', /\/identity\/v3\/$/);
    }
  });

  it('POST /identity/v3/auth/tokens issues a token with the body clients read', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/identity/v3/auth/tokens',
      headers: { host: 'cloud.example:8774' },
      payload: passwordBody('admin', 'admin-pw', 'admin'),
    });
    assert.equal(res.statusCode, 201);
    const token = res.headers['x-subject-token'];
    assert.equal(typeof token, 'string');
    assert.ok(String(token).length >= 32);
    const { token: t } = res.json<TokenBody>();
    assert.deepEqual(t.methods, ['password']);
    assert.equal(t.user.name, 'admin');
    assert.deepEqual(t.user.domain, { id: 'default', name: 'Default' });
    assert.equal(t.user.password_expires_at, null);
    assert.equal(t.project.name, 'admin');
    assert.match(t.project.id, /^[0-9a-f]{32}$/);
    assert.deepEqual(t.project.domain, { id: 'default', name: 'Default' });
    assert.deepEqual(t.roles.map((r) => r.name), ['admin', 'member', 'reader']);
    assert.equal(t.issued_at, '2026-11-24T10:00:00.000000Z');
    assert.equal(t.expires_at, '2026-11-24T11:00:00.000000Z');
    assert.equal(t.is_domain, false);
    assert.equal(t.audit_ids.length, 1);
    assert.deepEqual(t.catalog?.map((c) => c.type), ['compute', 'image', 'identity']);
    for (const entry of t.catalog ?? []) {
      assert.ok(entry.id && entry.name);
      assert.deepEqual(entry.endpoints.map((e) => e.interface).sort(), ['admin', 'internal', 'public']);
      for (const e of entry.endpoints) {
        assert.equal(e.region, 'RegionOne');
        assert.equal(e.region_id, 'RegionOne');
        assert.ok(e.id);
      }
    }
    const compute = t.catalog?.find((c) => c.type === 'compute');
    assert.equal(compute?.endpoints.find((e) => e.interface === 'public')?.url, 'http://cloud.example:8774/compute/v2.1');
  });

  it('the issued token authenticates other requests; the identity carries isAdmin', async () => {
    const admin = await issue();
    const idAdmin = await identity.authenticate(admin.token);
    assert.equal(idAdmin.isAdmin, true);
    assert.equal(idAdmin.projectId, admin.body.token.project.id);
    assert.equal(idAdmin.userName, 'admin');
    const demo = await issue('demo', 'demo-pw', 'demo');
    const idDemo = await identity.authenticate(demo.token);
    assert.equal(idDemo.isAdmin, false);
    assert.deepEqual(idDemo.roles, ['member', 'reader']);
    assert.equal(idDemo.projectName, 'demo');
  });

  it('answers 401 in Keystone error shape for a wrong password, unknown user or foreign project', async () => {
    for (const body of [passwordBody('admin', 'nope', 'admin'), passwordBody('ghost', 'admin-pw', 'admin'), passwordBody('demo', 'demo-pw', 'admin')]) {
      const res = await app.inject({ method: 'POST', url: '/identity/v3/auth/tokens', payload: body });
      assert.equal(res.statusCode, 401);
      assert.deepEqual(res.json(), { error: { code: 401, title: 'Unauthorized', message: AUTH_REQUIRED } });
      assert.equal(res.headers['x-subject-token'], undefined);
    }
  });

  it('answers 400 with a clear message for a malformed body', async () => {
    const cases: { payload: string; match: RegExp }[] = [
      { payload: '{"auth": {"identity": {"methods": "password"}}}', match: /methods/ },
      { payload: '{"nothing": 1}', match: /'auth' is a required property/ },
      { payload: '{"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin", "password": "x"}}}}}', match: /domain in user/ },
      { payload: '{"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin", "domain": {"name": "Default"}, "password": "x"}}}, "scope": {"domain": {"name": "Default"}}}}', match: /'domain' was unexpected/ },
      { payload: '{"auth": ', match: /Malformed request body/ },
      { payload: '', match: /"auth"/ },
    ];
    for (const c of cases) {
      const res = await app.inject({ method: 'POST', url: '/identity/v3/auth/tokens', headers: { 'content-type': 'application/json' }, payload: c.payload });
      assert.equal(res.statusCode, 400, c.payload);
      const body = res.json<{ error: { code: number; title: string; message: string } }>();
      assert.equal(body.error.code, 400);
      assert.equal(body.error.title, 'Bad Request');
      assert.match(body.error.message, c.match, c.payload);
    }
  });

  it('re-scopes with the token method over HTTP', async () => {
    const admin = await issue();
    const res = await app.inject({
      method: 'POST',
      url: '/identity/v3/auth/tokens',
      payload: { auth: { identity: { methods: ['token'], token: { id: admin.token } }, scope: { project: { name: 'admin', domain: DEFAULT } } } },
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.notEqual(res.headers['x-subject-token'], admin.token);
    assert.deepEqual(res.json<TokenBody>().token.methods, ['token', 'password']);
  });

  it('GET /identity/v3/auth/tokens validates a subject token; DELETE revokes it', async () => {
    const admin = await issue();
    const demo = await issue('demo', 'demo-pw', 'demo');

    const noAuth = await app.inject({ method: 'GET', url: '/identity/v3/auth/tokens', headers: { 'x-subject-token': demo.token } });
    assert.equal(noAuth.statusCode, 401);
    assert.deepEqual(noAuth.json(), { error: { code: 401, title: 'Unauthorized', message: AUTH_REQUIRED } });

    const ok = await app.inject({ method: 'GET', url: '/identity/v3/auth/tokens', headers: { 'x-auth-token': admin.token, 'x-subject-token': demo.token } });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.headers['x-subject-token'], demo.token);
    assert.equal(ok.json<TokenBody>().token.user.name, 'demo');
    assert.ok(ok.json<TokenBody>().token.catalog);

    const noCatalog = await app.inject({ method: 'GET', url: '/identity/v3/auth/tokens?nocatalog', headers: { 'x-auth-token': demo.token, 'x-subject-token': demo.token } });
    assert.equal(noCatalog.statusCode, 200);
    assert.equal(noCatalog.json<TokenBody>().token.catalog, undefined);

    const foreign = await app.inject({ method: 'GET', url: '/identity/v3/auth/tokens', headers: { 'x-auth-token': demo.token, 'x-subject-token': admin.token } });
    assert.equal(foreign.statusCode, 403);

    const bogus = await app.inject({ method: 'GET', url: '/identity/v3/auth/tokens', headers: { 'x-auth-token': admin.token, 'x-subject-token': 'bogus' } });
    assert.equal(bogus.statusCode, 404);
    assert.equal(bogus.json<{ error: { code: number } }>().error.code, 404);

    const del = await app.inject({ method: 'DELETE', url: '/identity/v3/auth/tokens', headers: { 'x-auth-token': admin.token, 'x-subject-token': demo.token } });
    assert.equal(del.statusCode, 204);
    const after = await app.inject({ method: 'GET', url: '/identity/v3/auth/tokens', headers: { 'x-auth-token': admin.token, 'x-subject-token': demo.token } });
    assert.equal(after.statusCode, 404);
    await assert.rejects(identity.authenticate(demo.token));
  });

  it('refuses a token after it expires', async () => {
    const demo = await issue('demo', 'demo-pw', 'demo');
    clock.advance(3600_000);
    const res = await app.inject({ method: 'GET', url: '/identity/v3/auth/tokens', headers: { 'x-auth-token': demo.token, 'x-subject-token': demo.token } });
    assert.equal(res.statusCode, 401);
    assert.ok((await identity.purgeExpired()) >= 1);
  });
});
