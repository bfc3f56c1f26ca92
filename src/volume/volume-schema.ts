/**
 * Tables of the volume database. Times are ISO-8601 text; booleans are 0/1; `metadata`,
 * `image_metadata`, `connector` and `connection_info` are JSON text.
 */
export interface VolumeSchema {
  volumes: VolumeTable;
  volume_attachments: AttachmentTable;
  volume_quota_usages: QuotaUsageTable;
}

export interface VolumeTable {
  id: string;
  project_id: string;
  user_id: string;
  name: string | null;
  description: string | null;
  /** GiB. */
  size: number;
  status: string;
  availability_zone: string;
  /** The backend that holds it, Cinder's `host@backend#pool`. */
  host: string;
  bootable: number;
  multiattach: number;
  image_id: string | null;
  image_metadata: string;
  metadata: string;
  created_at: string;
  updated_at: string | null;
  deleted_at: string | null;
  /** 0 while live, 1 once soft-deleted. */
  deleted: number;
}

export interface AttachmentTable {
  id: string;
  volume_id: string;
  /** The volume's project, so that attachments are scoped without a join. */
  project_id: string;
  instance_uuid: string | null;
  /** `connector.host` once connected; unique per volume among live attachments. */
  attached_host: string | null;
  mountpoint: string | null;
  attach_status: string;
  /** 'null' until connected (Cinder's own spelling), then 'rw' or 'ro'. */
  attach_mode: string;
  connector: string | null;
  connection_info: string | null;
  attach_time: string | null;
  detach_time: string | null;
  created_at: string;
  updated_at: string | null;
  deleted_at: string | null;
  deleted: number;
}

/** What each project holds, kept in step with `volumes` in the same transactions (Cinder's quota_usages). */
export interface QuotaUsageTable {
  project_id: string;
  volumes: number;
  /** PostgreSQL returns bigint as text; readers convert with Number(). */
  gigabytes: number | string;
  updated_at: string;
}
