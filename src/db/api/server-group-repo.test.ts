import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../../common/clock.js';
import { ConflictError, NotFoundError } from '../../common/errors.js';
import { RandomIdGenerator } from '../../common/ids.js';
import { openDatabase, type Database } from '../connection.js';
import { apiMigrations } from '../migrations/api/index.js';
import { migrateToLatest } from '../migrator.js';
import { createApiRepos, type ApiRepos } from './api-repos.js';
import type { ApiSchema } from './api-schema.js';

describe('ServerGroupRepo', () => {
  let database: Database<ApiSchema>;
  let repos: ApiRepos;
  const ids = new RandomIdGenerator();

  beforeEach(async () => {
    database = openDatabase<ApiSchema>('sqlite://');
    await migrateToLatest(database, apiMigrations);
    repos = createApiRepos({ db: database.db, clock: new ManualClock(), ids });
  });
  afterEach(async () => database.close());

  const create = (name: string, projectId = 'p1') =>
    repos.serverGroups.create({ name, projectId, userId: 'u1', policy: 'anti-affinity', rules: { max_server_per_host: 2 } });

  it('creates a group and reads it back by uuid, optionally only within a project', async () => {
    const group = await create('web');
    assert.deepEqual({ ...group, id: 0, uuid: '' }, {
      id: 0, uuid: '', name: 'web', project_id: 'p1', user_id: 'u1', policy: 'anti-affinity', rules: { max_server_per_host: 2 },
      members: [], created_at: '2026-01-01T00:00:00.000Z', updated_at: null,
    });
    assert.deepEqual(await repos.serverGroups.get(group.uuid), group);
    assert.equal(await repos.serverGroups.find(group.uuid, { projectId: 'p2' }), undefined);
    assert.deepEqual(await repos.serverGroups.find(group.uuid, { projectId: 'p1' }), group);
    await assert.rejects(repos.serverGroups.get(ids.uuid()), NotFoundError);
  });

  it('keeps members in the order they joined, one group per instance', async () => {
    const a = await create('a');
    const b = await create('b');
    const [i1, i2] = [ids.uuid(), ids.uuid()];
    await repos.serverGroups.addMember(a.uuid, i1);
    await repos.serverGroups.addMember(a.uuid, i2);
    await repos.serverGroups.addMember(a.uuid, i1);
    assert.deepEqual(await repos.serverGroups.membersOf(a.uuid), [i1, i2]);
    assert.equal((await repos.serverGroups.groupOf(i2))?.uuid, a.uuid);
    await assert.rejects(repos.serverGroups.addMember(b.uuid, i1), ConflictError);
    await assert.rejects(repos.serverGroups.addMember(ids.uuid(), ids.uuid()), NotFoundError);

    await repos.serverGroups.removeMember(i1);
    await repos.serverGroups.removeMember(i1);
    assert.deepEqual(await repos.serverGroups.membersOf(a.uuid), [i2]);
    assert.equal(await repos.serverGroups.groupOf(i1), undefined);
    await repos.serverGroups.addMember(b.uuid, i1);
    assert.deepEqual((await repos.serverGroups.list()).map((g) => [g.name, g.members]), [['a', [i2]], ['b', [i1]]]);
  });

  it('lists per project, and deletes a group with its memberships', async () => {
    const a = await create('a', 'p1');
    await create('b', 'p2');
    const member = ids.uuid();
    await repos.serverGroups.addMember(a.uuid, member);
    assert.deepEqual((await repos.serverGroups.list({ projectId: 'p2' })).map((g) => g.name), ['b']);
    assert.equal(await repos.serverGroups.delete(a.uuid), true);
    assert.equal(await repos.serverGroups.delete(a.uuid), false);
    assert.equal(await repos.serverGroups.groupOf(member), undefined);
    assert.deepEqual((await repos.serverGroups.list()).map((g) => g.name), ['b']);
  });

  it('locates members through their instance mappings', async () => {
    const cell = await repos.cells.upsert({ uuid: ids.uuid(), name: 'cell1', transportUrl: 'none:///', databaseConnection: 'sqlite://' });
    const [scheduled, pending, gone] = [ids.uuid(), ids.uuid(), ids.uuid()];
    await repos.instanceMappings.create({ instanceUuid: scheduled, projectId: 'p1', userId: 'u1', cellId: cell.id });
    await repos.instanceMappings.create({ instanceUuid: pending, projectId: 'p1', userId: 'u1' });
    assert.deepEqual(await repos.serverGroups.locateMembers([scheduled, pending, gone]), [
      { instance_uuid: scheduled, cell_id: cell.id },
      { instance_uuid: pending, cell_id: null },
      { instance_uuid: gone, cell_id: undefined },
    ]);
  });
});
