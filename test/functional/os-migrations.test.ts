import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Migration, NewMigration } from '../../src/objects/migration.js';
import { startTestCloud, type ApiClient, type TestCloud } from '../fixtures/test-cloud.js';
import { assertNovaError, C, sleep } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

const NOVA_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/;
const BASE_KEYS = [
  'created_at', 'dest_compute', 'dest_host', 'dest_node', 'id', 'instance_uuid', 'new_instance_type_id', 'old_instance_type_id',
  'source_compute', 'source_node', 'status', 'updated_at',
];
const SERVER_A = 'aaaaaaaa-0000-4000-8000-000000000001';
const SERVER_B = 'bbbbbbbb-0000-4000-8000-000000000002';

describe('GET /os-migrations', () => {
  let t: TestCloud;
  /** Seeded oldest first: m1, m2 in cell1; m3 in cell2 (with a hidden copy in cell1), m4 in cell2. */
  const m: Migration[] = [];
  const get = (client: ApiClient, mv: string, query = '') => client.withMicroversion(mv).get(`${C}/os-migrations${query}`);
  const uuids = async (mv: string, query = ''): Promise<string[]> => {
    const res = await get(t.admin, mv, query);
    assert.equal(res.status, 200, `${query}: ${JSON.stringify(res.body)}`);
    return (res.body.migrations as { instance_uuid: string; status: string; id: number; created_at: string }[]).map((x) => label(x));
  };
  /** Names a listed migration by its seeded position (m1..m4), from fields every microversion shows. */
  const label = (x: { id: number; created_at: string; status: string; instance_uuid: string }): string => {
    const i = m.findIndex((s) => s.id === x.id && s.status === x.status && s.instance_uuid === x.instance_uuid && !s.hidden);
    return i < 0 ? `unknown ${JSON.stringify(x)}` : `m${i + 1}`;
  };

  before(async () => {
    t = await startTestCloud();
    // There is no resize or migrate flow yet: the rows are written through the cells' repositories,
    // as the conductor will write them, and everything else goes through HTTP.
    const cells = new Map((await t.cloud.api.cells.list()).map((c) => [c.name, t.cloud.cells.repos(c)]));
    const cell1 = cells.get('cell1');
    const cell2 = cells.get('cell2');
    assert.ok(cell1 && cell2);
    const row = (over: Partial<NewMigration> & Pick<NewMigration, 'uuid' | 'instance_uuid'>): NewMigration => ({
      source_compute: 'cell1-compute1', source_node: 'cell1-compute1', dest_compute: 'cell1-compute2', dest_node: 'cell1-compute2', dest_host: '10.0.0.2',
      old_instance_type_id: 1, new_instance_type_id: 2, status: 'finished', migration_type: 'resize', user_id: 'user-1', project_id: 'project-1', ...over,
    });
    const seed = async (repos: typeof cell1, values: NewMigration) => {
      // Distinct creation times, so that the order is the order of seeding.
      await sleep(5);
      return repos.migrations.create(values);
    };
    m.push(await seed(cell1, row({ uuid: '00000000-0000-4000-8000-0000000000a1', instance_uuid: SERVER_A })));
    m.push(await seed(cell1, row({ uuid: '00000000-0000-4000-8000-0000000000a2', instance_uuid: SERVER_A, migration_type: 'migration', status: 'confirmed', new_instance_type_id: 1 })));
    const crossCell = row({
      uuid: '00000000-0000-4000-8000-0000000000a3', instance_uuid: SERVER_B, source_compute: 'cell2-compute1', source_node: 'cell2-compute1',
      dest_compute: 'cell1-compute1', dest_node: 'cell1-compute1', cross_cell_move: true, user_id: 'user-2', project_id: 'project-2',
    });
    m.push(await seed(cell2, crossCell));
    // The copy a cross-cell move keeps in the other cell: same uuid, hidden, never listed.
    m.push(await cell1.migrations.create({ ...crossCell, hidden: true }));
    m.push(await seed(cell2, row({
      uuid: '00000000-0000-4000-8000-0000000000a4', instance_uuid: SERVER_B, source_compute: 'cell2-compute1', source_node: 'cell2-compute1',
      dest_compute: 'cell2-compute2', dest_node: 'cell2-compute2', migration_type: 'migration', status: 'error', user_id: 'user-2', project_id: 'project-2',
    })));
    // Keep only the four visible ones, in seeding order.
    m.splice(3, 1);
  });
  after(async () => {
    await t?.stop();
  });

  it('lists every cell\'s migrations newest first at 2.1 with Nova\'s base fields, hidden copies left out', async () => {
    const res = await get(t.admin, '2.1');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(Object.keys(res.body), ['migrations']);
    const rows = res.body.migrations as Record<string, any>[];
    assert.deepEqual(rows.map((x) => label(x as any)), ['m4', 'm3', 'm2', 'm1']);
    for (const x of rows) {
      assert.deepEqual(Object.keys(x).sort(), BASE_KEYS);
      assert.equal(typeof x['id'], 'number');
      assert.match(x['created_at'] as string, NOVA_TIME);
      assert.match(x['updated_at'] as string, NOVA_TIME);
    }
    const m3 = rows[1] ?? {};
    assert.deepEqual([m3['source_compute'], m3['dest_compute'], m3['dest_host'], m3['old_instance_type_id'], m3['new_instance_type_id'], m3['status']], [
      'cell2-compute1', 'cell1-compute1', '10.0.0.2', 1, 2, 'finished',
    ]);
  });

  it('adds migration_type at 2.23 (no links: none is a live migration), uuid at 2.59, user_id and project_id at 2.80', async () => {
    const at = async (mv: string) => ((await get(t.admin, mv)).body.migrations as Record<string, any>[])[0] ?? {};
    assert.deepEqual(Object.keys(await at('2.23')).sort(), [...BASE_KEYS, 'migration_type'].sort());
    assert.equal((await at('2.23'))['migration_type'], 'migration');
    assert.deepEqual(Object.keys(await at('2.59')).sort(), [...BASE_KEYS, 'migration_type', 'uuid'].sort());
    assert.equal((await at('2.59'))['uuid'], m[3]?.uuid);
    const latest = await at('2.80');
    assert.deepEqual(Object.keys(latest).sort(), [...BASE_KEYS, 'migration_type', 'project_id', 'user_id', 'uuid'].sort());
    assert.deepEqual([latest['user_id'], latest['project_id']], ['user-2', 'project-2']);
  });

  it('filters by instance_uuid, status (its last value), host on either end, source_compute and migration_type', async () => {
    assert.deepEqual(await uuids('2.1', `?instance_uuid=${SERVER_A}`), ['m2', 'm1']);
    assert.deepEqual(await uuids('2.1', '?status=error'), ['m4']);
    assert.deepEqual(await uuids('2.1', '?status=finished&status=confirmed'), ['m2']);
    assert.deepEqual(await uuids('2.1', '?host=cell1-compute1'), ['m3', 'm2', 'm1']);
    assert.deepEqual(await uuids('2.1', '?source_compute=cell1-compute1'), ['m2', 'm1']);
    assert.deepEqual(await uuids('2.23', '?migration_type=migration'), ['m4', 'm2']);
    assert.deepEqual(await uuids('2.80', '?migration_type=resize&host=cell1-compute1'), ['m3', 'm1']);
    assert.deepEqual(await uuids('2.1', '?host=nowhere'), []);
  });

  it('never shows hidden copies, even when asked for them', async () => {
    assert.deepEqual(await uuids('2.1', '?hidden=1'), []);
    assert.deepEqual(await uuids('2.1', '?hidden=0'), ['m4', 'm3', 'm2', 'm1']);
  });

  it('pages with limit and marker (a migration uuid) from 2.59, with migrations_links to follow', async () => {
    const first = await get(t.admin, '2.59', '?limit=2');
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual((first.body.migrations as any[]).map(label), ['m4', 'm3']);
    const link = new URL((first.body.migrations_links as { rel: string; href: string }[])[0]?.href ?? '');
    assert.equal((first.body.migrations_links as { rel: string }[])[0]?.rel, 'next');
    assert.equal(link.pathname, `${C}/os-migrations`);
    assert.equal(link.searchParams.get('marker'), m[2]?.uuid);
    assert.equal(link.searchParams.get('limit'), '2');
    const second = await t.admin.withMicroversion('2.59').get(`${link.pathname}${link.search}`);
    assert.deepEqual((second.body.migrations as any[]).map(label), ['m2', 'm1']);
    assert.equal((second.body.migrations_links as { href: string }[])[0]?.href.includes(`marker=${m[0]?.uuid}`), true, 'a full page links on');
    const third = await get(t.admin, '2.59', `?limit=2&marker=${m[0]?.uuid}`);
    assert.deepEqual(third.body, { migrations: [] });
    assert.deepEqual(await uuids('2.59', `?marker=${m[3]?.uuid}&instance_uuid=${SERVER_B}`), ['m3']);
    assert.deepEqual(await uuids('2.59', '?limit=0'), []);
    assert.equal((await get(t.admin, '2.59')).body.migrations_links, undefined, 'a page short of max_limit has no link');
  });

  it('refuses a bad marker, limit or unknown parameter from 2.59 with a 400, and ignores them before', async () => {
    assert.match(assertNovaError(await get(t.admin, '2.59', '?marker=00000000-0000-4000-8000-00000000dead'), 400, 'badRequest'), /Marker .* could not be found/);
    assertNovaError(await get(t.admin, '2.59', '?limit=-1'), 400, 'badRequest');
    assertNovaError(await get(t.admin, '2.59', '?limit=x'), 400, 'badRequest');
    assertNovaError(await get(t.admin, '2.59', '?limit=1&limit=2'), 400, 'badRequest');
    assert.match(assertNovaError(await get(t.admin, '2.59', '?foo=bar'), 400, 'badRequest'), /foo/);
    assertNovaError(await get(t.admin, '2.59', '?changes-since=never'), 400, 'badRequest');
    assertNovaError(await get(t.admin, '2.65', '?changes-before=2030-01-01T00:00:00Z'), 400, 'badRequest');
    assertNovaError(await get(t.admin, '2.79', '?user_id=user-2'), 400, 'badRequest');
    assert.deepEqual(await uuids('2.58', '?limit=1&marker=nothing&foo=bar&changes-since=never&user_id=user-2'), ['m4', 'm3', 'm2', 'm1']);
  });

  it('filters by changes-since from 2.59 and changes-before from 2.66, on updated_at', async () => {
    const rows = (await get(t.admin, '2.59')).body.migrations as { uuid: string; updated_at: string }[];
    const at = (i: number) => rows.find((r) => r.uuid === m[i]?.uuid)?.updated_at as string;
    assert.deepEqual(await uuids('2.59', `?changes-since=${at(2)}`), ['m4', 'm3']);
    assert.deepEqual(await uuids('2.66', `?changes-before=${at(1)}Z`), ['m2', 'm1']);
    assert.deepEqual(await uuids('2.66', `?changes-since=${at(1)}&changes-before=${at(2)}`), ['m3', 'm2']);
    assert.match(
      assertNovaError(await get(t.admin, '2.66', `?changes-since=${at(2)}&changes-before=${at(1)}`), 400, 'badRequest'),
      /changes-since must be less than or equal to changes-before/,
    );
  });

  it('filters by user_id and project_id from 2.80', async () => {
    assert.deepEqual(await uuids('2.80', '?user_id=user-2'), ['m4', 'm3']);
    assert.deepEqual(await uuids('2.80', '?project_id=project-1'), ['m2', 'm1']);
    assert.deepEqual(await uuids('2.80', '?project_id=project-1&user_id=user-2'), []);
  });

  it('is for administrators only by default: a member gets 403', async () => {
    assertNovaError(await get(t.member, '2.1'), 403, 'forbidden');
    assertNovaError(await get(t.member, '2.80', '?project_id=project-1'), 403, 'forbidden');
  });
});
