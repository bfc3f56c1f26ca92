import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestCloud, type ApiClient, type TestCloud } from '../fixtures/test-cloud.js';
import { assertNovaError, C, createServer, imageId, waitForGone, waitForSettled } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

const AGG_KEYS_241 = ['availability_zone', 'created_at', 'deleted', 'deleted_at', 'hosts', 'id', 'metadata', 'name', 'updated_at', 'uuid'];
const NOVA_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/;

describe('host aggregates', () => {
  let t: TestCloud;
  let admin241: ApiClient;

  before(async () => {
    t = await startTestCloud();
    admin241 = t.admin.withMicroversion('2.41');
  });
  after(async () => {
    await t?.stop();
  });

  async function aggregateNamed(name: string): Promise<Record<string, any>> {
    const res = await admin241.get(`${C}/os-aggregates`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const found = (res.body.aggregates as Record<string, any>[]).find((a) => a['name'] === name);
    assert.ok(found, `aggregate ${name} is listed`);
    return found;
  }

  async function zoneNames(): Promise<string[]> {
    const res = await t.admin.get(`${C}/os-availability-zone`);
    assert.equal(res.status, 200);
    return (res.body.availabilityZoneInfo as { zoneName: string }[]).map((z) => z.zoneName).sort();
  }

  /** POST /os-aggregates/{id}/action as the SDK sends it: no microversion header at all. */
  function action(id: number, body: unknown) {
    return t.admin.withMicroversion(undefined).post(`${C}/os-aggregates/${id}/action`, body);
  }

  it('lists each cell as a zoned aggregate of its hosts, with uuid from 2.41 only', async () => {
    const cell1 = await aggregateNamed('cell1');
    assert.deepEqual(Object.keys(cell1).sort(), AGG_KEYS_241);
    assert.equal(cell1['availability_zone'], 'cell1');
    assert.deepEqual(cell1['metadata'], { availability_zone: 'cell1' });
    assert.deepEqual(cell1['hosts'], ['cell1-compute1', 'cell1-compute2']);
    assert.equal(cell1['deleted'], false);
    assert.equal(cell1['deleted_at'], null);
    assert.match(cell1['created_at'], NOVA_TIME);
    assert.equal(typeof cell1['id'], 'number');

    const at21 = await t.admin.get(`${C}/os-aggregates`);
    assert.ok((at21.body.aggregates as Record<string, unknown>[]).every((a) => !('uuid' in a)));
  });

  it('creates a zoned aggregate (200, no hosts or metadata in the answer), refuses a taken name (409)', async () => {
    const res = await admin241.post(`${C}/os-aggregates`, { aggregate: { name: 'rack-a', availability_zone: 'zone-a' } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const agg = res.body.aggregate as Record<string, any>;
    assert.deepEqual(Object.keys(agg).sort(), AGG_KEYS_241.filter((k) => k !== 'hosts' && k !== 'metadata'));
    assert.equal(agg['name'], 'rack-a');
    assert.equal(agg['availability_zone'], 'zone-a');
    assert.match(agg['uuid'], /^[0-9a-f-]{36}$/);

    const shown = await t.admin.get(`${C}/os-aggregates/${agg['id']}`);
    assert.equal(shown.status, 200);
    assert.deepEqual(shown.body.aggregate.hosts, []);
    assert.deepEqual(shown.body.aggregate.metadata, { availability_zone: 'zone-a' });
    assert.equal('uuid' in shown.body.aggregate, false, 'no uuid at 2.1');

    assertNovaError(await t.admin.post(`${C}/os-aggregates`, { aggregate: { name: 'rack-a' } }), 409, 'conflictingRequest');
    // An aggregate zone with no hosts is listed, as not available.
    const detail = await t.admin.get(`${C}/os-availability-zone`);
    const zone = (detail.body.availabilityZoneInfo as Record<string, any>[]).find((z) => z['zoneName'] === 'zone-a');
    assert.deepEqual(zone?.['zoneState'], { available: false });
    assert.equal((await t.admin.delete(`${C}/os-aggregates/${agg['id']}`)).status, 200);
  });

  it('refuses to put a host of one zone into another zone (409), and moves it once it left its zone', async () => {
    const created = await admin241.post(`${C}/os-aggregates`, { aggregate: { name: 'fast', availability_zone: 'fastzone' } });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const fastId = created.body.aggregate.id as number;
    const cell1Id = (await aggregateNamed('cell1'))['id'] as number;

    const refused = assertNovaError(await action(fastId, { add_host: { host: 'cell1-compute2' } }), 409, 'conflictingRequest');
    assert.match(refused, /already in availability zone\(s\) \['cell1'\]/);
    assert.deepEqual((await aggregateNamed('fast'))['hosts'], [], 'nothing changed');

    const removed = await action(cell1Id, { remove_host: { host: 'cell1-compute2' } });
    assert.equal(removed.status, 200, JSON.stringify(removed.body));
    assert.deepEqual(removed.body.aggregate.hosts, ['cell1-compute1']);

    const added = await action(fastId, { add_host: { host: 'cell1-compute2' } });
    assert.equal(added.status, 200, JSON.stringify(added.body));
    assert.equal(added.headers.get('x-openstack-nova-api-version'), '2.1', 'no header means 2.1');
    assert.deepEqual(added.body.aggregate.hosts, ['cell1-compute2']);
    assert.deepEqual(added.body.aggregate.metadata, { availability_zone: 'fastzone' });
    assert.equal(added.body.aggregate.availability_zone, 'fastzone');

    assert.deepEqual(await zoneNames(), ['cell1', 'cell2', 'fastzone']);
    const services = await t.admin.get(`${C}/os-services?host=cell1-compute2`);
    assert.equal(services.body.services[0].zone, 'fastzone');

    assertNovaError(await action(fastId, { add_host: { host: 'cell1-compute2' } }), 409, 'conflictingRequest');
    const notEmpty = assertNovaError(await t.admin.delete(`${C}/os-aggregates/${fastId}`), 400, 'badRequest');
    assert.match(notEmpty, /Host aggregate is not empty/);

    assert.equal((await action(fastId, { remove_host: { host: 'cell1-compute2' } })).status, 200);
    const deleted = await t.admin.delete(`${C}/os-aggregates/${fastId}`);
    assert.equal(deleted.status, 200);
    assert.equal(deleted.body, undefined);
    assertNovaError(await t.admin.get(`${C}/os-aggregates/${fastId}`), 404, 'itemNotFound');

    assert.equal((await action(cell1Id, { add_host: { host: 'cell1-compute2' } })).status, 200);
    assert.deepEqual(await zoneNames(), ['cell1', 'cell2']);
  });

  it('lets a host of a zone join an aggregate without zone, and sets and deletes its metadata', async () => {
    const created = await t.admin.post(`${C}/os-aggregates`, { aggregate: { name: 'ssd-hosts' } });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assert.equal(created.body.aggregate.availability_zone, null);
    const id = created.body.aggregate.id as number;

    const added = await action(id, { add_host: { host: 'cell2-compute1' } });
    assert.equal(added.status, 200, JSON.stringify(added.body));
    assert.deepEqual(added.body.aggregate.metadata, {});

    const set = await action(id, { set_metadata: { metadata: { ssd: 'true', 'disk:type': 'nvme' } } });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.deepEqual(set.body.aggregate.metadata, { 'disk:type': 'nvme', ssd: 'true' });
    assert.match(set.body.aggregate.updated_at, NOVA_TIME);

    const unset = await action(id, { set_metadata: { metadata: { ssd: null, absent: null } } });
    assert.deepEqual(unset.body.aggregate.metadata, { 'disk:type': 'nvme' });

    // Its host is in cell2: the same zone is fine, another zone is not, nor an empty one (400 as in Nova).
    assertNovaError(await action(id, { set_metadata: { metadata: { availability_zone: 'elsewhere' } } }), 400, 'badRequest');
    assertNovaError(await action(id, { set_metadata: { metadata: { availability_zone: null } } }), 400, 'badRequest');
    const same = await action(id, { set_metadata: { metadata: { availability_zone: 'cell2' } } });
    assert.equal(same.status, 200, JSON.stringify(same.body));
    assert.equal(same.body.aggregate.availability_zone, 'cell2');
    assertNovaError(await action(id, { set_metadata: { metadata: { 'bad/key': 'x' } } }), 400, 'badRequest');

    assert.equal((await action(id, { remove_host: { host: 'cell2-compute1' } })).status, 200);
    assert.equal((await t.admin.delete(`${C}/os-aggregates/${id}`)).status, 200);
  });

  it('renames and re-zones with PUT, refusing a taken name and the internal zone', async () => {
    const id = (await t.admin.post(`${C}/os-aggregates`, { aggregate: { name: 'old-name' } })).body.aggregate.id as number;
    const renamed = await admin241.put(`${C}/os-aggregates/${id}`, { aggregate: { name: '  new-name  ', availability_zone: 'zone-b' } });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    assert.deepEqual(Object.keys(renamed.body.aggregate).sort(), AGG_KEYS_241);
    assert.equal(renamed.body.aggregate.name, 'new-name');
    assert.equal(renamed.body.aggregate.availability_zone, 'zone-b');

    assertNovaError(await t.admin.put(`${C}/os-aggregates/${id}`, { aggregate: { name: 'cell1' } }), 409, 'conflictingRequest');
    assertNovaError(await t.admin.put(`${C}/os-aggregates/${id}`, { aggregate: { availability_zone: 'internal' } }), 400, 'badRequest');
    assertNovaError(await t.admin.post(`${C}/os-aggregates`, { aggregate: { name: 'x', availability_zone: 'internal' } }), 400, 'badRequest');
    assertNovaError(await t.admin.put(`${C}/os-aggregates/${id}`, { aggregate: {} }), 400, 'badRequest');
    assertNovaError(await t.admin.post(`${C}/os-aggregates`, { aggregate: { name: 'x', availability_zone: 'a:b' } }), 400, 'badRequest');
    assert.equal((await t.admin.get(`${C}/os-aggregates/${id}`)).body.aggregate.name, 'new-name', 'refused updates changed nothing');
    assert.equal((await t.admin.delete(`${C}/os-aggregates/${id}`)).status, 200);
  });

  it('answers unknown aggregates, hosts and actions the way Nova does', async () => {
    assertNovaError(await t.admin.get(`${C}/os-aggregates/424242`), 404, 'itemNotFound');
    assertNovaError(await t.admin.get(`${C}/os-aggregates/not-a-number`), 400, 'badRequest');
    const cell2Id = (await aggregateNamed('cell2'))['id'] as number;
    assertNovaError(await action(cell2Id, { add_host: { host: 'no-such-host' } }), 404, 'itemNotFound');
    assertNovaError(await action(cell2Id, { remove_host: { host: 'cell1-compute1' } }), 404, 'itemNotFound');
    assertNovaError(await action(424242, { add_host: { host: 'cell1-compute1' } }), 404, 'itemNotFound');
    assertNovaError(await action(cell2Id, { explode: {} }), 400, 'badRequest');
    assertNovaError(await action(cell2Id, { add_host: { host: 'bad host!' } }), 400, 'badRequest');
  });

  it('keeps a host with servers in its zone (409 on remove_host)', async () => {
    const id = await createServer(t.member, { name: 'pinned', imageRef: await imageId(t.member), zone: 'cell2' });
    const server = await waitForSettled(t.admin, id, ['ACTIVE']);
    const host = server['OS-EXT-SRV-ATTR:host'] as string;
    const cell2Id = (await aggregateNamed('cell2'))['id'] as number;
    const refused = assertNovaError(await action(cell2Id, { remove_host: { host } }), 409, 'conflictingRequest');
    assert.match(refused, /availability zone of the host would change from 'cell2' to 'None'/);
    assert.ok(((await aggregateNamed('cell2'))['hosts'] as string[]).includes(host));

    // Nor may its aggregate change zone under it.
    assertNovaError(await t.admin.put(`${C}/os-aggregates/${cell2Id}`, { aggregate: { availability_zone: 'renamed' } }), 400, 'badRequest');
    assert.equal((await t.member.delete(`${C}/servers/${id}`)).status, 204);
    await waitForGone(t.member, id);
  });

  it('is for administrators only (403)', async () => {
    assertNovaError(await t.member.get(`${C}/os-aggregates`), 403, 'forbidden');
    assertNovaError(await t.member.post(`${C}/os-aggregates`, { aggregate: { name: 'mine' } }), 403, 'forbidden');
    const cell1Id = (await aggregateNamed('cell1'))['id'] as number;
    assertNovaError(await t.member.post(`${C}/os-aggregates/${cell1Id}/action`, { add_host: { host: 'cell2-compute1' } }), 403, 'forbidden');
    assertNovaError(await t.member.delete(`${C}/os-aggregates/${cell1Id}`), 403, 'forbidden');
  });
});
