import type { SchemaMigration } from '../../migrator.js';

/**
 * A build request carries the block device mappings asked for at boot (Nova's
 * BuildRequest.block_device_mappings), with the attachment ids of the volumes the API reserved,
 * until the conductor writes them into the instance's cell (or cell0).
 */
export const apiBuildRequestBlockDevices: SchemaMigration = {
  name: '005-build-request-block-devices',
  async up(db) {
    await db.schema.alterTable('build_requests').addColumn('block_device_mappings', 'text').execute();
  },
};
