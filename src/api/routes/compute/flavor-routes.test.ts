import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ensureDefaultFlavors } from '../../../db/api/default-flavors.js';
import { startHarness, type Harness } from './compute-route-harness.test.js';

const BASE = 'http://localhost:80/compute';
const DETAIL_KEYS_21 = ['OS-FLV-DISABLED:disabled', 'OS-FLV-EXT-DATA:ephemeral', 'disk', 'id', 'links', 'name', 'os-flavor-access:is_public', 'ram', 'rxtx_factor', 'swap', 'vcpus'];

type Row = Record<string, unknown>;

describe('flavor routes', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    await ensureDefaultFlavors(h.deps.api.flavors);
    await h.deps.api.flavors.create({
      flavorid: 'secret', name: 'private.one', memory_mb: 1024, vcpus: 2, root_gb: 10, ephemeral_gb: 5, swap: 512, rxtx_factor: 2, is_public: false, description: 'hidden',
    });
    await h.deps.api.flavors.setExtraSpecs('1', { 'hw:cpu_policy': 'shared' });
  });
  after(async () => h.close());

  describe('list and show', () => {
    it('lists summaries sorted by flavor id at 2.1, with self and bookmark links', async () => {
      const res = await h.call('GET', '/compute/v2.1/flavors', { token: 'member' });
      assert.equal(res.status, 200);
      const flavors = res.body.flavors as Row[];
      assert.deepEqual(flavors.map((f) => f['id']), ['1', '2', '3', '4', '42', '5', '84']);
      assert.deepEqual(flavors[0], {
        id: '1',
        name: 'm1.tiny',
        links: [
          { rel: 'self', href: `${BASE}/v2.1/flavors/1` },
          { rel: 'bookmark', href: `${BASE}/flavors/1` },
        ],
      });
      assert.equal(res.body.flavors_links, undefined);
    });

    it('adds the description to summaries from 2.55', async () => {
      const res = await h.call('GET', '/compute/v2.1/flavors', { mv: '2.55' });
      assert.deepEqual(Object.keys(res.body.flavors[0]).sort(), ['description', 'id', 'links', 'name']);
    });

    it('shows the 2.1 detail shape, with swap "" when 0', async () => {
      const res = await h.call('GET', '/compute/v2.1/flavors/1', { token: 'member' });
      assert.equal(res.status, 200);
      const f = res.body.flavor as Row;
      assert.deepEqual(Object.keys(f).sort(), DETAIL_KEYS_21);
      assert.equal(f['ram'], 512);
      assert.equal(f['disk'], 1);
      assert.equal(f['vcpus'], 1);
      assert.equal(f['swap'], '');
      assert.equal(f['OS-FLV-EXT-DATA:ephemeral'], 0);
      assert.equal(f['OS-FLV-DISABLED:disabled'], false);
      assert.equal(f['os-flavor-access:is_public'], true);
      assert.equal(f['rxtx_factor'], 1);
    });

    it('adds description at 2.55 and extra_specs at 2.61; swap is 0 from 2.75', async () => {
      const at255 = (await h.call('GET', '/compute/v2.1/flavors/1', { mv: '2.55' })).body.flavor as Row;
      assert.deepEqual(Object.keys(at255).sort(), [...DETAIL_KEYS_21, 'description'].sort());
      assert.equal(at255['description'], null);
      const at261 = (await h.call('GET', '/compute/v2.1/flavors/1', { mv: '2.61', token: 'member' })).body.flavor as Row;
      assert.deepEqual(at261['extra_specs'], { 'hw:cpu_policy': 'shared' });
      assert.equal(at261['swap'], '');
      const at275 = (await h.call('GET', '/compute/v2.1/flavors/1', { mv: '2.75' })).body.flavor as Row;
      assert.equal(at275['swap'], 0);
    });

    it('lists details with extra specs at 2.61', async () => {
      const res = await h.call('GET', '/compute/v2.1/flavors/detail?is_public=True', { mv: '2.61' });
      assert.equal(res.status, 200);
      const tiny = (res.body.flavors as Row[]).find((f) => f['id'] === '1');
      assert.deepEqual(tiny?.['extra_specs'], { 'hw:cpu_policy': 'shared' });
      assert.deepEqual((res.body.flavors as Row[]).find((f) => f['id'] === '2')?.['extra_specs'], {});
    });

    it('shows private flavors to admins only, and is_public=None lists all for them', async () => {
      assert.equal((await h.call('GET', '/compute/v2.1/flavors/secret')).status, 200);
      const hidden = await h.call('GET', '/compute/v2.1/flavors/secret', { token: 'member' });
      assert.equal(hidden.status, 404);
      assert.deepEqual(hidden.body, { itemNotFound: { code: 404, message: 'Flavor secret could not be found.' } });

      const adminDefault = await h.call('GET', '/compute/v2.1/flavors/detail');
      assert.ok(!(adminDefault.body.flavors as Row[]).some((f) => f['id'] === 'secret'));
      const adminAll = await h.call('GET', '/compute/v2.1/flavors/detail?is_public=None');
      const secret = (adminAll.body.flavors as Row[]).find((f) => f['id'] === 'secret');
      assert.equal(secret?.['os-flavor-access:is_public'], false);
      assert.equal(secret?.['swap'], 512);
      const adminPrivate = await h.call('GET', '/compute/v2.1/flavors?is_public=false');
      assert.deepEqual((adminPrivate.body.flavors as Row[]).map((f) => f['id']), ['secret']);
      const memberAll = await h.call('GET', '/compute/v2.1/flavors/detail?is_public=None', { token: 'member' });
      assert.ok(!(memberAll.body.flavors as Row[]).some((f) => f['id'] === 'secret'));
      assert.equal((await h.call('GET', '/compute/v2.1/flavors?is_public=maybe')).status, 400);
    });

    it('filters by minRam and minDisk, and sorts on request', async () => {
      const res = await h.call('GET', '/compute/v2.1/flavors/detail?minRam=4096&minDisk=80');
      assert.deepEqual((res.body.flavors as Row[]).map((f) => f['id']), ['4', '5']);
      const sorted = await h.call('GET', '/compute/v2.1/flavors?sort_key=memory_mb&sort_dir=desc');
      assert.deepEqual((sorted.body.flavors as Row[]).map((f) => f['id']), ['5', '4', '3', '2', '1', '84', '42']);
      assert.equal((await h.call('GET', '/compute/v2.1/flavors?minRam=big')).status, 400);
      assert.equal((await h.call('GET', '/compute/v2.1/flavors?sort_key=colour')).status, 400);
    });

    it('pages with limit and marker, with a next link on full pages', async () => {
      const first = await h.call('GET', '/compute/v2.1/flavors/detail?limit=3&is_public=None');
      assert.deepEqual((first.body.flavors as Row[]).map((f) => f['id']), ['1', '2', '3']);
      assert.deepEqual(first.body.flavors_links, [{ rel: 'next', href: `${BASE}/v2.1/flavors/detail?is_public=None&limit=3&marker=3` }]);
      const second = await h.call('GET', '/compute/v2.1/flavors/detail?limit=3&is_public=None&marker=3');
      assert.deepEqual((second.body.flavors as Row[]).map((f) => f['id']), ['4', '42', '5']);
      const third = await h.call('GET', '/compute/v2.1/flavors/detail?limit=3&is_public=None&marker=5');
      assert.deepEqual((third.body.flavors as Row[]).map((f) => f['id']), ['84', 'secret']);
      assert.equal(third.body.flavors_links, undefined);

      const bad = await h.call('GET', '/compute/v2.1/flavors?marker=nope');
      assert.equal(bad.status, 400);
      assert.equal(bad.body.badRequest.message, 'marker [nope] not found');
      assert.equal((await h.call('GET', '/compute/v2.1/flavors?limit=-1')).status, 400);
    });

    it('ignores unknown query parameters below 2.75 and refuses them from 2.75', async () => {
      assert.equal((await h.call('GET', '/compute/v2.1/flavors?colour=red', { mv: '2.74' })).status, 200);
      const res = await h.call('GET', '/compute/v2.1/flavors?colour=red', { mv: '2.75' });
      assert.equal(res.status, 400);
      assert.match(res.body.badRequest.message, /colour/);
    });

    it('serves the same under /compute/v2 with v2 links', async () => {
      const res = await h.call('GET', '/compute/v2/flavors/2');
      assert.equal(res.status, 200);
      assert.equal(res.body.flavor.links[0].href, `${BASE}/v2/flavors/2`);
    });

    it('needs a token', async () => {
      const res = await h.call('GET', '/compute/v2.1/flavors', { token: null });
      assert.equal(res.status, 401);
    });
  });

  describe('create, update and delete', () => {
    const body = { flavor: { name: 'c1.test', ram: 256, vcpus: 1, disk: 2, id: 'c1' } };

    it('creates as admin and answers with the full flavor', async () => {
      const res = await h.call('POST', '/compute/v2.1/flavors', { body, mv: '2.55' });
      assert.equal(res.status, 200);
      const f = res.body.flavor as Row;
      assert.equal(f['id'], 'c1');
      assert.equal(f['name'], 'c1.test');
      assert.equal(f['ram'], 256);
      assert.equal(f['swap'], '');
      assert.equal(f['rxtx_factor'], 1);
      assert.equal(f['os-flavor-access:is_public'], true);
      assert.equal(f['description'], null);
      assert.equal((await h.call('GET', '/compute/v2.1/flavors/c1', { token: 'member' })).status, 200);
    });

    it('generates a uuid id when none is given and accepts numeric strings', async () => {
      const res = await h.call('POST', '/compute/v2.1/flavors', {
        body: { flavor: { name: 'gen', ram: '128', vcpus: '1', disk: '0', id: null, swap: 64, 'OS-FLV-EXT-DATA:ephemeral': 1, rxtx_factor: 1.5, 'os-flavor-access:is_public': 'false', description: 'generated' } },
        mv: '2.61',
      });
      assert.equal(res.status, 200);
      const f = res.body.flavor as Row;
      assert.match(String(f['id']), /^[0-9a-f-]{36}$/);
      assert.equal(f['ram'], 128);
      assert.equal(f['swap'], 64);
      assert.equal(f['OS-FLV-EXT-DATA:ephemeral'], 1);
      assert.equal(f['rxtx_factor'], 1.5);
      assert.equal(f['os-flavor-access:is_public'], false);
      assert.equal(f['description'], 'generated');
      assert.deepEqual(f['extra_specs'], {});
    });

    it('refuses members with 403', async () => {
      const res = await h.call('POST', '/compute/v2.1/flavors', { token: 'member', body: { flavor: { name: 'm', ram: 1, vcpus: 1, disk: 1 } } });
      assert.equal(res.status, 403);
      assert.equal(res.body.forbidden.message, "Policy doesn't allow os_compute_api:os-flavor-manage:create to be performed.");
    });

    it('answers 409 for a duplicate id or name', async () => {
      const byId = await h.call('POST', '/compute/v2.1/flavors', { body: { flavor: { ...body.flavor, name: 'other' } } });
      assert.equal(byId.status, 409);
      assert.equal(byId.body.conflictingRequest.message, 'Flavor with ID c1 already exists.');
      const byName = await h.call('POST', '/compute/v2.1/flavors', { body: { flavor: { ...body.flavor, id: 'c2' } } });
      assert.equal(byName.status, 409);
    });

    it('answers 400 for bad bodies and writes nothing', async () => {
      const cases: unknown[] = [
        { flavor: { ...body.flavor, id: 'x1', colour: 'red' } },
        { flavor: { ...body.flavor, id: 'x2', ram: 0 } },
        { flavor: { ...body.flavor, id: 'x3', ram: '0' } },
        { flavor: { name: 'x4', ram: 1, vcpus: 1 } },
        { flavor: { ...body.flavor, id: 'x5', name: ' lead' } },
        { flavor: { ...body.flavor, id: 'x6', description: 'too early' } },
        { flavor: { ...body.flavor, id: 'x7', rxtx_factor: 0 } },
        { flavor: { ...body.flavor, id: 'x8', 'os-flavor-access:is_public': 'perhaps' } },
        { flavor: { ...body.flavor, id: ' x9' } },
        { flavors: {} },
      ];
      for (const bad of cases) {
        const res = await h.call('POST', '/compute/v2.1/flavors', { body: bad });
        assert.equal(res.status, 400, JSON.stringify(bad));
        assert.equal(typeof res.body.badRequest.message, 'string');
      }
      const unknown = await h.call('POST', '/compute/v2.1/flavors', { body: cases[0] });
      assert.equal(unknown.body.badRequest.message, "Additional properties are not allowed ('colour' was unexpected)");
      for (const id of ['x1', 'x2', 'x3', 'x5', 'x6', 'x7', 'x8']) assert.equal(await h.deps.api.flavors.find(id), undefined);
    });

    it('updates the description from 2.55 only', async () => {
      const early = await h.call('PUT', '/compute/v2.1/flavors/c1', { body: { flavor: { description: 'd' } }, mv: '2.54' });
      assert.equal(early.status, 404);
      const res = await h.call('PUT', '/compute/v2.1/flavors/c1', { body: { flavor: { description: 'small test flavor' } }, mv: '2.55' });
      assert.equal(res.status, 200);
      assert.equal(res.body.flavor.description, 'small test flavor');
      assert.equal((await h.call('PUT', '/compute/v2.1/flavors/c1', { body: { flavor: { name: 'n' } }, mv: '2.55' })).status, 400);
      assert.equal((await h.call('PUT', '/compute/v2.1/flavors/nope', { body: { flavor: { description: null } }, mv: '2.55' })).status, 404);
      assert.equal((await h.call('PUT', '/compute/v2.1/flavors/c1', { body: { flavor: { description: 'x' } }, mv: '2.55', token: 'member' })).status, 403);
    });

    it('deletes with 202, then 404', async () => {
      assert.equal((await h.call('DELETE', '/compute/v2.1/flavors/c1', { token: 'member' })).status, 403);
      const res = await h.call('DELETE', '/compute/v2.1/flavors/c1');
      assert.equal(res.status, 202);
      assert.equal(res.body, undefined);
      assert.equal((await h.call('GET', '/compute/v2.1/flavors/c1')).status, 404);
      assert.equal((await h.call('DELETE', '/compute/v2.1/flavors/c1')).status, 404);
    });
  });

  describe('extra specs', () => {
    const specs = '/compute/v2.1/flavors/3/os-extra_specs';

    it('creates, lists, shows, updates and deletes', async () => {
      assert.deepEqual((await h.call('GET', specs)).body, { extra_specs: {} });
      const created = await h.call('POST', specs, { body: { extra_specs: { 'hw:numa_nodes': '1', 'quota:cpu_shares': 2048 } } });
      assert.equal(created.status, 200);
      assert.deepEqual(created.body, { extra_specs: { 'hw:numa_nodes': '1', 'quota:cpu_shares': 2048 } });
      assert.deepEqual((await h.call('GET', specs, { token: 'member' })).body, { extra_specs: { 'hw:numa_nodes': '1', 'quota:cpu_shares': '2048' } });

      const one = await h.call('GET', `${specs}/hw:numa_nodes`, { token: 'member' });
      assert.equal(one.status, 200);
      assert.deepEqual(one.body, { 'hw:numa_nodes': '1' });

      const updated = await h.call('PUT', `${specs}/hw:numa_nodes`, { body: { 'hw:numa_nodes': '2' } });
      assert.equal(updated.status, 200);
      assert.deepEqual(updated.body, { 'hw:numa_nodes': '2' });
      const mismatch = await h.call('PUT', `${specs}/hw:numa_nodes`, { body: { 'hw:other': '2' } });
      assert.equal(mismatch.status, 400);
      assert.equal(mismatch.body.badRequest.message, 'Request body and URI mismatch');
      assert.equal((await h.call('PUT', `${specs}/hw:numa_nodes`, { body: { 'hw:numa_nodes': '2', b: '1' } })).status, 400);

      const deleted = await h.call('DELETE', `${specs}/hw:numa_nodes`);
      assert.equal(deleted.status, 200);
      assert.equal(deleted.body, undefined);
      const gone = await h.call('GET', `${specs}/hw:numa_nodes`);
      assert.equal(gone.status, 404);
      assert.equal(gone.body.itemNotFound.message, 'Flavor 3 has no extra specs with key hw:numa_nodes.');
      assert.equal((await h.call('DELETE', `${specs}/hw:numa_nodes`)).status, 404);
      assert.deepEqual((await h.call('GET', specs)).body, { extra_specs: { 'quota:cpu_shares': '2048' } });
    });

    it('validates keys and values, and keeps writes to admins', async () => {
      assert.equal((await h.call('POST', specs, { body: { extra_specs: { 'bad/key': 'v' } } })).status, 400);
      assert.equal((await h.call('POST', specs, { body: { extra_specs: { k: 'v'.repeat(256) } } })).status, 400);
      assert.equal((await h.call('POST', specs, { body: { extra_specs: { k: ['v'] } } })).status, 400);
      assert.equal((await h.call('POST', specs, { body: { specs: {} } })).status, 400);
      assert.equal((await h.call('POST', specs, { token: 'member', body: { extra_specs: { k: 'v' } } })).status, 403);
      assert.equal((await h.call('PUT', `${specs}/k`, { token: 'member', body: { k: 'v' } })).status, 403);
      assert.equal((await h.call('DELETE', `${specs}/quota:cpu_shares`, { token: 'member' })).status, 403);
      assert.equal((await h.call('GET', '/compute/v2.1/flavors/nope/os-extra_specs')).status, 404);
      assert.equal((await h.call('GET', '/compute/v2.1/flavors/secret/os-extra_specs', { token: 'member' })).status, 404);
    });
  });
});
