import type { SchemaMigration } from '../../migrator.js';
import { withIdColumn, withSoftDelete } from '../../column-helpers.js';

/**
 * What an instance is attached to, in Nova's shape: its block device mappings (root disk, volumes,
 * with boot index, tag, attachment and delete-on-termination), its virtual interfaces (one per
 * port, with the port's MAC, network and tag), and the network info cache that the API shows as
 * `addresses`.
 */
export const cellBlockDevicesAndInterfaces: SchemaMigration = {
  name: '003-block-devices-and-interfaces',
  async up(db, dialect) {
    await withSoftDelete(withIdColumn(db.schema.createTable('block_device_mapping'), dialect))
      .addColumn('uuid', 'varchar(36)', (c) => c.notNull().unique())
      .addColumn('instance_uuid', 'varchar(36)', (c) => c.notNull())
      .addColumn('source_type', 'varchar(255)', (c) => c.notNull())
      .addColumn('destination_type', 'varchar(255)', (c) => c.notNull())
      .addColumn('boot_index', 'integer')
      .addColumn('device_name', 'varchar(255)')
      .addColumn('device_type', 'varchar(255)')
      .addColumn('disk_bus', 'varchar(255)')
      .addColumn('guest_format', 'varchar(255)')
      .addColumn('delete_on_termination', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('image_id', 'varchar(36)')
      .addColumn('snapshot_id', 'varchar(36)')
      .addColumn('volume_id', 'varchar(36)')
      .addColumn('volume_size', 'integer')
      .addColumn('volume_type', 'varchar(255)')
      .addColumn('attachment_id', 'varchar(36)')
      .addColumn('connection_info', 'text')
      .addColumn('no_device', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('tag', 'varchar(255)')
      .execute();
    await db.schema.createIndex('block_device_mapping_instance_idx').on('block_device_mapping').columns(['instance_uuid', 'deleted']).execute();
    await db.schema.createIndex('block_device_mapping_volume_idx').on('block_device_mapping').columns(['volume_id', 'deleted']).execute();

    await withSoftDelete(withIdColumn(db.schema.createTable('virtual_interfaces'), dialect))
      .addColumn('uuid', 'varchar(36)', (c) => c.notNull())
      .addColumn('instance_uuid', 'varchar(36)', (c) => c.notNull())
      .addColumn('network_id', 'varchar(36)')
      .addColumn('address', 'varchar(255)')
      .addColumn('tag', 'varchar(255)')
      .addUniqueConstraint('virtual_interfaces_uuid_deleted_uq', ['uuid', 'deleted'])
      .execute();
    await db.schema.createIndex('virtual_interfaces_instance_idx').on('virtual_interfaces').columns(['instance_uuid', 'deleted']).execute();

    await withSoftDelete(withIdColumn(db.schema.createTable('instance_info_caches'), dialect))
      .addColumn('instance_uuid', 'varchar(36)', (c) => c.notNull())
      .addColumn('network_info', 'text', (c) => c.notNull())
      .addUniqueConstraint('instance_info_caches_instance_deleted_uq', ['instance_uuid', 'deleted'])
      .execute();
  },
};
