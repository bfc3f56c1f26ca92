import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestCloud, waitForStatus, type HttpResult, type TestCloud } from '../fixtures/test-cloud.js';
import { assertNovaError, C, createServer, imageId, rawRequest } from './helpers.js';

const MAX = '2.96';

describe('microversions and version documents', () => {
  let t: TestCloud;
  let server: string;

  const assertVersion = (res: HttpResult, version: string): void => {
    assert.equal(res.headers.get('x-openstack-nova-api-version'), version);
    assert.equal(res.headers.get('openstack-api-version'), `compute ${version}`);
    const vary = res.headers.get('vary') ?? '';
    assert.match(vary, /OpenStack-API-Version/);
    assert.match(vary, /X-OpenStack-Nova-API-Version/);
  };
  const withHeaders = (path: string, headers: Record<string, string>) =>
    rawRequest(t.admin, 'GET', path, undefined, { 'X-Auth-Token': t.admin.token, ...headers });

  before(async () => {
    t = await startTestCloud();
    const image = await imageId(t.admin);
    server = await createServer(t.admin, { name: 'mv', imageRef: image, flavorRef: '2' });
    await waitForStatus(t.admin, server, 'ACTIVE');
  });
  after(async () => {
    await t?.stop();
  });

  it('no header means 2.1, echoed in both response headers', async () => {
    const res = await t.admin.get(`${C}/servers`);
    assert.equal(res.status, 200);
    assertVersion(res, '2.1');
  });

  it('latest means the maximum', async () => {
    const res = await t.admin.withMicroversion('latest').get(`${C}/servers`);
    assert.equal(res.status, 200);
    assertVersion(res, MAX);
  });

  it('the new header is taken as sent', async () => {
    for (const v of ['2.1', '2.37', '2.75', MAX]) {
      const res = await t.admin.withMicroversion(v).get(`${C}/servers/${server}`);
      assert.equal(res.status, 200, `${v}: ${JSON.stringify(res.body)}`);
      assertVersion(res, v);
    }
  });

  it('the legacy header alone works', async () => {
    const res = await withHeaders(`${C}/servers/${server}`, { 'X-OpenStack-Nova-API-Version': '2.47' });
    assert.equal(res.status, 200);
    assertVersion(res, '2.47');
    assert.equal((res.body as { server: { flavor: { original_name: string } } }).server.flavor.original_name, 'm1.small');
  });

  it('the new header wins over the legacy one', async () => {
    const res = await withHeaders(`${C}/servers`, { 'X-OpenStack-Nova-API-Version': '2.10', 'OpenStack-API-Version': 'compute 2.20' });
    assert.equal(res.status, 200);
    assertVersion(res, '2.20');
  });

  it('a version above the maximum is a 406', async () => {
    for (const v of ['2.200', '2.97', '3.0']) {
      assertNovaError(await t.admin.withMicroversion(v).get(`${C}/servers`), 406, 'notAcceptable');
    }
  });

  it('a malformed version is a 400 and an out-of-range one a 406, as in Nova', async () => {
    assertNovaError(await t.admin.withMicroversion('1.0').get(`${C}/servers`), 406, 'notAcceptable');
    for (const v of ['abc', '2', '2.x', '2.01']) {
      assertNovaError(await t.admin.withMicroversion(v).get(`${C}/servers`), 400, 'badRequest');
    }
    assertNovaError(await withHeaders(`${C}/servers`, { 'X-OpenStack-Nova-API-Version': 'abc' }), 400, 'badRequest');
  });

  it('at 2.1 a server has flavor {id, links}', async () => {
    const res = await t.admin.withMicroversion('2.1').get(`${C}/servers/${server}`);
    const flavor = res.body.server.flavor as { id: string; links: { rel: string; href: string }[] };
    assert.deepEqual(Object.keys(flavor).sort(), ['id', 'links']);
    assert.equal(flavor.id, '2');
    assert.equal(flavor.links[0]?.rel, 'bookmark');
    assert.ok(flavor.links[0]?.href.endsWith('/flavors/2'));
    for (const key of ['locked', 'description', 'tags', 'host_status']) assert.equal(key in res.body.server, false, `${key} is not in 2.1`);
  });

  it('at 2.47 a server embeds its flavor with original_name', async () => {
    const res = await t.admin.withMicroversion('2.47').get(`${C}/servers/${server}`);
    const flavor = res.body.server.flavor as Record<string, unknown>;
    assert.equal('id' in flavor, false);
    assert.equal(flavor['original_name'], 'm1.small');
    assert.equal(flavor['ram'], 2048);
    assert.equal(flavor['vcpus'], 1);
    assert.equal(flavor['disk'], 20);
    assert.equal(flavor['ephemeral'], 0);
    assert.equal(flavor['swap'], 0);
    assert.deepEqual(flavor['extra_specs'], {}, 'administrators see the extra specs');
  });

  it('fields appear at the microversion that introduced them', async () => {
    const at = async (v: string) => (await t.admin.withMicroversion(v).get(`${C}/servers/${server}`)).body.server as Record<string, unknown>;
    assert.equal('locked' in (await at('2.8')), false);
    assert.equal((await at('2.9'))['locked'], false);
    assert.equal('description' in (await at('2.18')), false);
    assert.equal((await at('2.19'))['description'], null);
    assert.equal('host_status' in (await at('2.15')), false);
    assert.equal((await at('2.16'))['host_status'], 'UP');
    assert.deepEqual((await at('2.26'))['tags'], []);
    assert.equal((await at('2.73'))['locked_reason'], null);
  });

  it('the version list answers without a token, v2.0 first', async () => {
    const res = await rawRequest(t.admin, 'GET', '/compute/', undefined, {});
    assert.equal(res.status, 200);
    const versions = (res.body as { versions: Record<string, any>[] }).versions; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.deepEqual(versions.map((v) => v['id']), ['v2.0', 'v2.1']);
    const [v20, v21] = versions;
    assert.equal(v20?.['status'], 'SUPPORTED');
    assert.equal(v21?.['status'], 'CURRENT');
    assert.equal(v21?.['version'], MAX);
    assert.equal(v21?.['min_version'], '2.1');
    const allowed = new Set(['id', 'links', 'status', 'updated', 'version', 'min_version', 'media-types']);
    for (const v of versions) {
      for (const key of Object.keys(v)) assert.ok(allowed.has(key), `unexpected key ${key}`);
      const self = (v['links'] as { rel: string; href: string }[]).find((l) => l.rel === 'self');
      assert.ok(self !== undefined);
      // Every self link can be followed and gives a version document.
      const followed = await t.admin.get(self.href.slice(t.url.length));
      assert.equal(followed.status, 200, self.href);
      assert.equal(followed.body.version.id, v['id']);
    }
  });

  it('GET /compute/v2.1 describes v2.1', async () => {
    for (const path of ['/compute/v2.1', '/compute/v2.1/']) {
      const res = await rawRequest(t.admin, 'GET', path, undefined, {});
      assert.equal(res.status, 200, path);
      const v = (res.body as { version: Record<string, unknown> }).version;
      assert.equal(v['id'], 'v2.1');
      assert.equal(v['status'], 'CURRENT');
      assert.equal(v['version'], MAX);
      assert.equal(v['min_version'], '2.1');
      const self = (v['links'] as { rel: string; href: string }[]).find((l) => l.rel === 'self');
      assert.equal(self?.href, `${t.url}/compute/v2.1/`);
      assert.deepEqual(v['media-types'], [{ base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2.1' }]);
    }
  });

  it('the API is also served under /compute/v2', async () => {
    const res = await t.admin.get(`/compute/v2/servers/${server}`);
    assert.equal(res.status, 200);
    const self = (res.body.server.links as { rel: string; href: string }[]).find((l) => l.rel === 'self');
    assert.equal(self?.href, `${t.url}/compute/v2/servers/${server}`);
  });

  it('every response carries the request id headers', async () => {
    for (const res of [await t.admin.get(`${C}/servers`), await t.admin.get(`${C}/servers/00000000-0000-4000-8000-000000000000`), await rawRequest(t.admin, 'GET', '/compute/', undefined, {})]) {
      const id = res.headers.get('x-openstack-request-id');
      assert.ok(id !== null && id.length > 0);
      assert.equal(res.headers.get('x-compute-request-id'), id);
    }
  });
});
