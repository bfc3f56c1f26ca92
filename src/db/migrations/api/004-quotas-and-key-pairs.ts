import type { SchemaMigration } from '../../migrator.js';
import { withIdColumn, withTimestamps } from '../../column-helpers.js';

/**
 * Per-project quota limits (Nova's `quotas`: a row overrides the `[quota]` default of one
 * resource) and key pairs (Nova's `key_pairs`: unique per user and name, no soft delete in the
 * API database).
 */
export const apiQuotasAndKeyPairs: SchemaMigration = {
  name: '004-quotas-and-key-pairs',
  async up(db, dialect) {
    await withTimestamps(withIdColumn(db.schema.createTable('quotas'), dialect))
      .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('resource', 'varchar(255)', (c) => c.notNull())
      .addColumn('hard_limit', 'integer', (c) => c.notNull())
      .addUniqueConstraint('quotas_project_resource_uq', ['project_id', 'resource'])
      .execute();
    await withTimestamps(withIdColumn(db.schema.createTable('key_pairs'), dialect))
      .addColumn('name', 'varchar(255)', (c) => c.notNull())
      .addColumn('user_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('fingerprint', 'varchar(255)', (c) => c.notNull())
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('type', 'varchar(16)', (c) => c.notNull().defaultTo('ssh'))
      .addUniqueConstraint('key_pairs_user_name_uq', ['user_id', 'name'])
      .execute();
  },
};
