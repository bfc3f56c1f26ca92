import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RequestContext } from '../../common/request-context.js';
import type { Instance } from '../../objects/instance.js';
import { snapshotImageValues } from './snapshot-image-values.js';

const OWNER: RequestContext = { requestId: 'req-1', userId: 'user-a', projectId: 'project-a', roles: ['member'], isAdmin: false };
const ADMIN: RequestContext = { requestId: 'req-2', userId: 'admin', projectId: 'admin-project', roles: ['admin'], isAdmin: true };

function instance(systemMetadata: Record<string, string>): Instance {
  return {
    uuid: 'f00dbabe-0000-4000-8000-000000000001', project_id: 'project-a', system_metadata: systemMetadata,
    flavor: { root_gb: 20 },
  } as unknown as Instance;
}

describe('snapshotImageValues', () => {
  const sys = {
    image_base_image_ref: 'base-id', image_min_ram: '64', image_min_disk: '20', image_disk_format: 'qcow2', image_container_format: 'bare',
    image_hw_disk_bus: 'virtio', image_img_signature: 'sig', image_os_glance_importing_to_stores: 'x', owner_project_name: 'demo',
  };

  it('inherits min_ram/min_disk and properties, drops formats and secrets, and adds Nova\'s snapshot properties', () => {
    assert.deepEqual(snapshotImageValues(instance(sys), OWNER, 'snap', {}), {
      name: 'snap',
      visibility: 'private',
      owner: 'project-a',
      min_ram: 64,
      min_disk: 20,
      properties: { base_image_ref: 'base-id', hw_disk_bus: 'virtio', owner_project_name: 'demo', instance_uuid: 'f00dbabe-0000-4000-8000-000000000001', user_id: 'user-a', image_type: 'snapshot' },
    });
  });

  it('puts the request\'s metadata on top, and names the server\'s owner when someone else snapshots it', () => {
    const values = snapshotImageValues(instance(sys), ADMIN, 'snap', { hw_disk_bus: 'scsi', backup: 'weekly' });
    assert.equal(values.owner, 'project-a');
    assert.equal(values.properties?.['instance_owner'], 'project-a');
    assert.equal(values.properties?.['hw_disk_bus'], 'scsi');
    assert.equal(values.properties?.['backup'], 'weekly');
    assert.equal(values.properties?.['user_id'], 'admin');
  });

  it('falls back to the flavor\'s root disk when the server recorded no min_disk', () => {
    const values = snapshotImageValues(instance({ image_base_image_ref: 'b' }), OWNER, 'snap', {});
    assert.equal(values.min_disk, 20);
    assert.equal(values.min_ram, 0);
  });
});
