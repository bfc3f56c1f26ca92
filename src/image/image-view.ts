import type { ImageRecord } from './image-record.js';
import type { ImageStatus, ImageVisibility } from './image-status.js';

/**
 * An image as Glance v2 shows it (`GET /v2/images/{id}`): the core fields, then the extra
 * properties flattened at the top level (e.g. `"hw_disk_bus": "virtio"`).
 */
export type ImageView = ImageCoreView & { [property: string]: unknown };

export interface ImageCoreView {
  id: string;
  name: string | null;
  status: ImageStatus;
  visibility: ImageVisibility;
  protected: boolean;
  os_hidden: boolean;
  checksum: string | null;
  os_hash_algo: string | null;
  os_hash_value: string | null;
  owner: string | null;
  size: number | null;
  virtual_size: number | null;
  min_ram: number;
  min_disk: number;
  container_format: string | null;
  disk_format: string | null;
  /** ISO-8601 without fractions, e.g. `2026-11-24T10:00:00Z`. */
  created_at: string;
  updated_at: string;
  tags: string[];
  self: string;
  file: string;
  schema: string;
}

/** The keys of an image view that are core attributes; every other key is a property. */
export const IMAGE_CORE_FIELDS: ReadonlySet<string> = new Set([
  'id', 'name', 'status', 'visibility', 'protected', 'os_hidden', 'checksum', 'os_hash_algo', 'os_hash_value', 'owner', 'size',
  'virtual_size', 'min_ram', 'min_disk', 'container_format', 'disk_format', 'created_at', 'updated_at', 'tags', 'self', 'file', 'schema',
] satisfies (keyof ImageCoreView)[]);

/**
 * The extra (string) properties of an image view, without its core attributes.
 *
 * @example
 * imageProperties(await images.get(ctx, id)); // { hw_disk_bus: 'virtio', os_distro: 'cirros' }
 */
export function imageProperties(view: ImageView): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(view)) if (!IMAGE_CORE_FIELDS.has(key) && typeof value === 'string') out[key] = value;
  return out;
}

/** Renders a stored image in Glance's v2 JSON shape. */
export function toImageView(image: ImageRecord): ImageView {
  const core: ImageCoreView = {
    id: image.id,
    name: image.name,
    status: image.status,
    visibility: image.visibility,
    protected: image.protected,
    os_hidden: image.os_hidden,
    checksum: image.checksum,
    os_hash_algo: image.os_hash_algo,
    os_hash_value: image.os_hash_value,
    owner: image.owner,
    size: image.size,
    virtual_size: image.virtual_size,
    min_ram: image.min_ram,
    min_disk: image.min_disk,
    container_format: image.container_format,
    disk_format: image.disk_format,
    created_at: glanceTime(image.created_at),
    updated_at: glanceTime(image.updated_at ?? image.created_at),
    tags: [],
    self: `/v2/images/${image.id}`,
    file: `/v2/images/${image.id}/file`,
    schema: '/v2/schemas/image',
  };
  const view: ImageView = { ...core };
  // Core fields win: a stored property can never disguise the image's real status or owner.
  for (const [key, value] of Object.entries(image.properties)) if (!(key in core)) view[key] = value;
  return view;
}

function glanceTime(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d+Z$/, 'Z');
}
