import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../common/clock.js';
import { openDatabase } from '../connection.js';
import { apiMigrations } from '../migrations/api/index.js';
import { migrateToLatest } from '../migrator.js';
import type { ApiSchema } from './api-schema.js';
import { ensureDefaultFlavors } from './default-flavors.js';
import { FlavorRepo } from './flavor-repo.js';

async function repo(): Promise<{ flavors: FlavorRepo; close: () => Promise<void> }> {
  const database = openDatabase<ApiSchema>('sqlite://');
  await migrateToLatest(database, apiMigrations);
  return { flavors: new FlavorRepo({ db: database.db, clock: new ManualClock() }), close: () => database.close() };
}

describe('ensureDefaultFlavors', () => {
  it('creates the m1 series and the two small devstack flavors in an empty table', async () => {
    const { flavors, close } = await repo();
    try {
      const created = await ensureDefaultFlavors(flavors);
      assert.deepEqual(
        created.map((f) => [f.flavorid, f.name, f.memory_mb, f.root_gb, f.vcpus]),
        [
          ['1', 'm1.tiny', 512, 1, 1],
          ['2', 'm1.small', 2048, 20, 1],
          ['3', 'm1.medium', 4096, 40, 2],
          ['4', 'm1.large', 8192, 80, 4],
          ['5', 'm1.xlarge', 16384, 160, 8],
          ['42', 'm1.nano', 128, 1, 1],
          ['84', 'm1.micro', 192, 1, 1],
        ],
      );
      assert.ok(created.every((f) => f.is_public && f.swap === 0 && f.ephemeral_gb === 0 && f.rxtx_factor === 1));
      assert.deepEqual(await ensureDefaultFlavors(flavors), []);
    } finally {
      await close();
    }
  });

  it('leaves a table with any flavor alone', async () => {
    const { flavors, close } = await repo();
    try {
      await flavors.create({ flavorid: 'x', name: 'custom', memory_mb: 1, vcpus: 1, root_gb: 0, ephemeral_gb: 0, swap: 0, rxtx_factor: 1, is_public: true, description: null });
      assert.deepEqual(await ensureDefaultFlavors(flavors), []);
      assert.deepEqual((await flavors.list()).map((f) => f.flavorid), ['x']);
    } finally {
      await close();
    }
  });
});
