import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import type { CellSchema } from '../../src/db/cell/cell-schema.js';
import { startTestCloud, waitFor, waitForStatus, type ApiClient, type TestCloud } from '../fixtures/test-cloud.js';
import { assertNovaError, C, createServer, imageId, postServer, waitForGone } from './helpers.js';

async function allocationOf(admin: ApiClient, consumer: string): Promise<Record<string, unknown>> {
  const res = await admin.withMicroversion(undefined).request('GET', `/placement/allocations/${consumer}`, undefined, { 'OpenStack-API-Version': 'placement 1.28' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.allocations as Record<string, unknown>;
}

async function cellDb(t: TestCloud, name: string): Promise<Kysely<CellSchema>> {
  const cell = await t.cloud.api.cells.getByName(name);
  assert.ok(cell);
  return t.cloud.cells.database(cell).db;
}

async function actionsOf(t: TestCloud, id: string): Promise<string[]> {
  const rows = await (await cellDb(t, 'cell1')).selectFrom('instance_actions').select('action').where('instance_uuid', '=', id).orderBy('id').execute();
  return rows.map((r) => r.action);
}

describe('soft delete (reclaim_instance_interval), restore and forceDelete', () => {
  let t: TestCloud;
  let image: string;

  before(async () => {
    t = await startTestCloud('[DEFAULT]\nreclaim_instance_interval = 3600');
    image = await imageId(t.admin);
  });
  after(async () => {
    await t?.stop();
  });

  it('DELETE soft-deletes: SOFT_DELETED, powered off, still on its host with its allocation; restore brings it back ACTIVE', async () => {
    const id = await createServer(t.member, { name: 'soft-1', imageRef: image, zone: 'cell1' });
    const active = await waitForStatus(t.admin, id, 'ACTIVE');
    assert.equal((await t.member.delete(`${C}/servers/${id}`)).status, 204);
    const soft = await waitForStatus(t.admin, id, 'SOFT_DELETED');
    assert.equal(soft['OS-EXT-SRV-ATTR:host'], active['OS-EXT-SRV-ATTR:host'], 'still on its host');
    assert.equal(soft['OS-EXT-STS:vm_state'], 'soft-delete');
    assert.equal(soft['OS-EXT-STS:power_state'], 4);
    assert.equal(Object.keys(await allocationOf(t.admin, id)).length, 1, 'resources stay allocated');

    assertNovaError(await t.member.post(`${C}/servers/${id}/action`, { 'os-start': null }), 409, 'conflictingRequest');
    const res = await t.member.post(`${C}/servers/${id}/action`, { restore: null });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const back = await waitForStatus(t.member, id, 'ACTIVE');
    assert.equal(back['OS-EXT-STS:power_state'], 1);
    assert.equal(back.id, active.id);
    assert.deepEqual(await actionsOf(t, id), ['create', 'delete', 'restore']);
    assertNovaError(await t.member.post(`${C}/servers/${id}/action`, { restore: null }), 409, 'conflictingRequest');
    assert.equal((await t.member.post(`${C}/servers/${id}/action`, { forceDelete: null })).status, 202);
    await waitForGone(t.member, id);
  });

  it('lists a soft-deleted server with the deleted ones, as Nova: not in the default lists; admins find it with deleted or soft_deleted, and changes-since shows it', async () => {
    const kept = await createServer(t.member, { name: 'soft-list-live', imageRef: image, zone: 'cell1' });
    const id = await createServer(t.member, { name: 'soft-list', imageRef: image, zone: 'cell1' });
    await waitForStatus(t.admin, kept, 'ACTIVE');
    const before = new Date(Date.now() - 1000).toISOString();
    await waitForStatus(t.admin, id, 'ACTIVE');
    assert.equal((await t.member.delete(`${C}/servers/${id}`)).status, 204);
    await waitForStatus(t.admin, id, 'SOFT_DELETED');
    const ids = async (client: ApiClient, query: string): Promise<string[]> => {
      const res = await client.get(`${C}/servers/detail?${query}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return (res.body.servers as { id: string }[]).map((s) => s.id);
    };

    for (const [client, scope] of [[t.member, ''], [t.admin, 'all_tenants=1&']] as const) {
      const live = await ids(client, `${scope}name=soft-list`);
      assert.ok(live.includes(kept), 'the live server is listed');
      assert.ok(!live.includes(id), 'the soft-deleted one is not');
      assert.ok(!(await ids(client, `${scope}status=SOFT_DELETED`)).includes(id), 'nor by its status alone (Nova asks the live rows)');
    }
    assert.ok((await ids(t.member, 'changes-since=' + encodeURIComponent(before))).includes(id), 'changes-since shows every row');
    assert.ok(!(await ids(t.member, 'soft_deleted=true')).includes(id), 'soft_deleted is an admin filter');
    assert.ok(!(await ids(t.member, 'deleted=true')).includes(id), 'so is deleted');

    assert.ok((await ids(t.admin, 'all_tenants=1&soft_deleted=true')).includes(id), 'an admin adds them to the live list');
    const deleted = await ids(t.admin, 'all_tenants=1&deleted=true');
    assert.ok(deleted.includes(id) && !deleted.includes(kept), 'deleted=true lists it with the deleted servers');
    assert.ok(!(await ids(t.admin, 'all_tenants=1&deleted=true&soft_deleted=false')).includes(id), 'unless soft_deleted=false');

    for (const server of [id, kept]) assert.equal((await t.admin.post(`${C}/servers/${server}/action`, { forceDelete: null })).status, 202);
    for (const server of [id, kept]) await waitForGone(t.member, server);
  });

  it('a second DELETE soft-deletes it again, as Nova: a new delete action, and the reclaim clock starts over', async () => {
    const id = await createServer(t.member, { name: 'soft-twice', imageRef: image, zone: 'cell1' });
    await waitForStatus(t.member, id, 'ACTIVE');
    const deletedAt = async (): Promise<string | null> =>
      (await (await cellDb(t, 'cell1')).selectFrom('instances').select('deleted_at').where('uuid', '=', id).executeTakeFirstOrThrow()).deleted_at;
    assert.equal((await t.member.delete(`${C}/servers/${id}`)).status, 204);
    await waitForStatus(t.member, id, 'SOFT_DELETED');
    const first = await deletedAt();
    assert.ok(first !== null);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal((await t.member.delete(`${C}/servers/${id}`)).status, 204);
    await waitFor('the second soft delete to finish', async () => {
      const res = await t.member.get(`${C}/servers/${id}`);
      return res.body.server.status === 'SOFT_DELETED' && res.body.server['OS-EXT-STS:task_state'] === null && (await deletedAt()) !== first ? true : undefined;
    });
    assert.ok(((await deletedAt()) ?? '') > first, 'the reclaim clock started over');
    assert.deepEqual(await actionsOf(t, id), ['create', 'delete', 'delete']);
    assert.equal((await t.member.post(`${C}/servers/${id}/action`, { forceDelete: null })).status, 202);
    await waitForGone(t.member, id);
  });

  it('forceDelete deletes a soft-deleted server (or a live one) at once, as a delete action', async () => {
    const id = await createServer(t.member, { name: 'soft-2', imageRef: image, zone: 'cell1' });
    await waitForStatus(t.member, id, 'ACTIVE');
    assert.equal((await t.member.delete(`${C}/servers/${id}`)).status, 204);
    await waitForStatus(t.member, id, 'SOFT_DELETED');
    assert.equal((await t.member.post(`${C}/servers/${id}/action`, { forceDelete: null })).status, 202);
    await waitForGone(t.member, id);
    assert.deepEqual(await actionsOf(t, id), ['create', 'delete', 'delete']);
    assert.deepEqual(await allocationOf(t.admin, id), {});

    const live = await createServer(t.member, { name: 'soft-3', imageRef: image, zone: 'cell1' });
    await waitForStatus(t.member, live, 'ACTIVE');
    assert.equal((await t.member.post(`${C}/servers/${live}/action`, { forceDelete: null })).status, 202);
    await waitForGone(t.member, live);
  });

  it('validates the bodies and applies the os-deferred-delete policies', async () => {
    const id = await createServer(t.member, { name: 'soft-4', imageRef: image, zone: 'cell1' });
    await waitForStatus(t.member, id, 'ACTIVE');
    assertNovaError(await t.member.post(`${C}/servers/${id}/action`, { restore: {} }), 400, 'badRequest');
    assertNovaError(await t.member.post(`${C}/servers/${id}/action`, { forceDelete: 1 }), 400, 'badRequest');
    assertNovaError(await t.member.post(`${C}/servers/${id}/action`, { restore: null }), 409, 'conflictingRequest');
    assert.equal((await t.member.post(`${C}/servers/${id}/action`, { forceDelete: null })).status, 202);
    await waitForGone(t.member, id);
  });

  it('a soft-deleted server stops counting against quota (Nova), so restoring it must fit again', async () => {
    const first = await createServer(t.member, { name: 'quota-1', imageRef: image, zone: 'cell1' });
    const project = (await waitForStatus(t.member, first, 'ACTIVE'))['tenant_id'] as string;
    const set = await t.admin.put(`${C}/os-quota-sets/${project}`, { quota_set: { instances: 1 } });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    try {
      assertNovaError(await postServer(t.member, { name: 'quota-over', imageRef: image }), 403, 'forbidden');
      assert.equal((await t.member.delete(`${C}/servers/${first}`)).status, 204);
      await waitForStatus(t.member, first, 'SOFT_DELETED');
      const second = await createServer(t.member, { name: 'quota-2', imageRef: image, zone: 'cell1' });
      await waitForStatus(t.member, second, 'ACTIVE');
      const over = await t.member.post(`${C}/servers/${first}/action`, { restore: null });
      assert.match(assertNovaError(over, 403, 'forbidden'), /Quota exceeded for instances/);
      assert.equal((await t.member.post(`${C}/servers/${second}/action`, { forceDelete: null })).status, 202);
      await waitForGone(t.member, second);
      assert.equal((await t.member.post(`${C}/servers/${first}/action`, { restore: null })).status, 202);
      await waitForStatus(t.member, first, 'ACTIVE');
    } finally {
      await t.admin.put(`${C}/os-quota-sets/${project}`, { quota_set: { instances: 10 } });
    }
    assert.equal((await t.member.post(`${C}/servers/${first}/action`, { forceDelete: null })).status, 202);
    await waitForGone(t.member, first);
  });
});

describe('reclaim of soft-deleted servers', () => {
  let t: TestCloud;
  let image: string;

  before(async () => {
    t = await startTestCloud('[DEFAULT]\nreclaim_instance_interval = 1');
    image = await imageId(t.admin);
  });
  after(async () => {
    await t?.stop();
  });

  it('the compute deletes a soft-deleted server once the interval has passed, releasing its allocation', async () => {
    const keep = await createServer(t.member, { name: 'reclaim-keep', imageRef: image, zone: 'cell1' });
    const id = await createServer(t.member, { name: 'reclaim-me', imageRef: image, zone: 'cell1' });
    await waitForStatus(t.member, id, 'ACTIVE');
    await waitForStatus(t.member, keep, 'ACTIVE');
    assert.equal((await t.member.delete(`${C}/servers/${id}`)).status, 204);
    await waitFor(`server ${id} to be soft-deleted or gone`, async () => {
      const res = await t.member.get(`${C}/servers/${id}`);
      return res.status === 404 || res.body.server.status === 'SOFT_DELETED' ? true : undefined;
    });
    await waitForGone(t.member, id, 15_000);
    assert.deepEqual(await allocationOf(t.admin, id), {});
    const row = await (await cellDb(t, 'cell1')).selectFrom('instances').select(['deleted', 'vm_state']).where('uuid', '=', id).executeTakeFirstOrThrow();
    assert.notEqual(row.deleted, 0);
    assert.equal(row.vm_state, 'deleted');
    await waitForStatus(t.member, keep, 'ACTIVE');
  });
});
