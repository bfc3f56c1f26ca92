import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MAX_MICROVERSION } from '../../microversion.js';
import { startHarness, type Harness } from './compute-route-harness.test.js';

const ALLOWED_KEYS = new Set(['id', 'links', 'status', 'updated', 'version', 'min_version', 'media-types']);

describe('compute version documents', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h.close());

  for (const url of ['/compute/', '/compute']) {
    it(`GET ${url} lists v2.0 then v2.1 without a token`, async () => {
      const res = await h.call('GET', url, { token: null });
      assert.equal(res.status, 200);
      const versions = res.body.versions as Record<string, unknown>[];
      assert.deepEqual(
        versions.map((v) => [v['id'], v['status'], v['version'], v['min_version'], v['updated']]),
        [
          ['v2.0', 'SUPPORTED', '', '', '2011-01-21T11:33:21Z'],
          ['v2.1', 'CURRENT', MAX_MICROVERSION, '2.1', '2013-07-23T11:33:21Z'],
        ],
      );
      assert.deepEqual(versions[0]?.['links'], [{ rel: 'self', href: 'http://localhost:80/compute/v2/' }]);
      assert.deepEqual(versions[1]?.['links'], [{ rel: 'self', href: 'http://localhost:80/compute/v2.1/' }]);
      for (const v of versions) for (const key of Object.keys(v)) assert.ok(ALLOWED_KEYS.has(key), key);
      assert.equal(versions[0]?.['media-types'], undefined);
    });
  }

  for (const url of ['/compute/v2.1', '/compute/v2.1/']) {
    it(`GET ${url} describes v2.1`, async () => {
      const res = await h.call('GET', url, { token: null });
      assert.equal(res.status, 200);
      const v = res.body.version as Record<string, unknown>;
      assert.equal(v['id'], 'v2.1');
      assert.equal(v['status'], 'CURRENT');
      assert.equal(v['version'], MAX_MICROVERSION);
      assert.equal(v['min_version'], '2.1');
      assert.deepEqual((v['links'] as unknown[])[0], { rel: 'self', href: 'http://localhost:80/compute/v2.1/' });
      assert.deepEqual(v['media-types'], [{ base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2.1' }]);
      for (const key of Object.keys(v)) assert.ok(ALLOWED_KEYS.has(key), key);
    });
  }

  it('GET /compute/v2/ describes v2.0, also with a token', async () => {
    const res = await h.call('GET', '/compute/v2/');
    assert.equal(res.status, 200);
    const v = res.body.version as Record<string, unknown>;
    assert.equal(v['id'], 'v2.0');
    assert.equal(v['status'], 'SUPPORTED');
    assert.equal(v['version'], '');
    assert.equal(v['min_version'], '');
    assert.deepEqual((v['links'] as unknown[])[0], { rel: 'self', href: 'http://localhost:80/compute/v2/' });
    assert.deepEqual(v['media-types'], [{ base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2' }]);
  });
});
