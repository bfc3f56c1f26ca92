import { sql } from 'kysely';
import { withSoftDelete } from '../../db/column-helpers.js';
import type { SchemaMigration } from '../../db/migrator.js';

/** The first volume database schema: volumes, their attachments, and per-project usage. */
export const volumeInitial: SchemaMigration = {
  name: '001-initial',
  async up(db) {
    await withSoftDelete(
      db.schema
        .createTable('volumes')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
        .addColumn('user_id', 'varchar(255)', (c) => c.notNull())
        .addColumn('name', 'varchar(255)')
        .addColumn('description', 'varchar(255)')
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('status', 'varchar(32)', (c) => c.notNull())
        .addColumn('availability_zone', 'varchar(255)', (c) => c.notNull())
        .addColumn('host', 'varchar(255)', (c) => c.notNull())
        .addColumn('bootable', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('multiattach', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('image_id', 'varchar(36)')
        .addColumn('image_metadata', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('metadata', 'text', (c) => c.notNull().defaultTo('{}')),
    ).execute();
    await db.schema.createIndex('volumes_project_deleted_idx').on('volumes').columns(['project_id', 'deleted']).execute();
    await db.schema.createIndex('volumes_deleted_created_idx').on('volumes').columns(['deleted', 'created_at']).execute();

    await withSoftDelete(
      db.schema
        .createTable('volume_attachments')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('volume_id', 'varchar(36)', (c) => c.notNull().references('volumes.id'))
        .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
        .addColumn('instance_uuid', 'varchar(36)')
        .addColumn('attached_host', 'varchar(255)')
        .addColumn('mountpoint', 'varchar(255)')
        .addColumn('attach_status', 'varchar(32)', (c) => c.notNull())
        .addColumn('attach_mode', 'varchar(8)', (c) => c.notNull().defaultTo('null'))
        .addColumn('connector', 'text')
        .addColumn('connection_info', 'text')
        .addColumn('attach_time', 'text')
        .addColumn('detach_time', 'text'),
    ).execute();
    await db.schema.createIndex('volume_attachments_volume_idx').on('volume_attachments').columns(['volume_id', 'deleted']).execute();
    await db.schema.createIndex('volume_attachments_instance_idx').on('volume_attachments').columns(['instance_uuid', 'deleted']).execute();
    await db.schema.createIndex('volume_attachments_project_idx').on('volume_attachments').columns(['project_id', 'deleted']).execute();
    // One live attachment per (volume, host): the database settles races between two connectors.
    await db.schema
      .createIndex('volume_attachments_one_per_host_idx')
      .unique()
      .on('volume_attachments')
      .columns(['volume_id', 'attached_host'])
      .where(sql.ref('deleted'), '=', 0)
      .execute();

    await db.schema
      .createTable('volume_quota_usages')
      .addColumn('project_id', 'varchar(255)', (c) => c.primaryKey())
      .addColumn('volumes', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('gigabytes', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
