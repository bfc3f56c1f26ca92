import type { SchemaMigration } from '../../migrator.js';
import { withIdColumn, withSoftDelete } from '../../column-helpers.js';

/** Nova's `migrations` table: one row per resize or cold migration of an instance of this cell. */
export const cellMigrationRecords: SchemaMigration = {
  name: '004-migrations',
  async up(db, dialect) {
    await withSoftDelete(withIdColumn(db.schema.createTable('migrations'), dialect))
      .addColumn('uuid', 'varchar(36)', (c) => c.notNull().unique())
      .addColumn('instance_uuid', 'varchar(36)', (c) => c.notNull())
      .addColumn('source_compute', 'varchar(255)')
      .addColumn('source_node', 'varchar(255)')
      .addColumn('dest_compute', 'varchar(255)')
      .addColumn('dest_node', 'varchar(255)')
      .addColumn('dest_host', 'varchar(255)')
      .addColumn('old_instance_type_id', 'integer', (c) => c.notNull())
      .addColumn('new_instance_type_id', 'integer', (c) => c.notNull())
      .addColumn('status', 'varchar(255)', (c) => c.notNull())
      .addColumn('migration_type', 'varchar(255)', (c) => c.notNull())
      .addColumn('cross_cell_move', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('user_id', 'varchar(255)')
      .addColumn('project_id', 'varchar(255)')
      .execute();
    await db.schema.createIndex('migrations_instance_idx').on('migrations').columns(['instance_uuid', 'deleted']).execute();
    await db.schema.createIndex('migrations_status_idx').on('migrations').columns(['status', 'deleted']).execute();
    await db.schema.createIndex('migrations_updated_idx').on('migrations').columns(['updated_at', 'deleted']).execute();
  },
};
