import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestCloud, type TestCloud } from '../fixtures/test-cloud.js';
import { assertNovaError, C } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('server groups', () => {
  let t: TestCloud;

  before(async () => {
    t = await startTestCloud();
  });
  after(async () => {
    await t?.stop();
  });

  async function create(mv: string | undefined, group: Record<string, unknown>, client = t.member): Promise<Record<string, any>> {
    const res = await client.withMicroversion(mv).post(`${C}/os-server-groups`, { server_group: group });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.server_group as Record<string, any>;
  }

  it('creates with a policies list at 2.1: id, name, policies, members, metadata', async () => {
    const group = await create(undefined, { name: 'web', policies: ['anti-affinity'] });
    assert.deepEqual(Object.keys(group).sort(), ['id', 'members', 'metadata', 'name', 'policies']);
    assert.match(group['id'], UUID);
    assert.equal(group['name'], 'web');
    assert.deepEqual(group['policies'], ['anti-affinity']);
    assert.deepEqual(group['members'], []);
    assert.deepEqual(group['metadata'], {});
  });

  it('adds project_id and user_id at 2.13, and the soft policies at 2.15', async () => {
    const group = await create('2.13', { name: 'db', policies: ['affinity'] });
    assert.deepEqual(Object.keys(group).sort(), ['id', 'members', 'metadata', 'name', 'policies', 'project_id', 'user_id']);
    assert.equal(typeof group['project_id'], 'string');
    assert.equal(typeof group['user_id'], 'string');
    assertNovaError(await t.member.withMicroversion('2.14').post(`${C}/os-server-groups`, { server_group: { name: 's', policies: ['soft-anti-affinity'] } }), 400, 'badRequest');
    const soft = await create('2.15', { name: 'soft', policies: ['soft-anti-affinity'] });
    assert.deepEqual(soft['policies'], ['soft-anti-affinity']);
  });

  it('takes one policy and rules from 2.64, and shows policy and rules instead of policies and metadata', async () => {
    const group = await create('2.64', { name: 'spread', policy: 'anti-affinity', rules: { max_server_per_host: 2 } });
    assert.deepEqual(Object.keys(group).sort(), ['id', 'members', 'name', 'policy', 'project_id', 'rules', 'user_id']);
    assert.equal(group['policy'], 'anti-affinity');
    assert.deepEqual(group['rules'], { max_server_per_host: 2 });

    const plain = await create('2.64', { name: 'together', policy: 'affinity' });
    assert.deepEqual(plain['rules'], {});
    const fromString = await create('2.64', { name: 'str', policy: 'anti-affinity', rules: { max_server_per_host: '3' } });
    assert.deepEqual(fromString['rules'], { max_server_per_host: 3 });

    // The older shape of the same group.
    const old = await t.member.get(`${C}/os-server-groups/${group['id']}`);
    assert.deepEqual(old.body.server_group.policies, ['anti-affinity']);
    assert.equal('rules' in old.body.server_group, false);
  });

  it('refuses bad bodies with 400', async () => {
    const post = (mv: string | undefined, server_group: unknown) => t.member.withMicroversion(mv).post(`${C}/os-server-groups`, { server_group });
    assertNovaError(await post('2.64', { name: 'x', policy: 'affinity', rules: { max_server_per_host: 2 } }), 400, 'badRequest');
    assertNovaError(await post('2.64', { name: 'x', policies: ['affinity'] }), 400, 'badRequest');
    assertNovaError(await post('2.64', { name: 'x', policy: 'anti-affinity', rules: { max_server_per_host: 0 } }), 400, 'badRequest');
    assertNovaError(await post('2.64', { name: 'x', policy: 'anti-affinity', rules: { other: 1 } }), 400, 'badRequest');
    assertNovaError(await post(undefined, { name: 'x', policies: ['affinity', 'anti-affinity'] }), 400, 'badRequest');
    assertNovaError(await post(undefined, { name: 'x', policies: [] }), 400, 'badRequest');
    assertNovaError(await post(undefined, { name: 'x', policy: 'affinity' }), 400, 'badRequest');
    assertNovaError(await post(undefined, { policies: ['affinity'] }), 400, 'badRequest');
    assertNovaError(await post(undefined, { name: ' padded', policies: ['affinity'] }), 400, 'badRequest');
  });

  it("lists the caller's project's groups; an administrator sees every project's with all_projects", async () => {
    const adminGroup = await create('2.13', { name: 'admin-only', policies: ['affinity'] }, t.admin);
    const mine = await t.member.withMicroversion('2.13').get(`${C}/os-server-groups`);
    assert.equal(mine.status, 200);
    const mineIds = (mine.body.server_groups as Record<string, any>[]).map((g) => g['id']);
    assert.ok(!mineIds.includes(adminGroup['id']), "a member does not see the admin project's group");
    assert.ok(mineIds.length >= 4);
    const projects = new Set((mine.body.server_groups as Record<string, any>[]).map((g) => g['project_id']));
    assert.equal(projects.size, 1);

    // all_projects is quietly ignored for a member, as in Nova.
    const memberAll = await t.member.get(`${C}/os-server-groups?all_projects=True`);
    assert.deepEqual((memberAll.body.server_groups as { id: string }[]).map((g) => g.id), mineIds);

    const adminOwn = await t.admin.get(`${C}/os-server-groups`);
    assert.deepEqual((adminOwn.body.server_groups as { id: string }[]).map((g) => g.id), [adminGroup['id']]);
    const all = await t.admin.get(`${C}/os-server-groups?all_projects=True`);
    const allIds = (all.body.server_groups as { id: string }[]).map((g) => g.id);
    assert.deepEqual(allIds.sort(), [...mineIds, adminGroup['id']].sort());

    const page = await t.member.get(`${C}/os-server-groups?limit=2&offset=1`);
    assert.deepEqual((page.body.server_groups as { id: string }[]).map((g) => g.id), mineIds.slice(1, 3));
    assertNovaError(await t.member.get(`${C}/os-server-groups?limit=-1`), 400, 'badRequest');
    assert.equal((await t.member.withMicroversion('2.74').get(`${C}/os-server-groups?foo=1`)).status, 200);
    assertNovaError(await t.member.withMicroversion('2.75').get(`${C}/os-server-groups?foo=1`), 400, 'badRequest');
  });

  it("hides another project's groups as missing (404), and deletes with 204", async () => {
    const adminGroup = await create(undefined, { name: 'secret', policies: ['anti-affinity'] }, t.admin);
    assertNovaError(await t.member.get(`${C}/os-server-groups/${adminGroup['id']}`), 404, 'itemNotFound');
    assertNovaError(await t.member.delete(`${C}/os-server-groups/${adminGroup['id']}`), 404, 'itemNotFound');
    assert.equal((await t.admin.get(`${C}/os-server-groups/${adminGroup['id']}`)).status, 200);

    const own = await create(undefined, { name: 'short-lived', policies: ['affinity'] });
    const shown = await t.admin.get(`${C}/os-server-groups/${own['id']}`);
    assert.equal(shown.status, 200, 'an administrator sees any project');

    const deleted = await t.member.delete(`${C}/os-server-groups/${own['id']}`);
    assert.equal(deleted.status, 204);
    assert.equal(deleted.body, undefined);
    assertNovaError(await t.member.get(`${C}/os-server-groups/${own['id']}`), 404, 'itemNotFound');
    assertNovaError(await t.member.delete(`${C}/os-server-groups/${own['id']}`), 404, 'itemNotFound');
    assertNovaError(await t.member.get(`${C}/os-server-groups/not-a-uuid`), 404, 'itemNotFound');
  });
});
