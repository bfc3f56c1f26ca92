import type { IdGenerator } from '../common/ids.js';
import type { Logger } from '../common/logger.js';
import type { RequestContext } from '../common/request-context.js';
import type { PolicyEngine } from '../policy/index.js';
import type { AttachMode, AttachmentRecord } from './attachment-record.js';
import type { VolumeConnector } from './volume-client.js';
import type { VolumeBackend } from './volume-backend.js';
import { VolumeErrors } from './volume-errors.js';
import { VolumeRule } from './volume-policy-rules.js';
import type { VolumeRecord } from './volume-record.js';
import { orList, refusesAttachments, reservableStatuses, statusFromAttachments, type AttachStatus, type VolumeStatus } from './volume-status.js';
import type { VolumeStore } from './volume-store.js';
import { listProject, viewerOf } from './volume-viewer.js';

export interface AttachmentOperationsDeps {
  store: VolumeStore;
  backend: VolumeBackend;
  policy: Pick<PolicyEngine, 'authorize'>;
  ids: IdGenerator;
  logger: Logger;
}

export interface NewAttachmentRequest {
  volumeId: string;
  instanceUuid: string | null;
  /** Connects at once (the attachment and volume become `attaching`); reserve only when absent. */
  connector?: VolumeConnector | null;
  /** 3.54+: the attach mode; otherwise the connector's, else rw. */
  mode?: 'rw' | 'ro';
}

export interface AttachmentListRequest {
  allTenants?: boolean;
  projectId?: string;
  volumeId?: string;
  instanceUuid?: string;
  status?: AttachStatus;
  limit?: number;
  marker?: string;
}

/** The volume statuses that follow from attachments; others (error, deleting) are never overwritten. */
const ATTACHMENT_DRIVEN: readonly VolumeStatus[] = ['available', 'reserved', 'attaching', 'in-use', 'detaching'];

/**
 * Cinder's attachment API (3.27+) on the volume status machine. Each operation runs in one
 * transaction holding the volume's row lock, re-reads what it depends on, and ends by deriving
 * the volume's status from its live attachments, so concurrent operations on one volume run one
 * after another and always leave it consistent.
 *
 * Rules: a volume takes a new attachment when it is available (or, multiattach, in-use); an
 * instance that already has an attachment may get another one (a move to a second host); at most
 * one live attachment of a volume is connected to each host; a volume in error takes none.
 * A failing backend step changes nothing and is reported.
 */
export class AttachmentOperations {
  constructor(private readonly deps: AttachmentOperationsDeps) {}

  /**
   * Reserves the volume for an instance, and connects it when a connector is given.
   *
   * @throws NotFoundError `volume.not_found`; BadRequestError `volume.invalid_state` when the volume
   *   cannot take the attachment; ConflictError `volume.conflict` when the host already has one.
   */
  async create(ctx: RequestContext, req: NewAttachmentRequest): Promise<AttachmentRecord> {
    const { store } = this.deps;
    const volume = await store.volumes.get(req.volumeId, { viewer: viewerOf(ctx) });
    this.deps.policy.authorize(VolumeRule.attachmentCreate, ctx, { project_id: volume.project_id });
    const id = this.deps.ids.uuid();
    const log = this.log(ctx, volume.id, id);
    const created = await store.transaction(async (tx) => {
      await tx.lockVolume(volume.id);
      const current = await tx.volumes.get(volume.id);
      const existing = await tx.attachments.ofVolume(volume.id);
      this.checkReservable(current, existing, req.instanceUuid);
      let attachment = await tx.attachments.create({
        id,
        volume_id: current.id,
        project_id: current.project_id,
        instance_uuid: req.instanceUuid,
        attach_status: 'reserved',
        attach_mode: req.mode ?? 'null',
      });
      if (req.connector !== undefined && req.connector !== null) attachment = await this.connect(tx, current, attachment, req.connector, existing, log);
      await refreshStatus(tx, current.id);
      return attachment;
    });
    log.info({ instance_uuid: req.instanceUuid, status: created.attach_status, host: created.attached_host }, 'attachment created');
    return created;
  }

  /**
   * Connects a reserved (or already connected) attachment to the connector's host and returns it
   * with its connection info; the attachment and the volume become `attaching`.
   *
   * @throws ConflictError `volume.conflict` for a volume in error, an attachment being deleted, or
   *   a host that another attachment of the volume already uses.
   */
  async update(ctx: RequestContext, attachmentId: string, connector: VolumeConnector): Promise<AttachmentRecord> {
    const found = await this.visible(ctx, attachmentId, VolumeRule.attachmentUpdate);
    const log = this.log(ctx, found.volume_id, found.id);
    const updated = await this.deps.store.transaction(async (tx) => {
      await tx.lockVolume(found.volume_id);
      const attachment = await tx.attachments.get(found.id);
      const volume = await tx.volumes.get(attachment.volume_id);
      if (refusesAttachments(volume.status as VolumeStatus)) {
        throw VolumeErrors.conflict(
          `Volume attachments can not be updated if the volume is in an error state. The Volume ${volume.id} currently has a status of: ${volume.status}`,
          { volume_id: volume.id, status: volume.status },
        );
      }
      if (attachment.attach_status === 'detaching') throw VolumeErrors.conflict(`Attachment ${attachment.id} is being deleted.`, { attachment_id: attachment.id });
      const connected = await this.connect(tx, volume, attachment, connector, await tx.attachments.ofVolume(volume.id), log);
      await refreshStatus(tx, volume.id);
      return connected;
    });
    log.info({ host: connector.host }, 'attachment connected');
    return updated;
  }

  /**
   * Marks a connected attachment attached; the volume becomes `in-use`.
   *
   * @throws ConflictError `volume.conflict` for an attachment without a connection or being deleted.
   */
  async complete(ctx: RequestContext, attachmentId: string): Promise<AttachmentRecord> {
    const found = await this.visible(ctx, attachmentId, VolumeRule.attachmentComplete);
    const done = await this.deps.store.transaction(async (tx) => {
      await tx.lockVolume(found.volume_id);
      const attachment = await tx.attachments.get(found.id);
      if (attachment.attach_status === 'detaching') throw VolumeErrors.conflict(`Attachment ${attachment.id} is being deleted.`, { attachment_id: attachment.id });
      if (attachment.connection_info === null) {
        throw VolumeErrors.conflict(`Attachment ${attachment.id} has no connection to complete; update it with a connector first.`, {
          attachment_id: attachment.id,
          status: attachment.attach_status,
        });
      }
      await tx.attachments.setStatus(attachment.id, 'attached');
      await refreshStatus(tx, attachment.volume_id);
      return tx.attachments.get(attachment.id);
    });
    this.log(ctx, done.volume_id, done.id).info({ host: done.attached_host }, 'attachment completed');
    return done;
  }

  /**
   * Detaches: the attachment turns `detaching` (and the volume with it when it was the only one),
   * the backend closes the connection, then the attachment is deleted and the volume's status is
   * derived from what remains (`available` when nothing does). If the backend fails, the
   * attachment gets its status back and the error is reported.
   *
   * @returns the volume's remaining live attachments.
   */
  async delete(ctx: RequestContext, attachmentId: string): Promise<AttachmentRecord[]> {
    const { store } = this.deps;
    const found = await this.visible(ctx, attachmentId, VolumeRule.attachmentDelete);
    const log = this.log(ctx, found.volume_id, found.id);
    const { attachment, volume, previous } = await store.transaction(async (tx) => {
      await tx.lockVolume(found.volume_id);
      const current = await tx.attachments.get(found.id);
      if (current.attach_status === 'detaching') throw VolumeErrors.conflict(`Attachment ${current.id} is already being deleted.`, { attachment_id: current.id });
      await tx.attachments.setStatus(current.id, 'detaching');
      await refreshStatus(tx, current.volume_id);
      return { attachment: current, volume: await tx.volumes.get(current.volume_id), previous: current.attach_status as AttachStatus };
    });
    if (attachment.connection_info !== null) {
      try {
        await this.deps.backend.terminateConnection(volume, attachment);
      } catch (err) {
        log.error({ err, host: attachment.attached_host }, 'the backend failed to close the connection; the attachment is kept');
        await store.transaction(async (tx) => {
          await tx.lockVolume(volume.id);
          await tx.attachments.setStatus(attachment.id, previous);
          await refreshStatus(tx, volume.id);
        });
        throw err;
      }
    }
    const remaining = await store.transaction(async (tx) => {
      await tx.lockVolume(volume.id);
      await tx.attachments.softDelete(attachment.id);
      await refreshStatus(tx, volume.id);
      return tx.attachments.ofVolume(volume.id);
    });
    log.info({ host: attachment.attached_host, remaining: remaining.length }, 'attachment deleted');
    return remaining;
  }

  /** @throws NotFoundError `volume.attachment_not_found` when missing or another project's. */
  get(ctx: RequestContext, attachmentId: string): Promise<AttachmentRecord> {
    return this.visible(ctx, attachmentId, VolumeRule.attachmentGet);
  }

  /** Attachments of the caller's project (every project's for an admin asking with `allTenants`), oldest first. */
  async list(ctx: RequestContext, req: AttachmentListRequest = {}): Promise<{ attachments: AttachmentRecord[]; more: boolean }> {
    this.deps.policy.authorize(VolumeRule.attachmentGetAll, ctx, { project_id: ctx.projectId });
    const projectId = listProject(ctx, req.allTenants, req.projectId);
    return this.deps.store.attachments.list({
      ...(projectId === undefined ? {} : { projectId }),
      ...(req.volumeId === undefined ? {} : { volumeId: req.volumeId }),
      ...(req.instanceUuid === undefined ? {} : { instanceUuid: req.instanceUuid }),
      ...(req.status === undefined ? {} : { status: req.status }),
      ...(req.limit === undefined ? {} : { limit: req.limit }),
      ...(req.marker === undefined ? {} : { marker: req.marker }),
    });
  }

  private async visible(ctx: RequestContext, attachmentId: string, rule: string): Promise<AttachmentRecord> {
    const attachment = await this.deps.store.attachments.get(attachmentId, { viewer: viewerOf(ctx) });
    this.deps.policy.authorize(rule, ctx, { project_id: attachment.project_id });
    return attachment;
  }

  private checkReservable(volume: VolumeRecord, existing: readonly AttachmentRecord[], instanceUuid: string | null): void {
    const status = volume.status as VolumeStatus;
    if (status === 'error' || status === 'error_deleting') {
      throw VolumeErrors.invalidVolume(
        `Volume attachments can not be created if the volume is in an error state. The Volume ${volume.id} currently has a status of: ${status}`,
        { volume_id: volume.id, status },
      );
    }
    const reservable = reservableStatuses(volume.multiattach);
    if (reservable.includes(status)) return;
    // The same instance on another host: Nova moving it (Cinder's exception for LP #1694530).
    const sameInstance = instanceUuid !== null && (status === 'in-use' || status === 'reserved') && existing.some((a) => a.instance_uuid === instanceUuid);
    if (sameInstance) return;
    throw VolumeErrors.invalidVolume(`Volume ${volume.id} status must be ${orList(reservable)} to reserve, but the current status is ${status}.`, {
      volume_id: volume.id,
      status,
    });
  }

  /** Opens the backend connection for `connector.host` and records it on the attachment. */
  private async connect(
    tx: VolumeStore,
    volume: VolumeRecord,
    attachment: AttachmentRecord,
    connector: VolumeConnector,
    others: readonly AttachmentRecord[],
    log: Logger,
  ): Promise<AttachmentRecord> {
    const clash = others.find((a) => a.id !== attachment.id && a.attached_host === connector.host);
    if (clash !== undefined) {
      throw VolumeErrors.conflict(`duplicate connectors detected on volume ${volume.id}: attachment ${clash.id} already connects host ${connector.host}.`, {
        volume_id: volume.id,
        host: connector.host,
        attachment_id: clash.id,
      });
    }
    const mode: Exclude<AttachMode, 'null'> = attachment.attach_mode !== 'null' ? attachment.attach_mode : connector.mode === 'ro' ? 'ro' : 'rw';
    let connection;
    try {
      connection = await this.deps.backend.initializeConnection(volume, attachment.id, connector, mode);
    } catch (err) {
      log.error({ err, host: connector.host }, 'the backend failed to open the connection; nothing was changed');
      throw err;
    }
    // Cinder flattens the driver's `data` into the connection info and adds the attachment id.
    const info = { ...connection.data, driver_volume_type: connection.driver_volume_type, attachment_id: attachment.id, enforce_multipath: connector['enforce_multipath'] === true };
    return tx.attachments.connect(attachment.id, { connector: { ...connector, mode }, connection_info: info, attach_mode: mode });
  }

  private log(ctx: RequestContext, volumeId: string, attachmentId: string): Logger {
    return this.deps.logger.child({ request_id: ctx.requestId, project_id: ctx.projectId, volume_id: volumeId, attachment_id: attachmentId });
  }
}

/** Sets the volume's status to what its live attachments imply (never over error or deleting). */
async function refreshStatus(tx: VolumeStore, volumeId: string): Promise<void> {
  const volume = await tx.volumes.get(volumeId);
  if (!ATTACHMENT_DRIVEN.includes(volume.status as VolumeStatus)) return;
  const attachments = await tx.attachments.ofVolume(volumeId);
  const next = statusFromAttachments(attachments.map((a) => a.attach_status as AttachStatus));
  if (next !== volume.status) await tx.volumes.setStatus(volumeId, next);
}
