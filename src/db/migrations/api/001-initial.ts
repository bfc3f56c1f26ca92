import type { SchemaMigration } from '../../migrator.js';
import { withIdColumn, withTimestamps } from '../../column-helpers.js';

/** The first API database schema: cells, mappings, specs, build requests, flavors, aggregates. */
export const apiInitial: SchemaMigration = {
  name: '001-initial',
  async up(db, dialect) {
    await withTimestamps(withIdColumn(db.schema.createTable('cell_mappings'), dialect))
      .addColumn('uuid', 'varchar(36)', (c) => c.notNull().unique())
      .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
      .addColumn('transport_url', 'text', (c) => c.notNull())
      .addColumn('database_connection', 'text', (c) => c.notNull())
      .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await withTimestamps(withIdColumn(db.schema.createTable('host_mappings'), dialect))
      .addColumn('cell_id', 'integer', (c) => c.notNull().references('cell_mappings.id'))
      .addColumn('host', 'varchar(255)', (c) => c.notNull().unique())
      .execute();
    await withTimestamps(withIdColumn(db.schema.createTable('instance_mappings'), dialect))
      .addColumn('instance_uuid', 'varchar(36)', (c) => c.notNull().unique())
      .addColumn('cell_id', 'integer', (c) => c.references('cell_mappings.id'))
      .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('user_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('queued_for_delete', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.createIndex('instance_mappings_project_idx').on('instance_mappings').column('project_id').execute();
    await withTimestamps(withIdColumn(db.schema.createTable('request_specs'), dialect))
      .addColumn('instance_uuid', 'varchar(36)', (c) => c.notNull().unique())
      .addColumn('spec', 'text', (c) => c.notNull())
      .execute();
    await withTimestamps(withIdColumn(db.schema.createTable('build_requests'), dialect))
      .addColumn('instance_uuid', 'varchar(36)', (c) => c.notNull().unique())
      .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('user_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('instance', 'text', (c) => c.notNull())
      .execute();
    await withTimestamps(withIdColumn(db.schema.createTable('flavors'), dialect))
      .addColumn('flavorid', 'varchar(255)', (c) => c.notNull().unique())
      .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
      .addColumn('memory_mb', 'integer', (c) => c.notNull())
      .addColumn('vcpus', 'integer', (c) => c.notNull())
      .addColumn('root_gb', 'integer', (c) => c.notNull())
      .addColumn('ephemeral_gb', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('swap', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('rxtx_factor', 'double precision', (c) => c.notNull().defaultTo(1))
      .addColumn('vcpu_weight', 'integer')
      .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('is_public', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('description', 'text')
      .execute();
    await withTimestamps(withIdColumn(db.schema.createTable('flavor_extra_specs'), dialect))
      .addColumn('flavor_id', 'integer', (c) => c.notNull().references('flavors.id').onDelete('cascade'))
      .addColumn('key', 'varchar(255)', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addUniqueConstraint('flavor_extra_specs_flavor_key_uq', ['flavor_id', 'key'])
      .execute();
    await withTimestamps(withIdColumn(db.schema.createTable('aggregates'), dialect))
      .addColumn('uuid', 'varchar(36)', (c) => c.notNull().unique())
      .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
      .execute();
    await withTimestamps(withIdColumn(db.schema.createTable('aggregate_hosts'), dialect))
      .addColumn('aggregate_id', 'integer', (c) => c.notNull().references('aggregates.id').onDelete('cascade'))
      .addColumn('host', 'varchar(255)', (c) => c.notNull())
      .addUniqueConstraint('aggregate_hosts_uq', ['aggregate_id', 'host'])
      .execute();
    await withTimestamps(withIdColumn(db.schema.createTable('aggregate_metadata'), dialect))
      .addColumn('aggregate_id', 'integer', (c) => c.notNull().references('aggregates.id').onDelete('cascade'))
      .addColumn('key', 'varchar(255)', (c) => c.notNull())
      .addColumn('value', 'varchar(255)', (c) => c.notNull())
      .addUniqueConstraint('aggregate_metadata_uq', ['aggregate_id', 'key'])
      .execute();
  },
};
