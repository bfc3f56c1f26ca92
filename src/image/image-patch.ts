import { ConflictError, ForbiddenError } from '../common/errors.js';
import type { ImageRecord } from './image-record.js';
import type { ImageChanges } from './image-repo.js';

/**
 * One change of `PATCH /v2/images/{id}`, with the JSON pointer already decoded to the attribute
 * name (`/hw_disk_bus` → `hw_disk_bus`). Values are checked against the image schema by whoever
 * builds the operation (the HTTP route validates them; in-process callers are typed).
 */
export type ImagePatchOperation =
  | { op: 'add' | 'replace'; path: string; value: unknown }
  | { op: 'remove'; path: string };

/** Attributes nobody may change: Glance's read-only list, plus what Tessera does not store. */
const READ_ONLY = new Set([
  'created_at', 'updated_at', 'status', 'checksum', 'size', 'virtual_size', 'direct_url', 'self', 'file', 'schema', 'id',
  'os_hash_algo', 'os_hash_value', 'locations',
]);
const RESERVED = new Set(['location', 'deleted', 'deleted_at']);
/** Glance keeps this namespace of properties for itself. */
const RESERVED_PREFIX = 'os_glance';
const CORE = new Set(['name', 'visibility', 'container_format', 'disk_format', 'min_disk', 'min_ram', 'protected', 'os_hidden', 'owner', 'tags']);
/** Formats may change only before data arrives, since the data was checked against them. */
const FORMATS = new Set(['container_format', 'disk_format']);

/** Refuses what no operation may touch, with Glance's 403 wording. */
export function checkPatchablePath(path: string): void {
  if (READ_ONLY.has(path)) throw new ForbiddenError('image.read_only_attribute', `Attribute '${path}' is read-only.`);
  checkUnreservedKey(path);
}

/** Glance's reserved attributes and `os_glance*` namespace, refused on create and update alike. */
export function checkUnreservedKey(key: string): void {
  if (RESERVED.has(key) || key.startsWith(RESERVED_PREFIX)) throw new ForbiddenError('image.reserved_attribute', `Attribute '${key}' is reserved.`);
}

/**
 * Applies the operations in order, as Glance does, and returns the resulting changes: core
 * attributes set directly, extra properties as the whole new set. Nothing is written here.
 *
 * @throws ForbiddenError for read-only, reserved or non-removable attributes, formats of an image
 *   past `queued`, or an owner change by a non-admin; ConflictError `image.property_not_found`
 *   when replacing or removing a property the image does not have.
 * @example
 * applyImagePatch(image, [{ op: 'add', path: 'hw_disk_bus', value: 'virtio' }], { isAdmin: false });
 * // { properties: { ...image.properties, hw_disk_bus: 'virtio' } }
 */
export function applyImagePatch(image: ImageRecord, operations: readonly ImagePatchOperation[], caller: { isAdmin: boolean }): ImageChanges {
  const changes: ImageChanges & Record<string, unknown> = {};
  const properties = { ...image.properties };
  let propertiesChanged = false;
  for (const operation of operations) {
    const { path } = operation;
    checkPatchablePath(path);
    if (CORE.has(path)) {
      if (operation.op === 'remove') throw new ForbiddenError('image.property_not_removable', `Property ${path} may not be removed.`);
      if (path === 'tags') throw new ForbiddenError('image.tags_unsupported', 'Image tags are not supported by this image service.');
      if (path === 'owner' && !caller.isAdmin) throw new ForbiddenError('image.owner_change', "Owner can't be updated by non admin.");
      if (FORMATS.has(path) && image.status !== 'queued') {
        throw new ForbiddenError('image.format_locked', `Attribute ${path} can be only replaced for a queued image.`);
      }
      changes[path] = operation.value;
      continue;
    }
    if (operation.op === 'remove' || operation.op === 'replace') {
      if (!Object.hasOwn(properties, path)) throw new ConflictError('image.property_not_found', `Property ${path} does not exist.`);
    }
    if (operation.op === 'remove') delete properties[path];
    else properties[path] = operation.value as string;
    propertiesChanged = true;
  }
  if (propertiesChanged) changes.properties = properties;
  return changes;
}

