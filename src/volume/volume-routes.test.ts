import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ALICE, INSTANCE_1, imageView, startVolumeHarness, type CallResult, type VolumeHarness } from './volume-harness.test.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

const IMAGE = '5e1b3c66-0c0f-4d7a-9d4c-2b4a3b8f3c01';

/** Asserts Cinder's fault body: exactly `{"<key>": {"code", "message"}}` (413 adds retryAfter). */
function assertFault(res: CallResult, status: number, key: string, message?: string | RegExp): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.deepEqual(Object.keys(res.body), [key], JSON.stringify(res.body));
  assert.equal(res.body[key].code, status);
  if (typeof message === 'string') assert.equal(res.body[key].message, message);
  else if (message !== undefined) assert.match(res.body[key].message, message);
}

describe('volume routes', () => {
  let h: VolumeHarness;
  before(async () => {
    h = await startVolumeHarness({ limits: { volumes: 5, gigabytes: 20 } });
    h.images.add(imageView({ id: IMAGE, name: 'cirros' }));
  });
  after(async () => h.close());
  beforeEach(async () => {
    await h.database.db.deleteFrom('volume_attachments').execute();
    await h.database.db.deleteFrom('volumes').execute();
    await h.database.db.deleteFrom('volume_quota_usages').execute();
  });

  const volumeCount = () => h.store.volumes.count();
  const create = (body: unknown, options: { mv?: string; who?: 'alice' | 'bob' | 'admin' | 'reader'; url?: string } = {}) =>
    h.call('POST', options.url ?? '/volume/v3/volumes', { body, ...(options.mv === undefined ? {} : { mv: options.mv }), ...(options.who === undefined ? {} : { who: options.who }) });

  describe('versions and microversions', () => {
    it('answers the version list without a token: 300 at the root, 200 at /v3', async () => {
      for (const [url, status] of [['/volume', 300], ['/volume/', 300], ['/volume/v3', 200], ['/volume/v3/', 200]] as const) {
        const res = await h.call('GET', url, { who: null });
        assert.equal(res.status, status, url);
        assert.deepEqual(res.body, {
          versions: [{
            id: 'v3.0', status: 'CURRENT', version: '3.70', min_version: '3.0', updated: '2022-08-31T00:00:00Z',
            links: [{ rel: 'describedby', type: 'text/html', href: 'https://docs.openstack.org/' }, { rel: 'self', href: 'http://cloud.test/volume/v3/' }],
            'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.volume+json;version=3' }],
          }],
        });
      }
    });

    it('negotiates OpenStack-API-Version: volume X and echoes it, on errors too', async () => {
      const none = await h.call('GET', '/volume/v3/volumes');
      assert.equal(none.headers['openstack-api-version'], 'volume 3.0');
      assert.equal(none.headers['vary'], 'OpenStack-API-Version');
      assert.equal((await h.call('GET', '/volume/v3/volumes', { mv: 'latest' })).headers['openstack-api-version'], 'volume 3.70');
      assert.equal((await h.call('GET', '/volume/v3/volumes', { mv: '3.27' })).headers['openstack-api-version'], 'volume 3.27');
      const missing = await h.call('GET', '/volume/v3/volumes/00000000-0000-4000-8000-000000000000', { mv: '3.44' });
      assert.equal(missing.headers['openstack-api-version'], 'volume 3.44');
      assertFault(await h.call('GET', '/volume/v3/volumes', { mv: '3.71' }), 406, 'notAcceptable', 'Version 3.71 is not supported by the API. Minimum is 3.0 and maximum is 3.70.');
      assertFault(await h.call('GET', '/volume/v3/volumes', { mv: '2.9' }), 406, 'notAcceptable');
      assertFault(await h.call('GET', '/volume/v3/volumes', { mv: '3.x' }), 400, 'badRequest', 'API Version String 3.x is of invalid format. Must be of format MajorNum.MinorNum.');
    });

    it('refuses the API without a token, in Keystone\'s shape', async () => {
      const res = await h.call('GET', '/volume/v3/volumes', { who: null });
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 401);
    });
  });

  describe('create', () => {
    it('answers 202 with the volume already available, in Cinder\'s detail shape', async () => {
      const res = await create({ volume: { size: 1, name: '  v1 ', description: 'first', metadata: { tier: 'gold' }, snapshot_id: null, source_volid: null, consistencygroup_id: null, backup_id: null, volume_type: null, availability_zone: null, imageRef: null } });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      const v = res.body.volume;
      assert.deepEqual(Object.keys(v).sort(), [
        'attachments', 'availability_zone', 'bootable', 'consistencygroup_id', 'created_at', 'description', 'encrypted', 'id', 'links', 'metadata',
        'multiattach', 'name', 'os-vol-tenant-attr:tenant_id', 'replication_status', 'size', 'snapshot_id', 'source_volid', 'status', 'updated_at',
        'user_id', 'volume_type',
      ]);
      assert.equal(v.name, 'v1', 'surrounding white space is stripped');
      assert.equal(v.status, 'available');
      assert.equal(v.bootable, 'false');
      assert.equal(v.volume_type, '__DEFAULT__');
      assert.equal(v['os-vol-tenant-attr:tenant_id'], 'p-a');
      assert.match(v.created_at, /^2026-11-24T10:00:00\.000000$/);
      assert.deepEqual(v.links, [
        { rel: 'self', href: `http://cloud.test/volume/v3/volumes/${v.id}` },
        { rel: 'bookmark', href: `http://cloud.test/volume/volumes/${v.id}` },
      ]);
    });

    it('creates from an image: bootable, with volume_image_metadata', async () => {
      const res = await create({ volume: { size: 1, imageRef: IMAGE } });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      assert.equal(res.body.volume.bootable, 'true');
      assert.equal(res.body.volume.volume_image_metadata.image_id, IMAGE);
      assert.equal((await create({ volume: { size: '1', image_id: 'cirros' } })).body.volume.bootable, 'true', 'size as text and image_id by name are accepted');
    });

    it('refuses bad bodies with 400 and creates nothing', async () => {
      const cases: [unknown, RegExp][] = [
        [{}, /'volume' is a required property/],
        [{ volume: {} }, /Invalid volume size provided for create request: None/],
        [{ volume: { size: 0 } }, /0 is less than the minimum of 1/],
        [{ volume: { size: -1 } }, /is less than the minimum of 1/],
        [{ volume: { size: 'ten' } }, /field\/attribute size/],
        [{ volume: { size: 1.5 } }, /field\/attribute size/],
        [{ volume: { size: 1, name: 'x'.repeat(256) } }, /is too long/],
        [{ volume: { size: 1, metadata: { 'bad key!': 'v' } } }, /\('bad key!' was unexpected\)/],
        [{ volume: { size: 1, metadata: { k: 7 } } }, /field\/attribute k/],
        [{ volume: { size: 1, snapshot_id: 'not-a-uuid' } }, /snapshot_id/],
        [{ volume: { size: 1, snapshot_id: '00000000-0000-4000-8000-000000000001' } }, /Creating a volume from a snapshot is not supported/],
        [{ volume: { size: 1, source_volid: '00000000-0000-4000-8000-000000000001' } }, /from another volume is not supported/],
        [{ volume: { size: 1, multiattach: true } }, /^multiattach parameter has been removed/],
        [{ volume: { size: 1, availability_zone: 'cell1' } }, /^Availability zone 'cell1' is invalid\.$/],
        [{ volume: { size: 1, imageRef: 'no-such-image' } }, /^Invalid image identifier or unable to access requested image\.$/],
        [{ volume: { size: 1 }, extra: true }, /Additional properties are not allowed \('extra' was unexpected\)/],
      ];
      for (const [body, message] of cases) assertFault(await create(body), 400, 'badRequest', message);
      assertFault(await create({ volume: { size: 1 } }, { who: 'reader' }), 403, 'forbidden', "Policy doesn't allow volume:create to be performed.");
      assertFault(await create({ volume: { size: 1, volume_type: 'ssd' } }), 404, 'itemNotFound', 'Volume type with name ssd could not be found.');
      assert.equal(await volumeCount(), 0);
    });

    it('ignores unknown keys below 3.53 and refuses them from 3.53', async () => {
      assert.equal((await create({ volume: { size: 1, colour: 'blue' } }, { mv: '3.52' })).status, 202);
      assertFault(await create({ volume: { size: 1, colour: 'blue' } }, { mv: '3.53' }), 400, 'badRequest', /'colour' was unexpected/);
      assert.equal(await volumeCount(), 1);
    });

    it('answers over-quota with 413 overLimit and retryAfter', async () => {
      const res = await create({ volume: { size: 21 } });
      assert.equal(res.status, 413);
      assert.deepEqual(res.body, { overLimit: { code: 413, message: 'Requested volume or snapshot exceeds allowed gigabytes quota. Requested 21G, quota is 20G and 0G has been consumed.', retryAfter: '0' } });
      assert.equal(await volumeCount(), 0);
    });
  });

  describe('list, show, update, delete', () => {
    async function three(): Promise<[string, string, string]> {
      const ids: string[] = [];
      for (const name of ['a', 'b', 'c']) {
        h.clock.advance(1000);
        ids.push((await create({ volume: { size: 1, name } })).body.volume.id);
      }
      return ids as [string, string, string];
    }

    it('lists summaries and details, newest first, paging with volumes_links', async () => {
      const [a, b, c] = await three();
      const summary = await h.call('GET', '/volume/v3/volumes');
      assert.deepEqual(summary.body.volumes.map((v: any) => [v.id, v.name, Object.keys(v).sort()]), [c, b, a].map((id, i) => [id, ['c', 'b', 'a'][i], ['id', 'links', 'name']]));
      assert.equal(summary.body.volumes_links, undefined);
      const page = await h.call('GET', '/volume/v3/volumes/detail?limit=2&name=b&limit=2');
      assert.deepEqual(page.body.volumes.map((v: any) => v.id), [b]);
      const first = await h.call('GET', '/volume/v3/volumes/detail?limit=2');
      assert.deepEqual(first.body.volumes.map((v: any) => v.id), [c, b]);
      assert.equal(first.body.volumes[0].status, 'available');
      assert.deepEqual(first.body.volumes_links, [{ rel: 'next', href: `http://cloud.test/volume/v3/volumes/detail?limit=2&marker=${b}` }]);
      const second = await h.call('GET', `/volume/v3/volumes/detail?limit=2&marker=${b}`);
      assert.deepEqual(second.body.volumes.map((v: any) => v.id), [a]);
      assert.equal(second.body.volumes_links, undefined);
      const sorted = await h.call('GET', '/volume/v3/volumes?sort=name:asc');
      assert.deepEqual(sorted.body.volumes.map((v: any) => v.name), ['a', 'b', 'c']);
      const sortedOld = await h.call('GET', '/volume/v3/volumes?sort_key=name&sort_dir=desc');
      assert.deepEqual(sortedOld.body.volumes.map((v: any) => v.name), ['c', 'b', 'a']);
    });

    it('counts with with_count from 3.45 only, and refuses unknown or bad query parameters', async () => {
      await three();
      const counted = await h.call('GET', '/volume/v3/volumes?with_count=true&limit=1', { mv: '3.45' });
      assert.equal(counted.body.count, 3);
      assert.equal(counted.body.volumes.length, 1);
      assertFault(await h.call('GET', '/volume/v3/volumes?with_count=true', { mv: '3.44' }), 400, 'badRequest', /with_count/);
      assertFault(await h.call('GET', '/volume/v3/volumes?colour=blue'), 400, 'badRequest', /colour/);
      assertFault(await h.call('GET', '/volume/v3/volumes?limit=0'), 400, 'badRequest', /limit/);
      assertFault(await h.call('GET', '/volume/v3/volumes?sort=name,size'), 400, 'badRequest', /more than one key/);
      assertFault(await h.call('GET', '/volume/v3/volumes?sort=colour'), 400, 'badRequest', /Invalid sort key: colour/);
      assertFault(await h.call('GET', '/volume/v3/volumes?marker=00000000-0000-4000-8000-000000000009'), 400, 'badRequest', /Marker .* could not be found/);
    });

    it('serves project-scoped URLs for the caller\'s own project, links keeping the project id', async () => {
      const [a] = await three();
      const res = await h.call('GET', `/volume/v3/p-a/volumes/${a}`);
      assert.equal(res.status, 200);
      assert.equal(res.body.volume.links[0].href, `http://cloud.test/volume/v3/p-a/volumes/${a}`);
      assert.equal(res.body.volume.links[1].href, `http://cloud.test/volume/p-a/volumes/${a}`);
      assert.equal((await h.call('GET', '/volume/v3/p-a/volumes/detail')).body.volumes.length, 3);
      const created = await create({ volume: { size: 1 } }, { url: '/volume/v3/p-a/volumes' });
      assert.equal(created.status, 202);
      assertFault(await h.call('GET', '/volume/v3/p-b/volumes'), 400, 'badRequest', 'Malformed request url');
      assertFault(await create({ volume: { size: 1 } }, { url: '/volume/v3/p-b/volumes' }), 400, 'badRequest', 'Malformed request url');
      assert.equal(await volumeCount(), 4);
    });

    it('keeps projects apart: 404 for another project\'s volume, all_tenants only for admins', async () => {
      const [a] = await three();
      assertFault(await h.call('GET', `/volume/v3/volumes/${a}`, { who: 'bob' }), 404, 'itemNotFound', `Volume ${a} could not be found.`);
      assertFault(await h.call('PUT', `/volume/v3/volumes/${a}`, { who: 'bob', body: { volume: { name: 'x' } } }), 404, 'itemNotFound');
      assertFault(await h.call('DELETE', `/volume/v3/volumes/${a}`, { who: 'bob' }), 404, 'itemNotFound');
      assert.deepEqual((await h.call('GET', '/volume/v3/volumes?all_tenants=1', { who: 'bob' })).body.volumes, []);
      assert.equal((await h.call('GET', '/volume/v3/volumes?all_tenants=1', { who: 'admin' })).body.volumes.length, 3);
      assert.equal((await h.call('GET', '/volume/v3/volumes?all_tenants=True&project_id=p-b', { who: 'admin' })).body.volumes.length, 0);
      assert.equal((await h.call('GET', `/volume/v3/volumes/${a}`)).body.volume.name, 'a');
    });

    it('shows admin-only attributes to admins, and fields by microversion', async () => {
      const [a] = await three();
      const member = (await h.call('GET', `/volume/v3/volumes/${a}`, { mv: '3.70' })).body.volume;
      const admin = (await h.call('GET', `/volume/v3/volumes/${a}`, { who: 'admin', mv: '3.70' })).body.volume;
      for (const key of ['os-vol-host-attr:host', 'migration_status', 'os-vol-mig-status-attr:migstat', 'provider_id', 'cluster_name']) {
        assert.equal(key in member, false, `member: ${key}`);
        assert.equal(key in admin, true, `admin: ${key}`);
      }
      assert.equal(admin['os-vol-host-attr:host'], 'testhost@fake#fake');
      assert.deepEqual(
        [member.group_id, member.shared_targets, member.service_uuid, member.volume_type_id, member.consumes_quota],
        [null, false, null, '4e8b2bd4-7c2a-4d2c-9f3a-3a1e2f0c5b61', true],
      );
      const old = (await h.call('GET', `/volume/v3/volumes/${a}`, { mv: '3.12' })).body.volume;
      for (const key of ['group_id', 'shared_targets', 'service_uuid', 'volume_type_id', 'consumes_quota']) assert.equal(key in old, false, `3.12: ${key}`);
      const mid = (await h.call('GET', `/volume/v3/volumes/${a}`, { mv: '3.48' })).body.volume;
      assert.deepEqual([('group_id' in mid), ('shared_targets' in mid), ('volume_type_id' in mid)], [true, true, false]);
    });

    it('updates name, description and metadata; from 3.53 an empty update is refused', async () => {
      const [a] = await three();
      const res = await h.call('PUT', `/volume/v3/volumes/${a}`, { body: { volume: { display_name: 'renamed', description: 'd', metadata: { k: 'v' } } } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual([res.body.volume.name, res.body.volume.description, res.body.volume.metadata], ['renamed', 'd', { k: 'v' }]);
      assert.equal((await h.call('PUT', `/volume/v3/volumes/${a}`, { body: { volume: {} }, mv: '3.52' })).status, 200);
      assertFault(await h.call('PUT', `/volume/v3/volumes/${a}`, { body: { volume: {} }, mv: '3.53' }), 400, 'badRequest');
      assertFault(await h.call('PUT', `/volume/v3/volumes/${a}`, { body: { volume: { size: 5 } } }), 400, 'badRequest', /'size' was unexpected/);
      assert.equal((await h.store.volumes.get(a)).name, 'renamed');
      assert.equal((await h.store.volumes.get(a)).size, 1);
    });

    it('deletes with 202; refuses an attached volume with 400 and keeps it', async () => {
      const [a, b] = await three();
      await h.attachments.create(ALICE, { volumeId: a, instanceUuid: INSTANCE_1 });
      assertFault(await h.call('DELETE', `/volume/v3/volumes/${a}`), 400, 'badRequest', /^Invalid volume: Volume status must be available, error or error_deleting and must not be attached/);
      assert.equal((await h.store.volumes.get(a)).status, 'reserved');
      const deleted = await h.call('DELETE', `/volume/v3/volumes/${b}`);
      assert.equal(deleted.status, 202);
      assert.equal(deleted.body, undefined);
      assertFault(await h.call('GET', `/volume/v3/volumes/${b}`), 404, 'itemNotFound');
      assertFault(await h.call('GET', '/volume/v3/volumes/not-a-uuid'), 404, 'itemNotFound', 'Volume not-a-uuid could not be found.');
    });

    it('lists the attached attachments of a volume, with the host for admins only', async () => {
      const [a] = await three();
      const att = await h.attachments.create(ALICE, { volumeId: a, instanceUuid: INSTANCE_1, connector: { host: 'cell1-compute1', mountpoint: '/dev/vdb' } });
      assert.deepEqual((await h.call('GET', `/volume/v3/volumes/${a}`)).body.volume.attachments, [], 'attaching is not yet attached');
      await h.attachments.complete(ALICE, att.id);
      const [shown] = (await h.call('GET', `/volume/v3/volumes/${a}`)).body.volume.attachments;
      assert.deepEqual({ ...shown, attached_at: typeof shown.attached_at }, { id: a, attachment_id: att.id, volume_id: a, server_id: INSTANCE_1, host_name: null, device: '/dev/vdb', attached_at: 'string' });
      const [forAdmin] = (await h.call('GET', '/volume/v3/volumes/detail?all_tenants=1', { who: 'admin' })).body.volumes.find((v: any) => v.id === a).attachments;
      assert.equal(forAdmin.host_name, 'cell1-compute1');
    });
  });

  describe('limits and zones', () => {
    it('answers /limits with absolute limits and usage; admins from 3.39 for another project', async () => {
      await create({ volume: { size: 3 } });
      const mine = await h.call('GET', '/volume/v3/p-a/limits');
      assert.equal(mine.status, 200);
      assert.deepEqual(mine.body.limits.rate, []);
      assert.equal(mine.body.limits.absolute.maxTotalVolumes, 5);
      assert.equal(mine.body.limits.absolute.totalGigabytesUsed, 3);
      assert.equal((await h.call('GET', '/volume/v3/limits?project_id=p-a', { who: 'admin', mv: '3.38' })).body.limits.absolute.totalGigabytesUsed, 0);
      assert.equal((await h.call('GET', '/volume/v3/limits?project_id=p-a', { who: 'admin', mv: '3.39' })).body.limits.absolute.totalGigabytesUsed, 3);
      assert.equal((await h.call('GET', '/volume/v3/limits?project_id=p-a', { who: 'bob', mv: '3.39' })).body.limits.absolute.totalGigabytesUsed, 0);
      assertFault(await h.call('GET', '/volume/v3/limits?colour=blue'), 400, 'badRequest');
      assert.deepEqual((await h.call('GET', '/volume/v3/os-availability-zone')).body, { availabilityZoneInfo: [{ zoneName: 'nova', zoneState: { available: true } }] });
    });
  });
});
