import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../../common/clock.js';
import { BadRequestError, ConflictError, NotFoundError } from '../../common/errors.js';
import { RandomIdGenerator } from '../../common/ids.js';
import { openDatabase, type Database } from '../connection.js';
import { apiMigrations } from '../migrations/api/index.js';
import { migrateToLatest } from '../migrator.js';
import { AggregateRepo } from './aggregate-repo.js';
import type { ApiSchema } from './api-schema.js';

describe('AggregateRepo', () => {
  let database: Database<ApiSchema>;
  let aggregates: AggregateRepo;
  const clock = new ManualClock();

  beforeEach(async () => {
    database = openDatabase<ApiSchema>('sqlite://');
    await migrateToLatest(database, apiMigrations);
    aggregates = new AggregateRepo({ db: database.db, clock, ids: new RandomIdGenerator() });
  });
  afterEach(async () => database.close());

  it('creates zoned and zone-less aggregates with unique names', async () => {
    const zoned = await aggregates.create({ name: 'a', availabilityZone: 'az1' });
    assert.deepEqual([zoned.name, zoned.hosts, zoned.metadata, zoned.updated_at], ['a', [], { availability_zone: 'az1' }, null]);
    const plain = await aggregates.create({ name: 'b' });
    assert.deepEqual(plain.metadata, {});
    await assert.rejects(aggregates.create({ name: 'a' }), ConflictError);
    assert.deepEqual((await aggregates.list()).map((a) => a.name), ['a', 'b']);
    await assert.rejects(aggregates.get(9999), NotFoundError);
  });

  it('renames and sets metadata, a null value deleting its key', async () => {
    const agg = await aggregates.create({ name: 'a', availabilityZone: 'az1' });
    await aggregates.create({ name: 'taken' });
    clock.advance(1000);
    const updated = await aggregates.update(agg.id, { name: 'renamed', metadata: { ssd: 'yes', availability_zone: 'az2' } });
    assert.deepEqual([updated.name, updated.metadata], ['renamed', { availability_zone: 'az2', ssd: 'yes' }]);
    assert.equal(updated.updated_at, '2026-01-01T00:00:01.000Z');
    const removed = await aggregates.update(agg.id, { metadata: { ssd: null, missing: null } });
    assert.deepEqual(removed.metadata, { availability_zone: 'az2' });
    await assert.rejects(aggregates.update(agg.id, { name: 'taken' }), ConflictError);
    await assert.rejects(aggregates.update(9999, { name: 'x' }), NotFoundError);
  });

  it('adds and removes hosts, and a guard that throws changes nothing', async () => {
    const agg = await aggregates.create({ name: 'a' });
    await aggregates.addHost(agg.id, 'h2');
    await aggregates.addHost(agg.id, 'h1');
    assert.deepEqual((await aggregates.get(agg.id)).hosts, ['h1', 'h2']);
    await assert.rejects(aggregates.addHost(agg.id, 'h1'), ConflictError);
    const refuse = () => {
      throw new BadRequestError('test.refused', 'no');
    };
    await assert.rejects(aggregates.addHost(agg.id, 'h3', refuse), BadRequestError);
    await assert.rejects(aggregates.update(agg.id, { name: 'changed' }, refuse), BadRequestError);
    await assert.rejects(aggregates.delete(agg.id, refuse), BadRequestError);
    const unchanged = await aggregates.get(agg.id);
    assert.deepEqual([unchanged.name, unchanged.hosts], ['a', ['h1', 'h2']]);

    await aggregates.removeHost(agg.id, 'h2');
    await assert.rejects(aggregates.removeHost(agg.id, 'h2'), NotFoundError);
    assert.deepEqual((await aggregates.list()).filter((a) => a.hosts.includes('h1')).map((a) => a.name), ['a']);
    await aggregates.delete(agg.id);
    assert.deepEqual(await aggregates.list(), []);
    await assert.rejects(aggregates.delete(agg.id), NotFoundError);
  });

  it('keeps ensureZone idempotent and respectful of a re-zoned aggregate', async () => {
    await aggregates.ensureZone('cell1', 'cell1', ['h1']);
    const [agg] = await aggregates.list();
    await aggregates.update(agg?.id ?? 0, { metadata: { availability_zone: 'moved' } });
    await aggregates.ensureZone('cell1', 'cell1', ['h1', 'h2']);
    const [after] = await aggregates.list();
    assert.deepEqual([after?.hosts, after?.metadata], [['h1', 'h2'], { availability_zone: 'moved' }]);
    assert.deepEqual([await aggregates.zoneOf('h1'), await aggregates.zoneOf('h2')], ['moved', 'moved']);
    assert.deepEqual(await aggregates.zoneNames(), new Set(['moved']));
  });
});
