import { atLeast, type Microversion } from '../api/microversion.js';
import type { AttachmentRecord } from './attachment-record.js';
import { cinderTime } from './cinder-time.js';
import { VolumeVersion } from './volume-microversion.js';
import type { VolumeRecord } from './volume-record.js';
import { DEFAULT_VOLUME_TYPE } from './volume-type.js';

/** Where links point and who is looking: what shapes a volume's JSON. */
export interface VolumeViewContext {
  mv: Microversion;
  isAdmin: boolean;
  /** `http://H/volume/v3` or `http://H/volume/v3/<project>` (links keep the project id if the request had it). */
  selfBase: string;
  /** The same without the version: Cinder's bookmark links. */
  bookmarkBase: string;
  /** Whether the caller may see the owner / the backend host of this volume. */
  attributes(volume: VolumeRecord): { tenant: boolean; host: boolean };
}

export type VolumeLinks = { rel: 'self' | 'bookmark'; href: string }[];

export function volumeLinks(volume: VolumeRecord, view: VolumeViewContext): VolumeLinks {
  return [
    { rel: 'self', href: `${view.selfBase}/volumes/${volume.id}` },
    { rel: 'bookmark', href: `${view.bookmarkBase}/volumes/${volume.id}` },
  ];
}

/** `GET /volumes`: id, name and links. */
export function volumeSummary(volume: VolumeRecord, view: VolumeViewContext): Record<string, unknown> {
  return { id: volume.id, name: volume.name, links: volumeLinks(volume, view) };
}

/**
 * A volume as Cinder's v3 detail view shows it at the request's microversion, with the
 * extension attributes (`os-vol-tenant-attr:tenant_id`, and for admins the host and migration
 * ones) and `volume_image_metadata` for a volume made from an image. Only attached attachments
 * are listed, as in Cinder.
 */
export function volumeDetail(volume: VolumeRecord, attachments: readonly AttachmentRecord[], view: VolumeViewContext): Record<string, unknown> {
  const { mv, isAdmin } = view;
  const body: Record<string, unknown> = {
    id: volume.id,
    status: volume.status,
    size: volume.size,
    availability_zone: volume.availability_zone,
    created_at: cinderTime(volume.created_at),
    updated_at: volume.updated_at === null ? null : cinderTime(volume.updated_at),
    name: volume.name,
    description: volume.description,
    volume_type: DEFAULT_VOLUME_TYPE.name,
    snapshot_id: null,
    source_volid: null,
    metadata: volume.metadata,
    links: volumeLinks(volume, view),
    user_id: volume.user_id,
    bootable: volume.bootable ? 'true' : 'false',
    encrypted: false,
    replication_status: 'disabled',
    consistencygroup_id: null,
    multiattach: volume.multiattach,
    attachments: attachments.filter((a) => a.attach_status === 'attached').map((a) => attachedView(a, isAdmin)),
  };
  const attributes = view.attributes(volume);
  if (attributes.tenant) body['os-vol-tenant-attr:tenant_id'] = volume.project_id;
  if (attributes.host) body['os-vol-host-attr:host'] = volume.host;
  if (isAdmin) {
    body['migration_status'] = null;
    body['os-vol-mig-status-attr:migstat'] = null;
    body['os-vol-mig-status-attr:name_id'] = null;
  }
  if (volume.image_id !== null) body['volume_image_metadata'] = volume.image_metadata;
  if (atLeast(mv, VolumeVersion.groupId)) body['group_id'] = null;
  if (isAdmin && atLeast(mv, VolumeVersion.providerId)) body['provider_id'] = null;
  if (atLeast(mv, VolumeVersion.sharedTargets)) {
    // The fake backend gives every attachment its own target.
    body['shared_targets'] = false;
    body['service_uuid'] = null;
  }
  if (isAdmin && atLeast(mv, VolumeVersion.clusterName)) body['cluster_name'] = null;
  if (atLeast(mv, VolumeVersion.volumeTypeId)) body['volume_type_id'] = DEFAULT_VOLUME_TYPE.id;
  if (atLeast(mv, VolumeVersion.consumesQuota)) body['consumes_quota'] = true;
  return body;
}

/** One entry of a volume's `attachments`; the host only for admins, as in Cinder. */
function attachedView(a: AttachmentRecord, isAdmin: boolean): Record<string, unknown> {
  return {
    id: a.volume_id,
    attachment_id: a.id,
    volume_id: a.volume_id,
    server_id: a.instance_uuid,
    host_name: isAdmin ? a.attached_host : null,
    device: a.mountpoint,
    attached_at: a.attach_time === null ? null : cinderTime(a.attach_time),
  };
}
