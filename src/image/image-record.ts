import type { Selectable } from 'kysely';
import type { ImageTable } from './image-schema.js';
import type { ImageStatus, ImageVisibility } from './image-status.js';

/** An image as the image service holds it: the decoded `images` row. */
export interface ImageRecord {
  id: string;
  name: string | null;
  status: ImageStatus;
  visibility: ImageVisibility;
  container_format: string | null;
  disk_format: string | null;
  size: number | null;
  virtual_size: number | null;
  checksum: string | null;
  os_hash_algo: string | null;
  os_hash_value: string | null;
  min_disk: number;
  min_ram: number;
  /** The owning project id. */
  owner: string | null;
  protected: boolean;
  os_hidden: boolean;
  /** Extra string properties (Glance's "additional properties"). */
  properties: Record<string, string>;
  created_at: string;
  updated_at: string | null;
  deleted_at: string | null;
  deleted: boolean;
}

/** Decodes a row; numbers are normalised because PostgreSQL returns bigint as text. */
export function rowToImageRecord(row: Selectable<ImageTable>): ImageRecord {
  return {
    id: row.id,
    name: row.name,
    status: row.status as ImageStatus,
    visibility: row.visibility as ImageVisibility,
    container_format: row.container_format,
    disk_format: row.disk_format,
    size: row.size === null ? null : Number(row.size),
    virtual_size: row.virtual_size === null ? null : Number(row.virtual_size),
    checksum: row.checksum,
    os_hash_algo: row.os_hash_algo,
    os_hash_value: row.os_hash_value,
    min_disk: row.min_disk,
    min_ram: row.min_ram,
    owner: row.owner,
    protected: row.protected === 1,
    os_hidden: row.os_hidden === 1,
    properties: parseProperties(row.properties),
    created_at: row.created_at,
    updated_at: row.updated_at,
    deleted_at: row.deleted_at,
    deleted: row.deleted !== 0,
  };
}

function parseProperties(text: string): Record<string, string> {
  const parsed: unknown = JSON.parse(text);
  const out: Record<string, string> = {};
  if (parsed === null || typeof parsed !== 'object') return out;
  for (const [key, value] of Object.entries(parsed)) if (typeof value === 'string') out[key] = value;
  return out;
}
