import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CellSchema } from '../cell/cell-schema.js';
import { openDatabase } from '../connection.js';
import { cellMigrations } from '../migrations/cell/index.js';
import { migrateToLatest } from '../migrator.js';
import { shadowColumnDrift } from './shadow-drift.js';
import { readTableColumns } from './shadow-tables.js';

describe('shadow tables', () => {
  // The guard of the rule in 005-shadow-tables.ts: a migration that changes the columns of a
  // soft-deleted table without changing its shadow alike fails here.
  it('after every cell migration, each soft-deleted table has a shadow with exactly its columns', async () => {
    const database = openDatabase<CellSchema>('sqlite://');
    try {
      await migrateToLatest(database, cellMigrations);
      const columns = await readTableColumns(database.db);
      assert.deepEqual(shadowColumnDrift(columns), []);
      const shadows = [...columns.keys()].filter((t) => t.startsWith('shadow_')).sort();
      assert.deepEqual(shadows, [
        'shadow_block_device_mapping', 'shadow_compute_nodes', 'shadow_instance_actions', 'shadow_instance_actions_events', 'shadow_instance_faults',
        'shadow_instance_info_caches', 'shadow_instances', 'shadow_migrations', 'shadow_services', 'shadow_virtual_interfaces',
      ]);
      assert.deepEqual(columns.get('shadow_instances'), columns.get('instances'), 'same columns in the same order');
    } finally {
      await database.close();
    }
  });

  it('reports a column added to a table but not to its shadow, one only in the shadow, and a missing shadow', () => {
    const columns = new Map([
      ['instances', ['id', 'uuid', 'deleted', 'new_thing']],
      ['shadow_instances', ['id', 'uuid', 'deleted', 'old_thing']],
      ['services', ['id', 'deleted']],
      ['tags', ['resource_id', 'tag']],
    ]);
    assert.deepEqual(shadowColumnDrift(columns), [
      { table: 'instances', missingInShadow: ['new_thing'], onlyInShadow: ['old_thing'], noShadow: false },
      { table: 'services', missingInShadow: ['id', 'deleted'], onlyInShadow: [], noShadow: true },
    ]);
  });
});
