import type { Kysely } from 'kysely';
import type { Clock } from '../common/clock.js';
import { BadRequestError, ConflictError } from '../common/errors.js';
import { isUniqueViolation } from '../db/unique-violation.js';
import { rowToAttachmentRecord, type AttachMode, type AttachmentRecord } from './attachment-record.js';
import type { VolumeConnector } from './volume-client.js';
import { VolumeErrors } from './volume-errors.js';
import type { VolumeViewer } from './volume-repo.js';
import type { VolumeSchema } from './volume-schema.js';
import type { AttachStatus } from './volume-status.js';

export interface NewAttachment {
  id: string;
  volume_id: string;
  project_id: string;
  instance_uuid: string | null;
  attach_status: AttachStatus;
  attach_mode: AttachMode;
}

/** What connecting an attachment writes. */
export interface AttachmentConnection {
  connector: VolumeConnector;
  connection_info: Record<string, unknown>;
  attach_mode: AttachMode;
}

export interface AttachmentQuery {
  /** Only attachments of this project's volumes; every project's when omitted. */
  projectId?: string;
  volumeId?: string;
  instanceUuid?: string;
  status?: AttachStatus;
  limit?: number;
  /** Id of the last attachment of the previous page. */
  marker?: string;
}

/**
 * Volume attachments in the volume database, oldest first. At most one live attachment of a
 * volume is connected to each host: a unique index settles races between connectors.
 */
export class AttachmentRepo {
  constructor(private readonly deps: { db: Kysely<VolumeSchema>; clock: Clock }) {}

  async create(values: NewAttachment): Promise<AttachmentRecord> {
    const now = this.now();
    await this.deps.db
      .insertInto('volume_attachments')
      .values({
        ...values,
        attached_host: null,
        mountpoint: null,
        connector: null,
        connection_info: null,
        attach_time: null,
        detach_time: null,
        created_at: now,
        updated_at: now,
        deleted_at: null,
        deleted: 0,
      })
      .execute();
    return this.get(values.id);
  }

  async find(id: string, options: { viewer?: VolumeViewer } = {}): Promise<AttachmentRecord | undefined> {
    let q = this.deps.db.selectFrom('volume_attachments').selectAll().where('id', '=', id).where('deleted', '=', 0);
    if (options.viewer !== undefined && !options.viewer.isAdmin) q = q.where('project_id', '=', options.viewer.projectId);
    const row = await q.executeTakeFirst();
    return row && rowToAttachmentRecord(row);
  }

  /** @throws NotFoundError `volume.attachment_not_found` when missing, deleted or another project's. */
  async get(id: string, options: { viewer?: VolumeViewer } = {}): Promise<AttachmentRecord> {
    const attachment = await this.find(id, options);
    if (attachment === undefined) throw VolumeErrors.attachmentNotFound(id);
    return attachment;
  }

  /** The live attachments of one volume, oldest first. */
  async ofVolume(volumeId: string): Promise<AttachmentRecord[]> {
    const rows = await this.deps.db
      .selectFrom('volume_attachments')
      .selectAll()
      .where('volume_id', '=', volumeId)
      .where('deleted', '=', 0)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(rowToAttachmentRecord);
  }

  /** The live attachments of many volumes, by volume id (for lists of volumes). */
  async ofVolumes(volumeIds: readonly string[]): Promise<Map<string, AttachmentRecord[]>> {
    const out = new Map<string, AttachmentRecord[]>();
    if (volumeIds.length === 0) return out;
    const rows = await this.deps.db
      .selectFrom('volume_attachments')
      .selectAll()
      .where('volume_id', 'in', [...volumeIds])
      .where('deleted', '=', 0)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    for (const row of rows) {
      const list = out.get(row.volume_id) ?? [];
      list.push(rowToAttachmentRecord(row));
      out.set(row.volume_id, list);
    }
    return out;
  }

  /** @throws BadRequestError `volume.marker_not_found` for a marker outside the query. */
  async list(query: AttachmentQuery = {}): Promise<{ attachments: AttachmentRecord[]; more: boolean }> {
    let q = this.deps.db.selectFrom('volume_attachments').selectAll().where('deleted', '=', 0);
    if (query.projectId !== undefined) q = q.where('project_id', '=', query.projectId);
    if (query.volumeId !== undefined) q = q.where('volume_id', '=', query.volumeId);
    if (query.instanceUuid !== undefined) q = q.where('instance_uuid', '=', query.instanceUuid);
    if (query.status !== undefined) q = q.where('attach_status', '=', query.status);
    if (query.marker !== undefined) {
      const marker = await this.find(query.marker);
      if (marker === undefined || (query.projectId !== undefined && marker.project_id !== query.projectId)) {
        throw new BadRequestError('volume.marker_not_found', `Marker ${query.marker} could not be found.`);
      }
      const { created_at: at, id } = marker;
      q = q.where((eb) => eb.or([eb('created_at', '>', at), eb.and([eb('created_at', '=', at), eb('id', '>', id)])]));
    }
    q = q.orderBy('created_at').orderBy('id');
    if (query.limit !== undefined) q = q.limit(query.limit + 1);
    const rows = await q.execute();
    const more = query.limit !== undefined && rows.length > query.limit;
    return { attachments: (more ? rows.slice(0, query.limit) : rows).map(rowToAttachmentRecord), more };
  }

  /**
   * Records the connection to a host: the attachment becomes `attaching`.
   *
   * @throws ConflictError `volume.conflict` when another live attachment of the volume is
   *   connected to the same host (also when a concurrent connector won the race).
   */
  async connect(id: string, connection: AttachmentConnection): Promise<AttachmentRecord> {
    const now = this.now();
    const { connector } = connection;
    try {
      await this.deps.db
        .updateTable('volume_attachments')
        .set({
          attach_status: 'attaching',
          attached_host: connector.host,
          mountpoint: typeof connector.mountpoint === 'string' ? connector.mountpoint : null,
          attach_mode: connection.attach_mode,
          connector: JSON.stringify(connector),
          connection_info: JSON.stringify(connection.connection_info),
          updated_at: now,
        })
        .where('id', '=', id)
        .where('deleted', '=', 0)
        .execute();
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      throw new ConflictError('volume.conflict', `Resource conflict: the volume already has an attachment on host ${connector.host}.`, {
        cause: err,
        details: { attachment_id: id, host: connector.host },
      });
    }
    return this.get(id);
  }

  /** Sets the status (and the attach time when it becomes `attached`). */
  async setStatus(id: string, status: AttachStatus): Promise<void> {
    const now = this.now();
    await this.deps.db
      .updateTable('volume_attachments')
      .set({ attach_status: status, updated_at: now, ...(status === 'attached' ? { attach_time: now } : {}) })
      .where('id', '=', id)
      .where('deleted', '=', 0)
      .execute();
  }

  /** Marks the attachment deleted (detached). @returns false when it was already gone. */
  async softDelete(id: string): Promise<boolean> {
    const now = this.now();
    const res = await this.deps.db
      .updateTable('volume_attachments')
      .set({ deleted: 1, deleted_at: now, updated_at: now, detach_time: now, attach_status: 'deleted' })
      .where('id', '=', id)
      .where('deleted', '=', 0)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }
}
