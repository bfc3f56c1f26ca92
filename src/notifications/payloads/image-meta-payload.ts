import type { RequestSpec } from '../../objects/request-spec.js';
import { versionedObject, type VersionedObject } from '../notification.js';

/** ImageMetaPayload 1.0: the image a request spec names. */
export interface ImageMetaPayloadData {
  id: string | null;
  name: string | null;
  status: string | null;
  visibility: string | null;
  protected: boolean | null;
  checksum: string | null;
  owner: string | null;
  size: number | null;
  virtual_size: number | null;
  container_format: string | null;
  disk_format: string | null;
  created_at: string | null;
  updated_at: string | null;
  tags: string[] | null;
  direct_url: string | null;
  min_ram: number | null;
  min_disk: number | null;
  properties: VersionedObject<Record<string, string>>;
}

export type ImageMetaPayload = VersionedObject<ImageMetaPayloadData>;

/** Glance's legacy property names and the names Nova's image properties object gives them. */
const LEGACY_NAMES: Readonly<Record<string, string>> = {
  architecture: 'hw_architecture',
  hypervisor_type: 'img_hv_type',
  vm_mode: 'hw_vm_mode',
};

/** The families of properties Nova's image properties object knows; free-form properties are not part of it. */
const KNOWN_PREFIXES = ['hw_', 'img_', 'os_'];

/**
 * The request spec keeps only the image's id, minimums and properties; the other fields are what
 * Nova sends when it does not know them either (null). Properties keep Nova's names
 * (`architecture` becomes `hw_architecture`) and, as Nova's ImageMetaPropsPayload 1.19, only the
 * properties that are set.
 */
export function imageMetaPayload(image: RequestSpec['image']): ImageMetaPayload {
  const properties: Record<string, string> = {};
  for (const [key, value] of Object.entries(image.properties)) {
    const name = LEGACY_NAMES[key] ?? key;
    if (KNOWN_PREFIXES.some((p) => name.startsWith(p))) properties[name] = value;
  }
  return versionedObject('ImageMetaPayload', '1.0', {
    id: image.id === '' ? null : image.id,
    name: null,
    status: null,
    visibility: null,
    protected: null,
    checksum: null,
    owner: null,
    size: null,
    virtual_size: null,
    container_format: null,
    disk_format: null,
    created_at: null,
    updated_at: null,
    tags: null,
    direct_url: null,
    min_ram: image.min_ram,
    min_disk: image.min_disk,
    properties: versionedObject('ImageMetaPropsPayload', '1.19', properties),
  });
}
