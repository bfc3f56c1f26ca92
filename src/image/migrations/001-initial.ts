import { withSoftDelete } from '../../db/column-helpers.js';
import type { SchemaMigration } from '../../db/migrator.js';

/** The first image database schema: one `images` table, soft-deleted like Glance's. */
export const imageInitial: SchemaMigration = {
  name: '001-initial',
  async up(db) {
    await withSoftDelete(
      db.schema
        .createTable('images')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('name', 'varchar(255)')
        .addColumn('status', 'varchar(30)', (c) => c.notNull())
        .addColumn('visibility', 'varchar(20)', (c) => c.notNull())
        .addColumn('container_format', 'varchar(32)')
        .addColumn('disk_format', 'varchar(32)')
        // Image sizes pass 2 GiB, beyond a PostgreSQL integer.
        .addColumn('size', 'bigint')
        .addColumn('virtual_size', 'bigint')
        .addColumn('checksum', 'varchar(32)')
        .addColumn('os_hash_algo', 'varchar(64)')
        .addColumn('os_hash_value', 'varchar(128)')
        .addColumn('min_disk', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('min_ram', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('owner', 'varchar(255)')
        .addColumn('protected', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('os_hidden', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('properties', 'text', (c) => c.notNull().defaultTo('{}')),
    ).execute();
    await db.schema.createIndex('images_deleted_visibility_idx').on('images').columns(['deleted', 'visibility']).execute();
    await db.schema.createIndex('images_owner_idx').on('images').column('owner').execute();
    await db.schema.createIndex('images_name_idx').on('images').column('name').execute();
  },
};
