import type { SchemaMigration } from '../../migrator.js';

/** Looking up a host's zone is a point query on aggregate_hosts.host (the conductor does it per build). */
export const apiAggregateHostIndex: SchemaMigration = {
  name: '003-aggregate-host-index',
  async up(db) {
    await db.schema.createIndex('aggregate_hosts_host_idx').on('aggregate_hosts').column('host').execute();
  },
};
