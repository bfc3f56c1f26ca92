import type { Selectable } from 'kysely';
import { parseStringMap } from './json-text.js';
import type { VolumeTable } from './volume-schema.js';
import type { VolumeStatus } from './volume-status.js';

/** A volume as the volume service holds it: the decoded `volumes` row. */
export interface VolumeRecord {
  id: string;
  project_id: string;
  user_id: string;
  name: string | null;
  description: string | null;
  /** GiB. */
  size: number;
  status: VolumeStatus | 'deleted';
  availability_zone: string;
  host: string;
  bootable: boolean;
  multiattach: boolean;
  /** The image it was created from. */
  image_id: string | null;
  /** That image's properties as Cinder copies them (`volume_image_metadata`). */
  image_metadata: Record<string, string>;
  metadata: Record<string, string>;
  created_at: string;
  updated_at: string | null;
  deleted_at: string | null;
  deleted: boolean;
}

export function rowToVolumeRecord(row: Selectable<VolumeTable>): VolumeRecord {
  return {
    id: row.id,
    project_id: row.project_id,
    user_id: row.user_id,
    name: row.name,
    description: row.description,
    size: Number(row.size),
    status: row.status as VolumeStatus | 'deleted',
    availability_zone: row.availability_zone,
    host: row.host,
    bootable: row.bootable === 1,
    multiattach: row.multiattach === 1,
    image_id: row.image_id,
    image_metadata: parseStringMap(row.image_metadata),
    metadata: parseStringMap(row.metadata),
    created_at: row.created_at,
    updated_at: row.updated_at,
    deleted_at: row.deleted_at,
    deleted: row.deleted !== 0,
  };
}
