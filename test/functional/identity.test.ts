import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiClient, login, startTestCloud, type TestCloud } from '../fixtures/test-cloud.js';
import { C, rawRequest } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

describe('identity and authentication', () => {
  let t: TestCloud;

  const passwordAuth = (user: string, password: string, project: string) => ({
    auth: {
      identity: { methods: ['password'], password: { user: { name: user, domain: { name: 'Default' }, password } } },
      scope: { project: { name: project, domain: { name: 'Default' } } },
    },
  });
  const postTokens = (body: unknown) =>
    rawRequest(t.admin, 'POST', '/identity/v3/auth/tokens', JSON.stringify(body), { 'Content-Type': 'application/json' });

  /** Keystone's 401 body, which strict clients parse: {"error": {"code": 401, "title": "Unauthorized", "message": ...}}. */
  const assertKeystone401 = (res: { status: number; body: unknown }): void => {
    assert.equal(res.status, 401, JSON.stringify(res.body));
    const error = (res.body as { error?: Record<string, unknown> }).error;
    assert.ok(error !== undefined, `an "error" body: ${JSON.stringify(res.body)}`);
    assert.equal(error['code'], 401);
    assert.equal(error['title'], 'Unauthorized');
    assert.equal(typeof error['message'], 'string');
  };

  before(async () => {
    t = await startTestCloud();
  });
  after(async () => {
    await t?.stop();
  });

  it('a right password gets a token and a usable catalog', async () => {
    const res = await postTokens(passwordAuth('demo', 'demo-secret', 'demo'));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const token = res.headers.get('x-subject-token');
    assert.ok(token !== null && token.length > 0);
    const body = res.body as { token: Record<string, any> };
    assert.equal(body.token['user'].name, 'demo');
    assert.equal(body.token['project'].name, 'demo');
    const compute = (body.token['catalog'] as Record<string, any>[]).find((s) => s['type'] === 'compute');
    const url = (compute?.['endpoints'] as { interface: string; url: string }[]).find((e) => e.interface === 'public')?.url;
    assert.equal(url, `${t.url}/compute/v2.1`);
    const client = new ApiClient(t.url, token, undefined);
    assert.equal((await client.get(`${C}/servers`)).status, 200);
  });

  it('a wrong password is a 401 with a Keystone error body', async () => {
    assertKeystone401(await postTokens(passwordAuth('demo', 'not-the-password', 'demo')));
  });

  it('an unknown user is a 401 too, with the same message', async () => {
    const unknown = await postTokens(passwordAuth('nobody', 'whatever', 'demo'));
    const wrong = await postTokens(passwordAuth('demo', 'whatever', 'demo'));
    assertKeystone401(unknown);
    assert.equal((unknown.body as any).error.message, (wrong.body as any).error.message, 'nothing tells a missing user from a wrong password');
  });

  it('login() of the fixture refuses a wrong password', async () => {
    await assert.rejects(login(t.url, 'admin', 'wrong', 'admin'), /401/);
  });

  it('a compute request without a token is a 401', async () => {
    for (const path of [`${C}/servers`, `${C}/flavors`, `${C}/os-services`]) {
      const res = await rawRequest(t.admin, 'GET', path, undefined, {});
      assert.equal(res.status, 401, path);
      assert.ok(res.headers.get('www-authenticate') !== null, 'WWW-Authenticate says where to authenticate');
      assert.ok(res.headers.get('x-openstack-request-id') !== null);
    }
  });

  it('an empty token is a 401', async () => {
    const res = await rawRequest(t.admin, 'GET', `${C}/servers`, undefined, { 'X-Auth-Token': '' });
    assert.equal(res.status, 401);
  });

  it('a garbage token is a 401', async () => {
    for (const token of ['garbage', 'gAAAAAB-not-a-real-token', `${t.admin.token}x`]) {
      const res = await new ApiClient(t.url, token, undefined).get(`${C}/servers`);
      assert.equal(res.status, 401, token);
    }
  });

  it('a 401 changes nothing: a create without a valid token creates nothing', async () => {
    const before = await t.admin.get(`${C}/servers?all_tenants=1`);
    const res = await new ApiClient(t.url, 'garbage', '2.37').post(`${C}/servers`, { server: { name: 'x', imageRef: '', flavorRef: '1', networks: 'none' } });
    assert.equal(res.status, 401);
    const after = await t.admin.get(`${C}/servers?all_tenants=1`);
    assert.deepEqual(after.body.servers, before.body.servers);
  });

  it('a revoked token is refused afterwards', async () => {
    const token = await login(t.url, 'demo', 'demo-secret', 'demo');
    const client = new ApiClient(t.url, token, undefined);
    assert.equal((await client.get(`${C}/servers`)).status, 200);
    const revoke = await rawRequest(t.admin, 'DELETE', '/identity/v3/auth/tokens', undefined, { 'X-Auth-Token': token, 'X-Subject-Token': token });
    assert.equal(revoke.status, 204, JSON.stringify(revoke.body));
    assert.equal((await client.get(`${C}/servers`)).status, 401);
  });

  it('the identity version document answers without a token', async () => {
    const res = await rawRequest(t.admin, 'GET', '/identity/v3', undefined, {});
    assert.equal(res.status, 200);
    assert.equal((res.body as any).version.id, 'v3.14');
  });
});
