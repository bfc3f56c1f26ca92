/**
 * The volume API (Cinder v3 subset) of a whole running cloud, over HTTP with tokens from its
 * identity API: discovery and the catalog, volumes blank and from the cloud's image, project
 * isolation, quotas and /limits, and Nova's attachment flow for a real server on its real host.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestCloud, type ApiClient, type HttpResult, type TestCloud } from '../fixtures/test-cloud.js';
import { C, createServer, imageId, waitForSettled } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

const V = '/volume/v3';

describe('the volume API of a running cloud', () => {
  let t: TestCloud;
  let memberProject: string;

  const call = (client: ApiClient, method: string, path: string, body?: unknown, mv?: string): Promise<HttpResult> =>
    client.withMicroversion(undefined).request(method, path, body, mv === undefined ? {} : { 'OpenStack-API-Version': `volume ${mv}` });

  function assertCinderError(res: HttpResult, status: number, key: string, message?: RegExp): void {
    assert.equal(res.status, status, JSON.stringify(res.body));
    assert.deepEqual(Object.keys(res.body), [key], JSON.stringify(res.body));
    assert.equal(res.body[key].code, status);
    if (message !== undefined) assert.match(res.body[key].message, message);
  }

  async function createVolume(client: ApiClient, volume: Record<string, unknown>): Promise<Record<string, any>> {
    const res = await call(client, 'POST', `${V}/volumes`, { volume });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    return res.body.volume;
  }

  before(async () => {
    t = await startTestCloud('[cinder]\nquota_volumes = 4\nquota_gigabytes = 10');
    const token = await fetch(`${t.url}/identity/v3/auth/tokens`, { headers: { 'X-Auth-Token': t.member.token, 'X-Subject-Token': t.member.token } });
    memberProject = ((await token.json()) as any).token.project.id;
  });
  after(async () => {
    await t?.stop();
  });

  it('answers version discovery without a token and is in the catalog as volumev3 and block-storage', async () => {
    const root = await fetch(`${t.url}/volume`);
    assert.equal(root.status, 300);
    const doc = (await root.json()) as any;
    assert.deepEqual([doc.versions[0].id, doc.versions[0].min_version, doc.versions[0].version], ['v3.0', '3.0', '3.70']);
    assert.equal(doc.versions[0].links.find((l: any) => l.rel === 'self').href, `${t.url}/volume/v3/`);
    assert.equal((await fetch(`${t.url}/volume/v3`)).status, 200);

    const login = await fetch(`${t.url}/identity/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'demo', domain: { name: 'Default' }, password: 'demo-secret' } } }, scope: { project: { name: 'demo', domain: { name: 'Default' } } } } }),
    });
    const catalog = ((await login.json()) as any).token.catalog as { type: string; name: string; endpoints: { interface: string; url: string }[] }[];
    for (const [type, name] of [['volumev3', 'cinderv3'], ['block-storage', 'cinder']]) {
      const entry = catalog.find((s) => s.type === type);
      assert.ok(entry, `${type} is in the catalog`);
      assert.equal(entry.name, name);
      assert.deepEqual(entry.endpoints.map((e) => e.interface).sort(), ['admin', 'internal', 'public']);
      for (const e of entry.endpoints) assert.equal(e.url, `${t.url}/volume/v3`);
    }
  });

  it('creates, lists, shows, renames and deletes a blank volume and one from the cloud\'s image', async () => {
    const blank = await createVolume(t.member, { size: 1, name: 'blank' });
    assert.equal(blank.status, 'available');
    assert.equal(blank.bootable, 'false');
    assert.equal(blank['os-vol-tenant-attr:tenant_id'], memberProject);
    const image = await imageId(t.member);
    const boot = await createVolume(t.member, { size: 1, name: 'boot', imageRef: image });
    assert.equal(boot.bootable, 'true');
    assert.equal(boot.volume_image_metadata.image_id, image);
    assert.equal(boot.volume_image_metadata.image_name, 'cirros-0.6.2-x86_64-disk');

    const listed = await call(t.member, 'GET', `${V}/${memberProject}/volumes/detail?sort=name:asc`);
    assert.deepEqual(listed.body.volumes.map((v: any) => [v.name, v.status]), [['blank', 'available'], ['boot', 'available']]);
    assert.equal(listed.body.volumes[0].links[0].href, `${t.url}/volume/v3/${memberProject}/volumes/${blank.id}`);
    const byName = await call(t.member, 'GET', `${V}/volumes?name=boot`);
    assert.deepEqual(byName.body.volumes.map((v: any) => v.id), [boot.id]);

    const renamed = await call(t.member, 'PUT', `${V}/volumes/${blank.id}`, { volume: { name: 'renamed', description: 'scratch' } });
    assert.equal(renamed.status, 200);
    assert.equal((await call(t.member, 'GET', `${V}/volumes/${blank.id}`)).body.volume.name, 'renamed');

    for (const v of [blank, boot]) assert.equal((await call(t.member, 'DELETE', `${V}/volumes/${v.id}`)).status, 202);
    assertCinderError(await call(t.member, 'GET', `${V}/volumes/${blank.id}`), 404, 'itemNotFound', /could not be found/);
  });

  it('keeps projects apart: the member sees neither the admin\'s volumes nor another project\'s URL', async () => {
    const adminVolume = await createVolume(t.admin, { size: 1, name: 'admin-only' });
    assertCinderError(await call(t.member, 'GET', `${V}/volumes/${adminVolume.id}`), 404, 'itemNotFound');
    assertCinderError(await call(t.member, 'DELETE', `${V}/volumes/${adminVolume.id}`), 404, 'itemNotFound');
    assert.deepEqual((await call(t.member, 'GET', `${V}/volumes?all_tenants=1`)).body.volumes, []);
    const everything = await call(t.admin, 'GET', `${V}/volumes/detail?all_tenants=1`);
    assert.ok(everything.body.volumes.some((v: any) => v.id === adminVolume.id));
    assertCinderError(await call(t.member, 'GET', `${V}/some-other-project/volumes`), 400, 'badRequest', /^Malformed request url$/);
    assert.equal((await call(t.admin, 'DELETE', `${V}/volumes/${adminVolume.id}`)).status, 202);
  });

  it('enforces the project quota (413 overLimit) and reports usage in /limits', async () => {
    const limitsOf = async () => (await call(t.member, 'GET', `${V}/${memberProject}/limits`)).body.limits.absolute;
    const initial = await limitsOf();
    assert.deepEqual([initial.maxTotalVolumes, initial.maxTotalVolumeGigabytes, initial.totalVolumesUsed, initial.totalGigabytesUsed], [4, 10, 0, 0]);
    const big = await createVolume(t.member, { size: 8 });
    const over = await call(t.member, 'POST', `${V}/volumes`, { volume: { size: 3 } });
    assertCinderError(over, 413, 'overLimit', /^Requested volume or snapshot exceeds allowed gigabytes quota\. Requested 3G, quota is 10G and 8G has been consumed\.$/);
    assert.equal(over.body.overLimit.retryAfter, '0');
    const used = await limitsOf();
    assert.deepEqual([used.totalVolumesUsed, used.totalGigabytesUsed], [1, 8]);
    await call(t.member, 'DELETE', `${V}/volumes/${big.id}`);
    const freed = await limitsOf();
    assert.deepEqual([freed.totalVolumesUsed, freed.totalGigabytesUsed], [0, 0]);
  });

  it('validates before it acts: bad input is 400 and creates nothing', async () => {
    for (const body of [{ volume: { size: 0 } }, { volume: { name: 'no size' } }, { volume: { size: 1, availability_zone: 'cell1' } }, { volume: { size: 1, imageRef: 'no-such-image' } }, { volumes: { size: 1 } }]) {
      assertCinderError(await call(t.member, 'POST', `${V}/volumes`, body), 400, 'badRequest');
    }
    assertCinderError(await call(t.member, 'GET', `${V}/volumes`, undefined, '3.99'), 406, 'notAcceptable');
    assert.deepEqual((await call(t.member, 'GET', `${V}/volumes`)).body.volumes, []);
  });

  it('attaches a volume to a real server on its host with Nova\'s sequence, and refuses a second server', async () => {
    const image = await imageId(t.member);
    const serverId = await createServer(t.member, { name: 'vm-with-volume', imageRef: image });
    const otherId = await createServer(t.member, { name: 'other-vm', imageRef: image });
    const server = await waitForSettled(t.admin, serverId, ['ACTIVE']);
    await waitForSettled(t.admin, otherId, ['ACTIVE']);
    const host = server['OS-EXT-SRV-ATTR:host'] as string;
    const volume = await createVolume(t.member, { size: 1, name: 'data' });
    const statusOf = async () => (await call(t.member, 'GET', `${V}/volumes/${volume.id}`)).body.volume.status;

    const reserved = await call(t.member, 'POST', `${V}/attachments`, { attachment: { volume_uuid: volume.id, instance_uuid: serverId } }, '3.44');
    assert.equal(reserved.status, 200, JSON.stringify(reserved.body));
    const attachmentId = reserved.body.attachment.id;
    assert.equal(await statusOf(), 'reserved');
    assertCinderError(await call(t.member, 'DELETE', `${V}/volumes/${volume.id}`), 400, 'badRequest', /must not be attached/);
    assertCinderError(await call(t.member, 'POST', `${V}/attachments`, { attachment: { volume_uuid: volume.id, instance_uuid: otherId } }, '3.44'), 400, 'badRequest', /status must be available to reserve/);

    const connector = { host, ip: '192.0.2.10', platform: 'x86_64', os_type: 'linux', multipath: false, mountpoint: '/dev/vdb', initiator: 'iqn.test' };
    const updated = await call(t.member, 'PUT', `${V}/${memberProject}/attachments/${attachmentId}`, { attachment: { connector } }, '3.44');
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    assert.equal(updated.body.attachment.connection_info.driver_volume_type, 'fake');
    assert.equal(await statusOf(), 'attaching');
    assert.equal((await call(t.member, 'POST', `${V}/attachments/${attachmentId}/action`, { 'os-complete': null }, '3.44')).status, 204);
    assert.equal(await statusOf(), 'in-use');
    const shown = (await call(t.member, 'GET', `${V}/volumes/${volume.id}`)).body.volume;
    assert.deepEqual(shown.attachments.map((a: any) => [a.server_id, a.attachment_id, a.device]), [[serverId, attachmentId, '/dev/vdb']]);
    assert.equal((await call(t.admin, 'GET', `${V}/volumes/${volume.id}`)).body.volume.attachments[0].host_name, host);
    assertCinderError(await call(t.member, 'POST', `${V}/attachments`, { attachment: { volume_uuid: volume.id, instance_uuid: serverId, connector } }, '3.44'), 409, 'conflictingRequest', /duplicate connectors/);

    const byServer = await call(t.member, 'GET', `${V}/attachments?instance_id=${serverId}`, undefined, '3.44');
    assert.deepEqual(byServer.body.attachments.map((a: any) => [a.id, a.status]), [[attachmentId, 'attached']]);
    const detached = await call(t.member, 'DELETE', `${V}/attachments/${attachmentId}`, undefined, '3.44');
    assert.deepEqual(detached.body, { attachments: [] });
    assert.equal(await statusOf(), 'available');
    assert.equal((await call(t.member, 'DELETE', `${V}/volumes/${volume.id}`)).status, 202);
    for (const id of [serverId, otherId]) assert.equal((await t.member.delete(`${C}/servers/${id}`)).status, 204);
  });

  it('shows a backend failure the fault injector made as Cinder would: a volume in error, deletable', async () => {
    t.cloud.faults.arm('volume.backend.create_volume');
    const failed = await createVolume(t.member, { size: 1, name: 'doomed' });
    assert.equal(failed.status, 'error');
    assert.equal((await call(t.member, 'GET', `${V}/volumes/${failed.id}`)).body.volume.status, 'error');
    assert.equal((await call(t.member, 'DELETE', `${V}/volumes/${failed.id}`)).status, 202);
    assertCinderError(await call(t.member, 'GET', `${V}/volumes/${failed.id}`), 404, 'itemNotFound');
    assert.equal((await call(t.member, 'GET', `${V}/limits`)).body.limits.absolute.totalVolumesUsed, 0);
  });
});
