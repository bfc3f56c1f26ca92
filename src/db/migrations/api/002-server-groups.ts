import type { SchemaMigration } from '../../migrator.js';
import { withIdColumn, withTimestamps } from '../../column-helpers.js';

/**
 * Server groups (Nova's instance groups) and their members. Nova keeps the policy in a table of
 * its own; a group has exactly one policy since 2.64, so Tessera keeps it, and its rules as JSON,
 * on the group row. An instance belongs to at most one group.
 */
export const apiServerGroups: SchemaMigration = {
  name: '002-server-groups',
  async up(db, dialect) {
    await withTimestamps(withIdColumn(db.schema.createTable('instance_groups'), dialect))
      .addColumn('uuid', 'varchar(36)', (c) => c.notNull().unique())
      .addColumn('name', 'varchar(255)')
      .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('user_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('policy', 'varchar(255)', (c) => c.notNull())
      .addColumn('rules', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute();
    await db.schema.createIndex('instance_groups_project_idx').on('instance_groups').column('project_id').execute();
    await withTimestamps(withIdColumn(db.schema.createTable('instance_group_members'), dialect))
      .addColumn('group_id', 'integer', (c) => c.notNull().references('instance_groups.id').onDelete('cascade'))
      .addColumn('instance_uuid', 'varchar(36)', (c) => c.notNull().unique())
      .execute();
    await db.schema.createIndex('instance_group_members_group_idx').on('instance_group_members').column('group_id').execute();
  },
};
