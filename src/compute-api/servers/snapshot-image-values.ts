import type { RequestContext } from '../../common/request-context.js';
import type { NewImageValues } from '../../image/index.js';
import type { Instance } from '../../objects/instance.js';

/** Image attributes a snapshot inherits from the instance's system metadata; the rest become properties. */
const INHERITED_ATTRIBUTES = new Set(['min_ram', 'min_disk']);
/** Dropped as Nova drops them: formats (the driver sets the snapshot's own), large structures, and per-image secrets. */
const NOT_INHERITED = new Set([
  'disk_format', 'container_format', 'mappings', 'block_device_mapping', 'img_mappings', 'img_block_device_mapping',
  'cinder_encryption_key_id', 'cinder_encryption_key_deletion_policy', 'img_signature', 'img_signature_hash_method',
  'img_signature_key_type', 'img_signature_certificate_uuid',
]);
const NOT_INHERITED_PREFIXES = ['os_glance'];

/**
 * The image record of a server snapshot, as Nova's compute utils build it: named as asked, queued,
 * private, owned by the server's project; min_ram and min_disk from the boot image as the server
 * recorded it (min_disk at least the flavor's root disk); the boot image's properties, with
 * `image_type: snapshot`, `instance_uuid`, `user_id` and `base_image_ref`; then the request's
 * metadata on top. A snapshot taken by another project (an administrator) also names the owner as
 * `instance_owner`.
 *
 * @example
 * snapshotImageValues(instance, ctx, 'snap', { purpose: 'backup' });
 * // { name: 'snap', visibility: 'private', owner: instance.project_id, min_ram: 0, min_disk: 1,
 * //   properties: { base_image_ref: '…', image_type: 'snapshot', instance_uuid: '…', user_id: '…', purpose: 'backup' } }
 */
export function snapshotImageValues(instance: Instance, ctx: RequestContext, name: string, metadata: Record<string, string>): NewImageValues {
  const attributes: Record<string, number> = {};
  const properties: Record<string, string> = {};
  for (const [rawKey, value] of Object.entries(instance.system_metadata)) {
    const key = rawKey.startsWith('image_') ? rawKey.slice('image_'.length) : rawKey;
    if (NOT_INHERITED.has(key) || NOT_INHERITED_PREFIXES.some((p) => key.startsWith(p))) continue;
    if (INHERITED_ATTRIBUTES.has(key)) attributes[key] = Number.parseInt(value, 10) || 0;
    else properties[key] = value;
  }
  Object.assign(properties, { instance_uuid: instance.uuid, user_id: ctx.userId, image_type: 'snapshot' }, metadata);
  if (ctx.projectId !== instance.project_id) properties['instance_owner'] = instance.project_id;
  return {
    name,
    visibility: 'private',
    owner: instance.project_id,
    min_ram: attributes['min_ram'] ?? 0,
    min_disk: attributes['min_disk'] ?? instance.flavor.root_gb,
    properties,
  };
}
