import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConflictError, ForbiddenError } from '../common/errors.js';
import { applyImagePatch, checkPatchablePath } from './image-patch.js';
import type { ImageRecord } from './image-record.js';

const image: ImageRecord = {
  id: '00000000-0000-4000-8000-000000000001', name: 'cirros', status: 'queued', visibility: 'private',
  container_format: 'bare', disk_format: 'raw', size: null, virtual_size: null, checksum: null, os_hash_algo: null,
  os_hash_value: null, min_disk: 0, min_ram: 0, owner: 'p', protected: false, os_hidden: false,
  properties: { os_distro: 'cirros', hw_disk_bus: 'virtio' }, created_at: '2026-01-01T00:00:00.000Z', updated_at: null, deleted_at: null, deleted: false,
};
const member = { isAdmin: false };

describe('applyImagePatch', () => {
  it('sets core attributes and returns the whole new property set, in order', () => {
    const changes = applyImagePatch(image, [
      { op: 'replace', path: 'name', value: 'one' },
      { op: 'replace', path: 'name', value: 'two' },
      { op: 'add', path: 'hw_scsi_model', value: 'virtio-scsi' },
      { op: 'remove', path: 'hw_disk_bus' },
      { op: 'replace', path: 'os_distro', value: 'ubuntu' },
    ], member);
    assert.deepEqual(changes, { name: 'two', properties: { os_distro: 'ubuntu', hw_scsi_model: 'virtio-scsi' } });
  });

  it('leaves properties out when none changed, and adds over an existing property (draft 10)', () => {
    assert.deepEqual(applyImagePatch(image, [{ op: 'add', path: 'min_ram', value: 64 }], member), { min_ram: 64 });
    assert.deepEqual(applyImagePatch(image, [{ op: 'add', path: 'os_distro', value: 'x' }], member).properties, { os_distro: 'x', hw_disk_bus: 'virtio' });
  });

  it('refuses what Glance refuses', () => {
    const refuses = (ops: Parameters<typeof applyImagePatch>[1], type: typeof ForbiddenError | typeof ConflictError, message: string, on = image, caller = member) =>
      assert.throws(() => applyImagePatch(on, ops, caller), (err: unknown) => err instanceof type && err.message === message);
    refuses([{ op: 'remove', path: 'visibility' }], ForbiddenError, 'Property visibility may not be removed.');
    refuses([{ op: 'replace', path: 'owner', value: 'q' }], ForbiddenError, "Owner can't be updated by non admin.");
    refuses([{ op: 'replace', path: 'nope', value: 'x' }], ConflictError, 'Property nope does not exist.');
    refuses([{ op: 'remove', path: 'nope' }], ConflictError, 'Property nope does not exist.');
    refuses([{ op: 'replace', path: 'disk_format', value: 'qcow2' }], ForbiddenError, 'Attribute disk_format can be only replaced for a queued image.', { ...image, status: 'active' });
    refuses([{ op: 'replace', path: 'checksum', value: 'x' }], ForbiddenError, "Attribute 'checksum' is read-only.");
    assert.deepEqual(applyImagePatch(image, [{ op: 'replace', path: 'owner', value: 'q' }], { isAdmin: true }), { owner: 'q' });
  });

  it('names read-only and reserved paths', () => {
    for (const path of ['id', 'status', 'size', 'virtual_size', 'os_hash_value', 'created_at', 'self', 'file']) {
      assert.throws(() => checkPatchablePath(path), { message: `Attribute '${path}' is read-only.` });
    }
    for (const path of ['location', 'deleted', 'os_glance_staging']) assert.throws(() => checkPatchablePath(path), { message: `Attribute '${path}' is reserved.` });
    assert.doesNotThrow(() => checkPatchablePath('hw_disk_bus'));
  });
});
