import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RequestContext } from '../../common/request-context.js';
import type { ImageView } from '../../image/index.js';
import type { Flavor } from '../../objects/flavor.js';
import { imageSystemMetadata } from './image-system-metadata.js';

const ctx: RequestContext = { requestId: 'r', userId: 'u', userName: 'demo', projectId: 'p', projectName: 'demo-project', roles: [], isAdmin: false };
const flavor = { root_gb: 20 } as Flavor;
const image = (over: Partial<ImageView> = {}) =>
  ({ id: 'img-1', name: 'cirros', status: 'active', min_ram: 64, min_disk: 1, disk_format: 'qcow2', container_format: 'bare', visibility: 'public', hw_disk_bus: 'virtio', ...over }) as unknown as ImageView;

describe('imageSystemMetadata', () => {
  it('copies properties and the inheritable attributes, min_disk at least the root disk', () => {
    assert.deepEqual(imageSystemMetadata(image(), flavor, ctx), {
      image_hw_disk_bus: 'virtio',
      image_min_ram: '64',
      image_min_disk: '20',
      image_disk_format: 'qcow2',
      image_container_format: 'bare',
      image_base_image_ref: 'img-1',
      owner_project_name: 'demo-project',
      owner_user_name: 'demo',
    });
  });

  it('keeps a larger image min_disk, takes the root disk as is for vhd, and skips unknown formats', () => {
    assert.equal(imageSystemMetadata(image({ min_disk: 40 }), flavor, ctx)['image_min_disk'], '40');
    assert.equal(imageSystemMetadata(image({ min_disk: 40, disk_format: 'vhd' }), flavor, ctx)['image_min_disk'], '20');
    assert.equal('image_disk_format' in imageSystemMetadata(image({ disk_format: null }), flavor, ctx), false);
  });
});
