import type { Kysely } from 'kysely';
import type { SchemaMigration } from '../../migrator.js';

/**
 * The vCPUs and RAM of an instance's current flavor as plain columns of `instances` (Nova's
 * `instances.vcpus` and `instances.memory_mb`), so that a quota check sums a project's usage in
 * SQL instead of reading and decoding every one of its rows; the instance repository keeps them
 * equal to the current flavor on every write, and an index covers what the count reads. Existing
 * rows are filled from their flavor JSON; the shadow table gets the same columns (nullable, no
 * default), as migration 005 asks.
 */
export const cellInstanceResources: SchemaMigration = {
  name: '006-instance-resources',
  async up(db) {
    await db.schema.alterTable('instances').addColumn('vcpus', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('instances').addColumn('memory_mb', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('shadow_instances').addColumn('vcpus', 'integer').execute();
    await db.schema.alterTable('shadow_instances').addColumn('memory_mb', 'integer').execute();
    // What a project's quota count reads, from the index alone.
    await db.schema
      .createIndex('instances_quota_idx')
      .on('instances')
      .columns(['project_id', 'deleted', 'hidden', 'vm_state', 'task_state', 'uuid', 'vcpus', 'memory_mb'])
      .execute();
    await backfill(db, 'instances');
    await backfill(db, 'shadow_instances');
  },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function backfill(db: Kysely<any>, table: string): Promise<void> {
  const rows = (await db.selectFrom(table).select(['id', 'flavor']).execute()) as { id: number; flavor: string | null }[];
  for (const row of rows) {
    if (row.flavor === null) continue;
    const { cur } = JSON.parse(row.flavor) as { cur: { vcpus: number; memory_mb: number } };
    await db.updateTable(table).set({ vcpus: cur.vcpus, memory_mb: cur.memory_mb }).where('id', '=', row.id).execute();
  }
}
