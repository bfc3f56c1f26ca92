import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../../common/clock.js';
import { ConflictError, NotFoundError } from '../../common/errors.js';
import { RandomIdGenerator } from '../../common/ids.js';
import type { NewMigration } from '../../objects/migration.js';
import { openDatabase, type Database } from '../connection.js';
import { cellMigrations } from '../migrations/cell/index.js';
import { migrateToLatest } from '../migrator.js';
import type { CellSchema } from './cell-schema.js';
import { MigrationRepo } from './migration-repo.js';

describe('MigrationRepo', () => {
  let database: Database<CellSchema>;
  let repo: MigrationRepo;
  const clock = new ManualClock();
  const ids = new RandomIdGenerator();

  beforeEach(async () => {
    database = openDatabase<CellSchema>('sqlite://');
    await migrateToLatest(database, cellMigrations);
    repo = new MigrationRepo({ db: database.db, clock });
  });
  afterEach(async () => database.close());

  const migration = (over: Partial<NewMigration> = {}): NewMigration => ({
    uuid: ids.uuid(), instance_uuid: ids.uuid(), source_compute: 'h1', source_node: 'h1', dest_compute: null, dest_node: null, dest_host: null,
    old_instance_type_id: 1, new_instance_type_id: 2, status: 'pre-migrating', migration_type: 'resize', user_id: 'u1', project_id: 'p1', ...over,
  });

  it('records a migration and reads it back with booleans decoded', async () => {
    const m = await repo.create(migration({ cross_cell_move: true }));
    assert.equal(m.status, 'pre-migrating');
    assert.equal(m.cross_cell_move, true);
    assert.equal(m.hidden, false);
    assert.equal(m.deleted, false);
    assert.deepEqual(await repo.get(m.uuid), m);
    await assert.rejects(repo.get(ids.uuid()), NotFoundError);
  });

  it('moves the status on only from an expected status', async () => {
    const m = await repo.create(migration());
    const next = await repo.update(m.uuid, { status: 'migrating', dest_compute: 'h2', dest_node: 'h2' }, ['pre-migrating']);
    assert.equal(next.status, 'migrating');
    assert.equal(next.dest_compute, 'h2');
    await assert.rejects(repo.update(m.uuid, { status: 'confirmed' }, ['finished']), ConflictError);
    assert.equal((await repo.get(m.uuid)).status, 'migrating');
  });

  it('finds the open moves of a host, on either end, and not finished ones', async () => {
    const out = await repo.create(migration({ status: 'finished', dest_compute: 'h2' }));
    const into = await repo.create(migration({ source_compute: 'h3', dest_compute: 'h1', status: 'migrating' }));
    await repo.create(migration({ status: 'confirmed' }));
    await repo.create(migration({ status: 'error' }));
    await repo.create(migration({ status: 'migrating', hidden: true }));
    assert.deepEqual((await repo.inProgressOnHost('h1')).map((m) => m.uuid).sort(), [out.uuid, into.uuid].sort());
  });

  it('lists newest first with filters, hiding hidden copies unless asked', async () => {
    const a = await repo.create(migration({ migration_type: 'migration', status: 'finished' }));
    clock.advance(1000);
    const b = await repo.create(migration({ instance_uuid: a.instance_uuid, status: 'confirmed', project_id: 'p2' }));
    clock.advance(1000);
    const hidden = await repo.create(migration({ hidden: true }));
    assert.deepEqual((await repo.list()).map((m) => m.uuid), [b.uuid, a.uuid]);
    assert.deepEqual((await repo.list({ includeHidden: true })).map((m) => m.uuid), [hidden.uuid, b.uuid, a.uuid]);
    assert.deepEqual((await repo.list({ migrationType: 'migration' })).map((m) => m.uuid), [a.uuid]);
    assert.deepEqual((await repo.list({ statuses: ['confirmed'] })).map((m) => m.uuid), [b.uuid]);
    assert.deepEqual((await repo.list({ projectId: 'p2' })).map((m) => m.uuid), [b.uuid]);
    assert.deepEqual((await repo.list({ instanceUuid: a.instance_uuid })).map((m) => m.uuid), [b.uuid, a.uuid]);
    assert.deepEqual((await repo.latestFor(a.instance_uuid, ['finished']))?.uuid, a.uuid);
    await repo.hardDelete(a.uuid);
    assert.equal(await repo.find(a.uuid), undefined);
  });
});
