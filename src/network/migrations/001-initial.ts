import { sql } from 'kysely';
import type { SchemaMigration } from '../../db/migrator.js';

/** The first network database schema: networks, subnets, ports, their fixed IPs, bindings and tags. */
export const networkInitial: SchemaMigration = {
  name: '001-initial',
  async up(db) {
    await db.schema
      .createTable('networks')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('description', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('admin_state_up', 'integer', (c) => c.notNull())
      .addColumn('shared', 'integer', (c) => c.notNull())
      .addColumn('router_external', 'integer', (c) => c.notNull())
      .addColumn('mtu', 'integer', (c) => c.notNull())
      .addColumn('revision_number', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('networks_project_id_idx').on('networks').column('project_id').execute();
    await db.schema.createIndex('networks_name_idx').on('networks').column('name').execute();

    await db.schema
      .createTable('subnets')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      // No cascade: a network's subnets are removed with it, explicitly, in one transaction.
      .addColumn('network_id', 'varchar(36)', (c) => c.notNull().references('networks.id'))
      .addColumn('name', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('description', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('ip_version', 'integer', (c) => c.notNull())
      .addColumn('cidr', 'varchar(64)', (c) => c.notNull())
      .addColumn('gateway_ip', 'varchar(64)')
      .addColumn('enable_dhcp', 'integer', (c) => c.notNull())
      .addColumn('allocation_pools', 'text', (c) => c.notNull())
      .addColumn('dns_nameservers', 'text', (c) => c.notNull())
      .addColumn('revision_number', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('subnets_network_id_idx').on('subnets').column('network_id').execute();

    await db.schema
      .createTable('ports')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('network_id', 'varchar(36)', (c) => c.notNull().references('networks.id'))
      .addColumn('name', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('description', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('mac_address', 'varchar(32)', (c) => c.notNull())
      .addColumn('admin_state_up', 'integer', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('device_id', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('device_owner', 'varchar(255)', (c) => c.notNull().defaultTo(''))
      .addColumn('revision_number', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('ports_network_id_mac_address_key', ['network_id', 'mac_address'])
      .execute();
    await db.schema.createIndex('ports_device_id_idx').on('ports').column('device_id').execute();
    await db.schema.createIndex('ports_project_id_idx').on('ports').column('project_id').execute();

    await db.schema
      .createTable('ip_allocations')
      .addColumn('subnet_id', 'varchar(36)', (c) => c.notNull().references('subnets.id'))
      .addColumn('ip_address', 'varchar(64)', (c) => c.notNull())
      .addColumn('port_id', 'varchar(36)', (c) => c.notNull().references('ports.id').onDelete('cascade'))
      .addColumn('network_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      // The database, not a check before the insert, guarantees that an address is handed out once.
      .addPrimaryKeyConstraint('ip_allocations_pkey', ['subnet_id', 'ip_address'])
      .execute();
    await db.schema.createIndex('ip_allocations_port_id_idx').on('ip_allocations').column('port_id').execute();

    await db.schema
      .createTable('port_bindings')
      .addColumn('port_id', 'varchar(36)', (c) => c.notNull().references('ports.id').onDelete('cascade'))
      .addColumn('host', 'varchar(255)', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('vif_type', 'varchar(64)', (c) => c.notNull())
      .addColumn('vnic_type', 'varchar(64)', (c) => c.notNull())
      .addColumn('profile', 'text', (c) => c.notNull())
      .addColumn('vif_details', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('port_bindings_pkey', ['port_id', 'host'])
      .execute();
    // At most one active binding per port, whatever two writers do at once.
    await db.schema
      .createIndex('port_bindings_one_active_idx')
      .on('port_bindings')
      .column('port_id')
      .unique()
      .where(sql.ref('status'), '=', 'ACTIVE')
      .execute();
    await db.schema.createIndex('port_bindings_host_idx').on('port_bindings').column('host').execute();

    await db.schema
      .createTable('resource_tags')
      .addColumn('resource_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('resource_type', 'varchar(16)', (c) => c.notNull())
      .addColumn('tag', 'varchar(255)', (c) => c.notNull())
      .addPrimaryKeyConstraint('resource_tags_pkey', ['resource_id', 'tag'])
      .execute();
    await db.schema.createIndex('resource_tags_tag_idx').on('resource_tags').column('tag').execute();

    await db.schema
      .createTable('seeded_defaults')
      .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
  },
};
