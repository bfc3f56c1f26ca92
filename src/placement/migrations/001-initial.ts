import { withIdColumn, withTimestamps } from '../../db/column-helpers.js';
import type { SchemaMigration } from '../../db/migrator.js';

/**
 * The first placement schema. Capacity columns are integers as in Placement (its MAX_INT is
 * 2^31-1); the allocation ratio is a double. Standard resource classes and traits are not
 * inserted here but synchronised at every start, so that a newer Tessera adds the ones it knows.
 */
export const placementInitial: SchemaMigration = {
  name: '001-initial',
  async up(db, dialect) {
    await withTimestamps(withIdColumn(db.schema.createTable('resource_providers'), dialect))
      .addColumn('uuid', 'varchar(36)', (c) => c.notNull().unique())
      .addColumn('name', 'varchar(200)', (c) => c.notNull().unique())
      .addColumn('generation', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('root_provider_id', 'integer', (c) => c.references('resource_providers.id'))
      .addColumn('parent_provider_id', 'integer', (c) => c.references('resource_providers.id'))
      .execute();
    await db.schema.createIndex('resource_providers_root_idx').on('resource_providers').column('root_provider_id').execute();
    await db.schema.createIndex('resource_providers_parent_idx').on('resource_providers').column('parent_provider_id').execute();

    await withTimestamps(db.schema.createTable('resource_classes').addColumn('id', 'integer', (c) => c.primaryKey()))
      .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
      .execute();

    await withTimestamps(withIdColumn(db.schema.createTable('inventories'), dialect))
      .addColumn('resource_provider_id', 'integer', (c) => c.notNull().references('resource_providers.id').onDelete('cascade'))
      .addColumn('resource_class_id', 'integer', (c) => c.notNull().references('resource_classes.id'))
      .addColumn('total', 'integer', (c) => c.notNull())
      .addColumn('reserved', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('min_unit', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('max_unit', 'integer', (c) => c.notNull())
      .addColumn('step_size', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('allocation_ratio', 'double precision', (c) => c.notNull().defaultTo(1))
      .addUniqueConstraint('inventories_provider_class_uq', ['resource_provider_id', 'resource_class_id'])
      .execute();
    await db.schema.createIndex('inventories_class_idx').on('inventories').column('resource_class_id').execute();

    await withTimestamps(withIdColumn(db.schema.createTable('allocations'), dialect))
      .addColumn('resource_provider_id', 'integer', (c) => c.notNull().references('resource_providers.id'))
      .addColumn('consumer_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('resource_class_id', 'integer', (c) => c.notNull().references('resource_classes.id'))
      .addColumn('used', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('allocations_consumer_idx').on('allocations').column('consumer_id').execute();
    await db.schema.createIndex('allocations_provider_class_idx').on('allocations').columns(['resource_provider_id', 'resource_class_id']).execute();

    await withTimestamps(withIdColumn(db.schema.createTable('consumers'), dialect))
      .addColumn('uuid', 'varchar(36)', (c) => c.notNull().unique())
      .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('user_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('generation', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('consumer_type', 'varchar(255)')
      .execute();
    await db.schema.createIndex('consumers_project_user_idx').on('consumers').columns(['project_id', 'user_id']).execute();

    await db.schema
      .createTable('provider_aggregates')
      .addColumn('resource_provider_id', 'integer', (c) => c.notNull().references('resource_providers.id').onDelete('cascade'))
      .addColumn('aggregate_uuid', 'varchar(36)', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('provider_aggregates_pk', ['resource_provider_id', 'aggregate_uuid'])
      .execute();
    await db.schema.createIndex('provider_aggregates_aggregate_idx').on('provider_aggregates').column('aggregate_uuid').execute();

    await withTimestamps(withIdColumn(db.schema.createTable('traits'), dialect))
      .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
      .execute();

    await db.schema
      .createTable('provider_traits')
      .addColumn('resource_provider_id', 'integer', (c) => c.notNull().references('resource_providers.id').onDelete('cascade'))
      .addColumn('trait_id', 'integer', (c) => c.notNull().references('traits.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('provider_traits_pk', ['resource_provider_id', 'trait_id'])
      .execute();
    await db.schema.createIndex('provider_traits_trait_idx').on('provider_traits').column('trait_id').execute();
  },
};
