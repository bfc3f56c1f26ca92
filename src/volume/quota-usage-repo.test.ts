import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../common/clock.js';
import { openDatabase, type Database } from '../db/connection.js';
import { migrateToLatest } from '../db/migrator.js';
import { QuotaUsageRepo } from './quota-usage-repo.js';
import { volumeMigrations } from './volume-migrations.js';
import type { VolumeSchema } from './volume-schema.js';

describe('QuotaUsageRepo', () => {
  let database: Database<VolumeSchema>;
  let usages: QuotaUsageRepo;

  before(async () => {
    database = openDatabase<VolumeSchema>('sqlite://');
    await migrateToLatest(database as Database<unknown>, volumeMigrations);
  });
  after(async () => database.close());
  beforeEach(async () => {
    await database.db.deleteFrom('volume_quota_usages').execute();
    usages = new QuotaUsageRepo({ db: database.db, clock: new ManualClock() });
  });

  it('starts at zero and counts what is reserved, per project', async () => {
    assert.deepEqual(await usages.usage('p-a'), { volumes: 0, gigabytes: 0 });
    assert.equal(await usages.reserve('p-a', 5, { volumes: 10, gigabytes: 100 }), true);
    assert.equal(await usages.reserve('p-a', 3, { volumes: 10, gigabytes: 100 }), true);
    assert.deepEqual(await usages.usage('p-a'), { volumes: 2, gigabytes: 8 });
    assert.deepEqual(await usages.usage('p-b'), { volumes: 0, gigabytes: 0 });
  });

  it('refuses a reservation past either limit and changes nothing', async () => {
    assert.equal(await usages.reserve('p-a', 6, { volumes: 2, gigabytes: 10 }), true);
    assert.equal(await usages.reserve('p-a', 5, { volumes: 2, gigabytes: 10 }), false, 'gigabytes');
    assert.equal(await usages.reserve('p-a', 4, { volumes: 2, gigabytes: 10 }), true, 'exactly at the limit');
    assert.equal(await usages.reserve('p-a', 0, { volumes: 2, gigabytes: 10 }), false, 'volumes');
    assert.deepEqual(await usages.usage('p-a'), { volumes: 2, gigabytes: 10 });
  });

  it('treats -1 as unlimited', async () => {
    assert.equal(await usages.reserve('p-a', 5000, { volumes: -1, gigabytes: -1 }), true);
    assert.equal(await usages.reserve('p-a', 1, { volumes: 1, gigabytes: -1 }), false);
  });

  it('never lets racing reservations pass the limit', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => usages.reserve('p-race', 1, { volumes: 5, gigabytes: -1 })));
    assert.equal(results.filter(Boolean).length, 5);
    assert.deepEqual(await usages.usage('p-race'), { volumes: 5, gigabytes: 5 });
  });

  it('gives back what was reserved, never below zero', async () => {
    await usages.reserve('p-a', 4, { volumes: -1, gigabytes: -1 });
    await usages.release('p-a', 4);
    assert.deepEqual(await usages.usage('p-a'), { volumes: 0, gigabytes: 0 });
    await usages.release('p-a', 4);
    assert.deepEqual(await usages.usage('p-a'), { volumes: 0, gigabytes: 0 });
  });
});
