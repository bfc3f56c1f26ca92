import type { Kysely } from 'kysely';
import type { SchemaMigration } from '../../migrator.js';

/**
 * What a quota count reads, made cheap: an index that tells, from the index alone, which cells
 * hold a project's counted instances (not queued for deletion) and which of its instances still
 * wait for a cell; and the vCPUs and RAM a build request asks for, as plain columns, so that
 * counting the waiting ones decodes none of their instances. Existing build requests are filled
 * from their instance JSON.
 */
export const apiQuotaCounting: SchemaMigration = {
  name: '006-quota-counting',
  async up(db) {
    await db.schema.createIndex('instance_mappings_quota_idx').on('instance_mappings').columns(['project_id', 'queued_for_delete', 'cell_id', 'instance_uuid']).execute();
    await db.schema.alterTable('build_requests').addColumn('vcpus', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('build_requests').addColumn('memory_mb', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await backfill(db);
  },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function backfill(db: Kysely<any>): Promise<void> {
  const rows = (await db.selectFrom('build_requests').select(['id', 'instance']).execute()) as { id: number; instance: string }[];
  for (const row of rows) {
    const { flavor } = JSON.parse(row.instance) as { flavor: { vcpus: number; memory_mb: number } };
    await db.updateTable('build_requests').set({ vcpus: flavor.vcpus, memory_mb: flavor.memory_mb }).where('id', '=', row.id).execute();
  }
}
