import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Clock } from '../common/clock.js';
import { BadRequestError, ConflictError } from '../common/errors.js';
import { isUniqueViolation } from '../db/unique-violation.js';
import { VolumeErrors } from './volume-errors.js';
import { rowToVolumeRecord, type VolumeRecord } from './volume-record.js';
import type { VolumeSchema } from './volume-schema.js';
import type { SortDir, VolumeSortKey } from './volume-sort.js';
import type { VolumeStatus } from './volume-status.js';

/** Whose eyes a read is made for: members see their project's volumes, admins every volume. */
export interface VolumeViewer {
  projectId: string;
  isAdmin: boolean;
}

/** The values of a new volume; what is left out gets Cinder's default. */
export interface NewVolume {
  id: string;
  project_id: string;
  user_id: string;
  size: number;
  status: VolumeStatus;
  availability_zone: string;
  host: string;
  name?: string | null;
  description?: string | null;
  bootable?: boolean;
  multiattach?: boolean;
  image_id?: string | null;
  image_metadata?: Record<string, string>;
  metadata?: Record<string, string>;
}

/** A filtered, paged read; every filter is exact. Without a limit every match is returned. */
export interface VolumeQuery {
  /** Only this project's volumes; every project's when omitted. */
  projectId?: string;
  name?: string;
  /** Any text; a status no volume has matches nothing. */
  status?: string;
  bootable?: boolean;
  availabilityZone?: string;
  limit?: number;
  /** Id of the last volume of the previous page; it must match the same project filter. */
  marker?: string;
  sortKey?: VolumeSortKey;
  sortDir?: SortDir;
}

export interface VolumeRecordPage {
  volumes: VolumeRecord[];
  /** Whether another page follows. */
  more: boolean;
}

/** The fields an update may change; undefined leaves a field alone. */
export interface VolumeChanges {
  name?: string | null;
  description?: string | null;
  metadata?: Record<string, string>;
}

/**
 * Volumes in the volume database. Status changes are compare-and-swap (an update that names the
 * statuses it expects), so two concurrent operations on one volume cannot both proceed. Deletion
 * is soft, so a deleted id is never reused.
 */
export class VolumeRepo {
  constructor(private readonly deps: { db: Kysely<VolumeSchema>; clock: Clock }) {}

  /** @throws ConflictError `volume.exists` when the id is taken, by a deleted volume too. */
  async create(values: NewVolume): Promise<VolumeRecord> {
    const now = this.now();
    try {
      await this.deps.db
        .insertInto('volumes')
        .values({
          id: values.id,
          project_id: values.project_id,
          user_id: values.user_id,
          name: values.name ?? null,
          description: values.description ?? null,
          size: values.size,
          status: values.status,
          availability_zone: values.availability_zone,
          host: values.host,
          bootable: values.bootable === true ? 1 : 0,
          multiattach: values.multiattach === true ? 1 : 0,
          image_id: values.image_id ?? null,
          image_metadata: JSON.stringify(values.image_metadata ?? {}),
          metadata: JSON.stringify(values.metadata ?? {}),
          created_at: now,
          updated_at: now,
          deleted_at: null,
          deleted: 0,
        })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError('volume.exists', `Volume ${values.id} already exists.`, { cause: err });
      throw err;
    }
    return this.get(values.id);
  }

  async find(id: string, options: { viewer?: VolumeViewer; includeDeleted?: boolean } = {}): Promise<VolumeRecord | undefined> {
    let q = this.deps.db.selectFrom('volumes').selectAll().where('id', '=', id);
    if (options.includeDeleted !== true) q = q.where('deleted', '=', 0);
    if (options.viewer !== undefined && !options.viewer.isAdmin) q = q.where('project_id', '=', options.viewer.projectId);
    const row = await q.executeTakeFirst();
    return row && rowToVolumeRecord(row);
  }

  /** @throws NotFoundError `volume.not_found` when missing, deleted or another project's. */
  async get(id: string, options: { viewer?: VolumeViewer } = {}): Promise<VolumeRecord> {
    const volume = await this.find(id, options);
    if (volume === undefined) throw VolumeErrors.volumeNotFound(id);
    return volume;
  }

  /** @throws BadRequestError `volume.marker_not_found` when the marker is not a volume the query can see. */
  async list(query: VolumeQuery = {}): Promise<VolumeRecordPage> {
    const sortKey = query.sortKey ?? 'created_at';
    const dir = query.sortDir ?? 'desc';
    const key = sortExpression(sortKey);
    let q = this.filtered(query).selectAll();
    if (query.marker !== undefined) {
      const marker = await this.find(query.marker);
      if (marker === undefined || (query.projectId !== undefined && marker.project_id !== query.projectId)) {
        throw new BadRequestError('volume.marker_not_found', `Marker ${query.marker} could not be found.`);
      }
      const op = dir === 'desc' ? '<' : '>';
      const markerKey = markerValue(marker, sortKey);
      // Keyset paging: strictly after the marker in (sort key, id) order, so ties are not skipped.
      q = q.where((eb) => eb.or([eb(key, op, markerKey), eb.and([eb(key, '=', markerKey), eb('id', op, marker.id)])]));
    }
    q = q.orderBy(key, dir).orderBy('id', dir);
    if (query.limit !== undefined) q = q.limit(query.limit + 1);
    const rows = await q.execute();
    const more = query.limit !== undefined && rows.length > query.limit;
    return { volumes: (more ? rows.slice(0, query.limit) : rows).map(rowToVolumeRecord), more };
  }

  /** How many volumes match the filters (paging ignored): Cinder's `count` (3.45+). */
  async count(query: Omit<VolumeQuery, 'limit' | 'marker' | 'sortKey' | 'sortDir'> = {}): Promise<number> {
    const row = await this.filtered(query).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * Moves the volume to `next` only if its status is one of `expected`; returns whether it did.
   * This is the lock of every state change: of two racing operations, one sees false.
   */
  async compareAndSetStatus(id: string, expected: readonly VolumeStatus[], next: VolumeStatus): Promise<boolean> {
    const res = await this.deps.db
      .updateTable('volumes')
      .set({ status: next, updated_at: this.now() })
      .where('id', '=', id)
      .where('deleted', '=', 0)
      .where('status', 'in', [...expected])
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  /** Sets the status unconditionally; for callers that hold the volume's row lock. */
  async setStatus(id: string, status: VolumeStatus): Promise<void> {
    await this.deps.db.updateTable('volumes').set({ status, updated_at: this.now() }).where('id', '=', id).where('deleted', '=', 0).execute();
  }

  /** @throws NotFoundError `volume.not_found` when it is gone. */
  async update(id: string, changes: VolumeChanges): Promise<VolumeRecord> {
    const res = await this.deps.db
      .updateTable('volumes')
      .set({
        ...(changes.name === undefined ? {} : { name: changes.name }),
        ...(changes.description === undefined ? {} : { description: changes.description }),
        ...(changes.metadata === undefined ? {} : { metadata: JSON.stringify(changes.metadata) }),
        updated_at: this.now(),
      })
      .where('id', '=', id)
      .where('deleted', '=', 0)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw VolumeErrors.volumeNotFound(id);
    return this.get(id);
  }

  /**
   * Marks a volume in `deleting` deleted; returns false when it was not (gone, or moved on).
   * The caller releases its quota in the same transaction.
   */
  async softDelete(id: string): Promise<boolean> {
    const now = this.now();
    const res = await this.deps.db
      .updateTable('volumes')
      .set({ deleted: 1, deleted_at: now, updated_at: now, status: 'deleted' })
      .where('id', '=', id)
      .where('deleted', '=', 0)
      .where('status', '=', 'deleting')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  private filtered(query: Omit<VolumeQuery, 'limit' | 'marker' | 'sortKey' | 'sortDir'>) {
    let q = this.deps.db.selectFrom('volumes').where('deleted', '=', 0);
    if (query.projectId !== undefined) q = q.where('project_id', '=', query.projectId);
    if (query.name !== undefined) q = q.where('name', '=', query.name);
    if (query.status !== undefined) q = q.where('status', '=', query.status);
    if (query.bootable !== undefined) q = q.where('bootable', '=', query.bootable ? 1 : 0);
    if (query.availabilityZone !== undefined) q = q.where('availability_zone', '=', query.availabilityZone);
    return q;
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }
}

function sortExpression(sortKey: VolumeSortKey): RawBuilder<string | number> {
  // Names and update times may be null, and the dialects disagree on where nulls sort; '' sorts first in both.
  if (sortKey === 'name' || sortKey === 'updated_at') return sql<string>`coalesce(${sql.ref(sortKey)}, '')`;
  return sql.ref<string | number>(sortKey);
}

function markerValue(marker: VolumeRecord, sortKey: VolumeSortKey): string | number {
  switch (sortKey) {
    case 'name':
      return marker.name ?? '';
    case 'updated_at':
      return marker.updated_at ?? '';
    case 'size':
      return marker.size;
    default:
      return marker[sortKey];
  }
}
