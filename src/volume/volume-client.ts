import type { RequestContext } from '../common/request-context.js';
import type { AttachStatus, VolumeStatus } from './volume-status.js';

/** A volume as the compute side sees it (Nova's view of a Cinder volume). */
export interface Volume {
  id: string;
  name: string | null;
  description: string | null;
  /** GiB. */
  size: number;
  status: VolumeStatus;
  availabilityZone: string;
  bootable: boolean;
  multiattach: boolean;
  projectId: string;
  userId: string;
  /** The image it was created from, and that image's properties (`volume_image_metadata`). */
  imageId: string | null;
  imageMetadata: Record<string, string>;
  metadata: Record<string, string>;
  /** Every live attachment, whatever its status. */
  attachments: VolumeAttachmentSummary[];
  createdAt: string;
  updatedAt: string | null;
}

export interface VolumeAttachmentSummary {
  attachmentId: string;
  instanceUuid: string | null;
  status: AttachStatus;
  /** The host it is connected to, once it is. */
  host: string | null;
  mountpoint: string | null;
}

/** Nova's connector; `host` names the compute host the volume is connected to. */
export interface VolumeConnector {
  host: string;
  mountpoint?: string | null;
  mode?: 'rw' | 'ro' | null;
  [key: string]: unknown;
}

/** How a compute host reaches the volume, in the shape Nova passes to its virt driver. */
export interface ConnectionInfo {
  driver_volume_type: string;
  data: Record<string, unknown>;
}

export interface VolumeAttachment {
  id: string;
  volumeId: string;
  instanceUuid: string | null;
  status: AttachStatus;
  attachMode: 'null' | 'rw' | 'ro';
  host: string | null;
  mountpoint: string | null;
  /** Set once the attachment is connected (create with a connector, or update). */
  connectionInfo: ConnectionInfo | null;
  attachedAt: string | null;
}

/** A new volume: blank, or from an image the caller can see; size in GiB. */
export interface NewVolumeValues {
  size: number;
  name?: string;
  description?: string;
  imageRef?: string;
  availabilityZone?: string;
  metadata?: Record<string, string>;
}

/**
 * The volume service as the rest of Tessera sees it: the built-in service implements it in
 * process, and a client of a real Cinder (3.44+) could replace it. Every call acts for `ctx`,
 * with Cinder's policy and project scoping, as if made with that user's token; an admin context
 * sees every project's attachments.
 *
 * Creation and deletion are synchronous: `create` returns the volume `available` (no waiting
 * for it is needed), and both throw when the backend failed, leaving the volume in `error` /
 * `error_deleting` as Cinder would, for the caller to delete.
 *
 * Each call is a fault point named `volume.<method in snake case>` (`volume.attachment_create`,
 * ...), checked before the call does anything, so tests can make any one call fail.
 *
 * @example
 * const attachment = await volumes.attachmentCreate(ctx, volumeId, instanceUuid);          // volume reserved
 * const { connectionInfo } = await volumes.attachmentUpdate(ctx, attachment.id, connector); // attaching
 * await driver.attachVolume(connectionInfo, ...);
 * await volumes.attachmentComplete(ctx, attachment.id);                                    // in-use
 */
export interface VolumeClient {
  /** @throws NotFoundError `volume.not_found` when missing or another project's. */
  get(ctx: RequestContext, volumeId: string): Promise<Volume>;
  /**
   * @throws BadRequestError (bad image, zone or size); VolumeOverLimitError (413) `volume.over_quota`;
   *   InternalError `volume.create_failed` (details.volume_id) when the backend failed.
   */
  create(ctx: RequestContext, values: NewVolumeValues): Promise<Volume>;
  /**
   * @throws BadRequestError `volume.invalid_state` while attached or busy;
   *   InternalError `volume.delete_failed` when the backend failed (the volume is `error_deleting`).
   */
  delete(ctx: RequestContext, volumeId: string): Promise<void>;
  /**
   * Reserves the volume for the instance; connects it at once when a connector is given.
   * @throws BadRequestError `volume.invalid_state` when the volume is in use by another instance
   *   (not multiattach) or in error; ConflictError `volume.conflict` when the host already has one.
   */
  attachmentCreate(ctx: RequestContext, volumeId: string, instanceUuid: string, connector?: VolumeConnector): Promise<VolumeAttachment>;
  /** Connects the attachment to `connector.host`; the result carries the connection info. */
  attachmentUpdate(ctx: RequestContext, attachmentId: string, connector: VolumeConnector): Promise<VolumeAttachment>;
  /** Marks the attachment attached: the volume becomes `in-use`. */
  attachmentComplete(ctx: RequestContext, attachmentId: string): Promise<void>;
  /** Detaches: the volume becomes `available` when it was the last attachment. */
  attachmentDelete(ctx: RequestContext, attachmentId: string): Promise<void>;
  /** @throws NotFoundError `volume.attachment_not_found`. */
  attachmentGet(ctx: RequestContext, attachmentId: string): Promise<VolumeAttachment>;
  /** Live attachments, oldest first, of an instance and/or a volume. */
  attachmentList(ctx: RequestContext, filter: { instanceUuid?: string; volumeId?: string }): Promise<VolumeAttachment[]>;
}
