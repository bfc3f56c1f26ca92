import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/app.js';
import type { Authenticator, Identity } from '../../api/auth/authenticator.js';
import { ManualClock } from '../../common/clock.js';
import { UnauthorizedError } from '../../common/errors.js';
import { RandomIdGenerator } from '../../common/ids.js';
import { silentLogger } from '../../common/logger.js';
import { parseConfigText } from '../../config/index.js';
import { PolicyEngine, allRuleDefaults } from '../../policy/index.js';
import { placementRuleDefaults } from '../placement-policy-rules.js';
import { PlacementService } from '../placement-service.js';

/** 'admin' is an administrator, 'member' an ordinary project member. */
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

interface ErrorsBody {
  errors: { status: number; title: string; detail: string; code: string; request_id: string }[];
}

describe('placement API: versions, microversions, errors and policy', () => {
  let service: PlacementService;
  let app: FastifyInstance;

  before(async () => {
    const policy = await PolicyEngine.create({ defaults: [...allRuleDefaults(), ...placementRuleDefaults] });
    service = await PlacementService.create({ config: parseConfigText('', 'test'), clock: new ManualClock(), ids: new RandomIdGenerator(), logger: silentLogger(), policy, databaseUrl: 'sqlite://' });
    app = await buildApp({ logger: silentLogger(), ids: new RandomIdGenerator(), authenticator: new FakeAuthenticator(), modules: [service.module()] });
  });
  after(async () => {
    await app.close();
    await service.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers: { 'x-auth-token': 'admin', ...headers } });

  it('serves the root version document without a token', async () => {
    for (const url of ['/placement', '/placement/']) {
      const res = await app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200, url);
      assert.deepEqual(res.json(), { versions: [{ id: 'v1.0', max_version: '1.39', min_version: '1.0', status: 'CURRENT', links: [{ rel: 'self', href: '' }] }] });
      assert.equal(res.headers['openstack-api-version'], 'placement 1.0');
      assert.equal(res.headers['vary'], 'openstack-api-version');
    }
  });

  it('negotiates the microversion and echoes it', async () => {
    const cases: [string | undefined, string][] = [
      [undefined, 'placement 1.0'],
      ['placement 1.17', 'placement 1.17'],
      ['placement latest', 'placement 1.39'],
      ['compute 2.60, placement 1.28', 'placement 1.28'],
      ['compute 2.60', 'placement 1.0'],
    ];
    for (const [header, echoed] of cases) {
      const res = await get('/placement/resource_providers', header === undefined ? {} : { 'openstack-api-version': header });
      assert.equal(res.statusCode, 200, String(header));
      assert.equal(res.headers['openstack-api-version'], echoed);
      assert.equal(res.headers['vary'], 'openstack-api-version');
    }
    const latest = await get('/placement/resource_providers', { 'openstack-api-version': 'placement latest' });
    assert.equal(latest.headers['cache-control'], 'no-cache');
    assert.ok(latest.headers['last-modified'] !== undefined);
  });

  it('refuses a malformed microversion with 400 and one out of range with 406', async () => {
    const bad = await get('/placement/resource_providers', { 'openstack-api-version': 'placement 1.a' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json<ErrorsBody>().errors[0]?.detail ?? '', /invalid version string: 1\.a/);
    const high = await get('/placement/resource_providers', { 'openstack-api-version': 'placement 1.40' });
    assert.equal(high.statusCode, 406);
    assert.equal(high.json<ErrorsBody>().errors[0]?.detail, 'Unacceptable version header: 1.40');
    assert.equal((await get('/placement/resource_providers', { 'openstack-api-version': 'placement 2.0' })).statusCode, 406);
  });

  it('hides routes below the microversion that introduced them', async () => {
    assert.equal((await get('/placement/traits')).statusCode, 404);
    assert.equal((await get('/placement/traits', { 'openstack-api-version': 'placement 1.6' })).statusCode, 200);
    assert.equal((await get('/placement/allocation_candidates?resources=VCPU:1', { 'openstack-api-version': 'placement 1.9' })).statusCode, 404);
    assert.equal((await get('/placement/usages?project_id=p', { 'openstack-api-version': 'placement 1.8' })).statusCode, 404);
  });

  it('answers errors in Placement\'s body shape with the request id', async () => {
    const res = await get('/placement/resource_providers/7d3f5a5e-0000-4000-8000-000000000000');
    assert.equal(res.statusCode, 404);
    const body = res.json<ErrorsBody>();
    assert.equal(body.errors.length, 1);
    assert.deepEqual(Object.keys(body.errors[0] ?? {}).sort(), ['code', 'detail', 'request_id', 'status', 'title']);
    assert.equal(body.errors[0]?.status, 404);
    assert.equal(body.errors[0]?.title, 'Not Found');
    assert.equal(body.errors[0]?.code, 'placement.resource_provider.not_found');
    assert.equal(body.errors[0]?.request_id, res.headers['x-openstack-request-id']);

    const invalid = await app.inject({ method: 'POST', url: '/placement/resource_providers', headers: { 'x-auth-token': 'admin' }, payload: { name: 'x', colour: 'blue' } });
    assert.equal(invalid.statusCode, 400);
    assert.equal(invalid.json<ErrorsBody>().errors[0]?.code, 'placement.undefined_code');
    assert.match(invalid.json<ErrorsBody>().errors[0]?.detail ?? '', /^JSON does not validate: .*colour/);
  });

  it('requires a token, and the admin role on every route', async () => {
    assert.equal((await app.inject({ method: 'GET', url: '/placement/resource_providers' })).statusCode, 401);
    const probes: [string, string, object?][] = [
      ['GET', '/placement/resource_providers'],
      ['POST', '/placement/resource_providers', { name: 'by-member' }],
      ['GET', '/placement/resource_providers/7d3f5a5e-0000-4000-8000-000000000000/inventories'],
      ['GET', '/placement/traits'],
      ['PUT', '/placement/traits/CUSTOM_MEMBER'],
      ['GET', '/placement/resource_classes'],
      ['GET', '/placement/usages?project_id=project-a'],
      ['GET', '/placement/allocations/7d3f5a5e-0000-4000-8000-000000000001'],
      ['POST', '/placement/allocations', {}],
      ['GET', '/placement/allocation_candidates?resources=VCPU:1'],
    ];
    for (const [method, url, payload] of probes) {
      const res = await app.inject({ method: method as 'GET', url, headers: { 'x-auth-token': 'member', 'openstack-api-version': 'placement latest' }, ...(payload === undefined ? {} : { payload }) });
      assert.equal(res.statusCode, 403, `${method} ${url}`);
      assert.equal(res.json<ErrorsBody>().errors[0]?.code, 'placement.policy.forbidden');
    }
    const created = await app.inject({ method: 'GET', url: '/placement/resource_providers?name=by-member', headers: { 'x-auth-token': 'admin' } });
    assert.deepEqual(created.json(), { resource_providers: [] });
  });
});
