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
import { MigrationRepo, newestMigrationFirst } from './migration-repo.js';

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

  it('finds the open moves of a host, on either end, hidden copies too, and not finished ones', async () => {
    const out = await repo.create(migration({ status: 'finished', dest_compute: 'h2' }));
    const into = await repo.create(migration({ source_compute: 'h3', dest_compute: 'h1', status: 'migrating' }));
    await repo.create(migration({ status: 'confirmed' }));
    await repo.create(migration({ status: 'error' }));
    const copy = await repo.create(migration({ status: 'migrating', hidden: true }));
    assert.deepEqual((await repo.inProgressOnHost('h1')).map((m) => m.uuid).sort(), [out.uuid, into.uuid, copy.uuid].sort());
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

  it('filters by source compute only, and by host on either end, host winning as in Nova', async () => {
    const out = await repo.create(migration({ source_compute: 'h1', dest_compute: 'h2' }));
    const into = await repo.create(migration({ source_compute: 'h3', dest_compute: 'h1' }));
    assert.deepEqual((await repo.list({ sourceCompute: 'h1' })).map((m) => m.uuid), [out.uuid]);
    assert.deepEqual((await repo.list({ host: 'h1' })).map((m) => m.uuid).sort(), [out.uuid, into.uuid].sort());
    assert.deepEqual((await repo.list({ host: 'h2', sourceCompute: 'h3' })).map((m) => m.uuid), [out.uuid]);
  });

  it('pages after a marker with a limit, ties on created_at broken by id, and finds nothing with limit 0', async () => {
    const first = await repo.create(migration());
    const second = await repo.create(migration());
    clock.advance(1000);
    const third = await repo.create(migration());
    assert.deepEqual((await repo.list()).map((m) => m.uuid), [third.uuid, second.uuid, first.uuid]);
    assert.deepEqual((await repo.list({ limit: 2 })).map((m) => m.uuid), [third.uuid, second.uuid]);
    assert.deepEqual((await repo.list({ limit: 2, after: second })).map((m) => m.uuid), [first.uuid]);
    assert.deepEqual((await repo.list({ after: third })).map((m) => m.uuid), [second.uuid, first.uuid]);
    assert.deepEqual(await repo.list({ limit: 0 }), []);
    const all = await repo.list();
    assert.deepEqual([...all].reverse().sort(newestMigrationFirst), all, 'the comparator agrees with the query');
  });

  it('filters by updated_at with changes-since and changes-before, both inclusive', async () => {
    const old = await repo.create(migration());
    clock.advance(1000);
    const mid = await repo.create(migration());
    clock.advance(1000);
    const updated = await repo.update(old.uuid, { status: 'migrating' });
    assert.deepEqual((await repo.list({ changesSince: updated.updated_at as string })).map((m) => m.uuid), [old.uuid]);
    assert.deepEqual((await repo.list({ changesBefore: mid.updated_at as string })).map((m) => m.uuid), [mid.uuid]);
  });
});

describe('newestMigrationFirst', () => {
  it('orders by created_at, then id, then uuid, all descending', () => {
    const key = (created_at: string, id: number, uuid: string) => ({ created_at, id, uuid });
    const rows = [key('2026-01-01T00:00:00.000Z', 1, 'b'), key('2026-01-02T00:00:00.000Z', 1, 'a'), key('2026-01-01T00:00:00.000Z', 2, 'a'), key('2026-01-01T00:00:00.000Z', 1, 'c')];
    assert.deepEqual(rows.sort(newestMigrationFirst).map((r) => `${r.created_at.slice(8, 10)}/${r.id}/${r.uuid}`), ['02/1/a', '01/2/a', '01/1/c', '01/1/b']);
  });
});
