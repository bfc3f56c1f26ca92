import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeInstance } from '../../../test/integration/db/instance-fixture.js';
import { ManualClock } from '../../common/clock.js';
import { InternalError } from '../../common/errors.js';
import { RandomIdGenerator } from '../../common/ids.js';
import type { RequestContext } from '../../common/request-context.js';
import { createCellRepos, type CellRepos } from '../../db/cell/cell-repos.js';
import type { CellSchema } from '../../db/cell/cell-schema.js';
import { openDatabase, type Database } from '../../db/connection.js';
import { cellMigrations } from '../../db/migrations/cell/index.js';
import { migrateToLatest } from '../../db/migrator.js';
import { CreateInstanceTask } from './create-instance-task.js';

const ctx: RequestContext = { requestId: 'req-create-1', userId: 'u1', projectId: 'p1', roles: ['member'], isAdmin: false };

describe('CreateInstanceTask', () => {
  let database: Database<CellSchema>;
  let repos: CellRepos;
  const deps = { clock: new ManualClock(new Date('2026-06-01T08:00:00Z')), ids: new RandomIdGenerator() };

  before(async () => {
    database = openDatabase<CellSchema>('sqlite://');
    await migrateToLatest(database, cellMigrations);
    repos = createCellRepos({ db: database.db, ...deps });
  });
  after(async () => database.close());

  it('writes the instance and its create action; rollback removes both', async () => {
    const instance = makeInstance(deps, { project_id: 'p1' });
    const task = new CreateInstanceTask({ repos, instance, ctx });
    await task.execute();
    assert.equal((await repos.instances.get(instance.uuid)).uuid, instance.uuid);
    const action = await repos.actions.findByRequestId(instance.uuid, ctx.requestId);
    assert.equal(action?.action, 'create');
    assert.equal(task.actionId, action?.id);
    await task.rollback();
    assert.equal(await repos.instances.find(instance.uuid), undefined);
    assert.equal(await repos.actions.findByRequestId(instance.uuid, ctx.requestId), undefined);
  });

  it('takes its row out again when the action cannot be recorded (the runner does not roll back a failed task)', async () => {
    const instance = makeInstance(deps, { project_id: 'p1' });
    const failing: CellRepos = { ...repos, actions: Object.assign(Object.create(repos.actions) as CellRepos['actions'], { start: () => Promise.reject(new InternalError('db.down', 'the action table is gone')) }) };
    await assert.rejects(new CreateInstanceTask({ repos: failing, instance, ctx }).execute(), /the action table is gone/);
    assert.equal(await repos.instances.find(instance.uuid), undefined);
    assert.deepEqual((await repos.instances.quotaUsage('p1')).visible, { instances: 0, cores: 0, ram: 0 });
  });
});
