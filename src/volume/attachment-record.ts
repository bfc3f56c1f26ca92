import type { Selectable } from 'kysely';
import { parseObject } from './json-text.js';
import type { AttachmentTable } from './volume-schema.js';
import type { VolumeConnector } from './volume-client.js';
import type { AttachStatus } from './volume-status.js';

/** Cinder's attach modes; 'null' (a string) until the attachment is connected without one. */
export type AttachMode = 'null' | 'rw' | 'ro';


/** An attachment as the volume service holds it: the decoded `volume_attachments` row. */
export interface AttachmentRecord {
  id: string;
  volume_id: string;
  project_id: string;
  instance_uuid: string | null;
  attached_host: string | null;
  mountpoint: string | null;
  attach_status: AttachStatus | 'deleted';
  attach_mode: AttachMode;
  connector: VolumeConnector | null;
  /** Cinder's flat connection info (the driver's `data` merged with `driver_volume_type`); null until connected. */
  connection_info: Record<string, unknown> | null;
  attach_time: string | null;
  detach_time: string | null;
  created_at: string;
  updated_at: string | null;
  deleted: boolean;
}

export function rowToAttachmentRecord(row: Selectable<AttachmentTable>): AttachmentRecord {
  return {
    id: row.id,
    volume_id: row.volume_id,
    project_id: row.project_id,
    instance_uuid: row.instance_uuid,
    attached_host: row.attached_host,
    mountpoint: row.mountpoint,
    attach_status: row.attach_status as AttachStatus | 'deleted',
    attach_mode: row.attach_mode as AttachMode,
    connector: parseObject(row.connector) as VolumeConnector | null,
    connection_info: parseObject(row.connection_info),
    attach_time: row.attach_time,
    detach_time: row.detach_time,
    created_at: row.created_at,
    updated_at: row.updated_at,
    deleted: row.deleted !== 0,
  };
}
