import { sql, type ExpressionBuilder, type Kysely, type RawBuilder, type Updateable } from 'kysely';
import type { Clock } from '../common/clock.js';
import { BadRequestError, ConflictError, NotFoundError } from '../common/errors.js';
import { preparedFamily, type AnyPlaceholders } from '../db/prepared-query.js';
import type { ImageSchema, ImageTable } from './image-schema.js';
import { rowToImageRecord, type ImageRecord } from './image-record.js';
import type { ImageSortKey, SortDir } from './image-sort.js';
import type { ImageStatus, ImageVisibility } from './image-status.js';

/** Whose eyes a read is made for; admins see every image. */
export interface ImageViewer {
  projectId: string;
  isAdmin: boolean;
}

/** The values of a new image; what is left out gets Glance's default. */
export interface NewImage {
  id: string;
  status: ImageStatus;
  visibility: ImageVisibility;
  name?: string | null;
  container_format?: string | null;
  disk_format?: string | null;
  size?: number | null;
  virtual_size?: number | null;
  checksum?: string | null;
  os_hash_algo?: string | null;
  os_hash_value?: string | null;
  min_disk?: number;
  min_ram?: number;
  owner?: string | null;
  protected?: boolean;
  os_hidden?: boolean;
  properties?: Record<string, string>;
}

/** Fields an update may change; `properties` replaces the whole set of extra properties. */
export type ImageChanges = Partial<Omit<NewImage, 'id'>>;

/** A filtered, paged read. Without a viewer every image is seen; without a limit every match is returned. */
export interface ImageQuery {
  viewer?: ImageViewer;
  name?: string;
  status?: ImageStatus;
  visibility?: ImageVisibility;
  /**
   * Glance's list without a visibility filter: community images show only when this project owns
   * them (they are listed for everyone with `visibility=community` or `all`).
   */
  communityOnlyOf?: string;
  owner?: string;
  /** Only hidden (true) or only unhidden (false) images; both when omitted. */
  osHidden?: boolean;
  limit?: number;
  /** Id of the last image of the previous page; it must be visible to the viewer. */
  marker?: string;
  /** Glance's default: created_at. */
  sortKey?: ImageSortKey;
  /** Glance's default: desc. */
  sortDir?: SortDir;
}

/** One page of images, and whether another page follows it. */
export interface ImageRecordPage {
  images: ImageRecord[];
  more: boolean;
}

type Where = ExpressionBuilder<ImageSchema, 'images'>;

/** Which clauses a read of one image has: the live-only filter, and the visibility rules of a non-admin. */
interface FindShape {
  liveOnly: boolean;
  restricted: boolean;
}

// Every boot reads its image, as its user sees it: one prepared query per shape of the read.
const imageById = preparedFamily(
  (s: FindShape) => `${s.liveOnly} ${s.restricted}`,
  (db: Kysely<ImageSchema>, p: AnyPlaceholders, s: FindShape) => {
    let q = db.selectFrom('images').selectAll().where('id', '=', p['id'] as string);
    if (s.liveOnly) q = q.where('deleted', '=', 0);
    if (s.restricted) q = q.where(visibleTo(p['projectId'] as string));
    return q;
  },
  4,
);

/**
 * Images in the image database. Reads made for a viewer apply Glance's visibility rules: public
 * and community images are seen by everyone, private and shared ones by their owning project,
 * everything by admins. Deletion is soft, so a deleted id is never reused.
 */
export class ImageRepo {
  constructor(private readonly deps: { db: Kysely<ImageSchema>; clock: Clock }) {}

  /** @throws ConflictError `image.exists` when the id is taken, by a deleted image too. */
  async create(values: NewImage): Promise<ImageRecord> {
    const now = this.deps.clock.now().toISOString();
    const res = await this.deps.db
      .insertInto('images')
      .values({
        id: values.id,
        name: values.name ?? null,
        status: values.status,
        visibility: values.visibility,
        container_format: values.container_format ?? null,
        disk_format: values.disk_format ?? null,
        size: values.size ?? null,
        virtual_size: values.virtual_size ?? null,
        checksum: values.checksum ?? null,
        os_hash_algo: values.os_hash_algo ?? null,
        os_hash_value: values.os_hash_value ?? null,
        min_disk: values.min_disk ?? 0,
        min_ram: values.min_ram ?? 0,
        owner: values.owner ?? null,
        protected: values.protected === true ? 1 : 0,
        os_hidden: values.os_hidden === true ? 1 : 0,
        properties: JSON.stringify(values.properties ?? {}),
        created_at: now,
        updated_at: now,
        deleted_at: null,
        deleted: 0,
      })
      // The primary key decides races; a check-then-insert could let two creators both pass.
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    if (Number(res.numInsertedOrUpdatedRows ?? 0n) === 0) {
      throw new ConflictError('image.exists', `Image with identifier ${values.id} already exists!`);
    }
    return this.get(values.id);
  }

  async find(id: string, options: { viewer?: ImageViewer; includeDeleted?: boolean } = {}): Promise<ImageRecord | undefined> {
    const viewer = options.viewer;
    const restricted = viewer !== undefined && !viewer.isAdmin;
    const shape = { liveOnly: options.includeDeleted !== true, restricted };
    const row = await imageById.of(shape).takeFirst(this.deps.db, restricted ? { id, projectId: viewer.projectId } : { id });
    return row && rowToImageRecord(row);
  }

  /** @throws NotFoundError `image.not_found` when missing, deleted or invisible to the viewer. */
  async get(id: string, options: { viewer?: ImageViewer } = {}): Promise<ImageRecord> {
    const image = await this.find(id, options);
    if (image === undefined) throw new NotFoundError('image.not_found', `No image found with ID ${id}`);
    return image;
  }

  /** @throws BadRequestError `image.marker_not_found` when the marker is not an image the viewer sees. */
  async list(query: ImageQuery = {}): Promise<ImageRecordPage> {
    const sortKey = query.sortKey ?? 'created_at';
    const dir = query.sortDir ?? 'desc';
    const key = sortExpression(sortKey);
    let q = this.deps.db.selectFrom('images').selectAll().where('deleted', '=', 0);
    if (query.viewer !== undefined && !query.viewer.isAdmin) q = q.where(visibleTo(query.viewer.projectId));
    if (query.name !== undefined) q = q.where('name', '=', query.name);
    if (query.status !== undefined) q = q.where('status', '=', query.status);
    if (query.visibility !== undefined) q = q.where('visibility', '=', query.visibility);
    if (query.communityOnlyOf !== undefined) {
      const owner = query.communityOnlyOf;
      q = q.where((eb) => eb.or([eb('visibility', '!=', 'community'), eb('owner', '=', owner)]));
    }
    if (query.owner !== undefined) q = q.where('owner', '=', query.owner);
    if (query.osHidden !== undefined) q = q.where('os_hidden', '=', query.osHidden ? 1 : 0);
    if (query.marker !== undefined) {
      const marker = await this.find(query.marker, query.viewer === undefined ? {} : { viewer: query.viewer });
      if (marker === undefined) throw new BadRequestError('image.marker_not_found', `Marker ${query.marker} could not be found.`);
      const op = dir === 'desc' ? '<' : '>';
      const markerKey = sortKey === 'name' ? (marker.name ?? '') : marker[sortKey];
      // Keyset paging: strictly after the marker in (sort key, id) order, so ties on the key are not skipped.
      q = q.where((eb) => eb.or([eb(key, op, markerKey), eb.and([eb(key, '=', markerKey), eb('id', op, marker.id)])]));
    }
    q = q.orderBy(key, dir).orderBy('id', dir);
    // One row more than asked tells whether another page follows.
    if (query.limit !== undefined) q = q.limit(query.limit + 1);
    const rows = await q.execute();
    const more = query.limit !== undefined && rows.length > query.limit;
    const page = more ? rows.slice(0, query.limit) : rows;
    return { images: page.map(rowToImageRecord), more };
  }

  /**
   * Applies the changes when the image is live and, if `expectStatus` is given, still in one of
   * those statuses: a compare-and-swap, so of two racing uploads only one leaves `queued`.
   *
   * @throws NotFoundError `image.not_found` when it is gone; ConflictError `image.status_changed`
   *   when its status is no longer one of `expectStatus` (details carry the actual status).
   */
  async update(id: string, changes: ImageChanges, expectStatus?: readonly ImageStatus[]): Promise<ImageRecord> {
    const set: Updateable<ImageTable> = { updated_at: this.deps.clock.now().toISOString() };
    for (const [key, value] of Object.entries(changes) as [keyof ImageChanges, unknown][]) {
      if (value === undefined) continue;
      if (key === 'protected' || key === 'os_hidden') set[key] = value === true ? 1 : 0;
      else if (key === 'properties') set.properties = JSON.stringify(value);
      else (set as Record<string, unknown>)[key] = value;
    }
    let q = this.deps.db.updateTable('images').set(set).where('id', '=', id).where('deleted', '=', 0);
    if (expectStatus !== undefined) q = q.where('status', 'in', expectStatus.length > 0 ? [...expectStatus] : ['']);
    const res = await q.executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) {
      const now = await this.get(id);
      throw new ConflictError('image.status_changed', `Image ${id} is ${now.status}, not ${(expectStatus ?? []).join(' or ')}.`, {
        details: { image_id: id, status: now.status, expected: expectStatus },
      });
    }
    return this.get(id);
  }

  /** Whether the table has never held an image (deleted ones count as held). */
  async isEmpty(): Promise<boolean> {
    const row = await this.deps.db.selectFrom('images').select('id').limit(1).executeTakeFirst();
    return row === undefined;
  }

  /** Marks the image deleted, as Glance does; @throws NotFoundError when it is already gone. */
  async softDelete(id: string): Promise<void> {
    const now = this.deps.clock.now().toISOString();
    const res = await this.deps.db
      .updateTable('images')
      .set({ deleted: 1, deleted_at: now, updated_at: now, status: 'deleted' })
      .where('id', '=', id)
      .where('deleted', '=', 0)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw new NotFoundError('image.not_found', `No image found with ID ${id}`);
  }
}

/** What a non-admin of this project sees: public and community images, and every image of the project. */
function visibleTo(projectId: string) {
  return (eb: Where) => eb.or([eb('visibility', 'in', ['public', 'community']), eb('owner', '=', projectId)]);
}

function sortExpression(sortKey: ImageSortKey): RawBuilder<string> {
  // Names may be null, and the dialects disagree on where nulls sort; '' sorts first in both.
  return sortKey === 'name' ? sql<string>`coalesce(${sql.ref('name')}, '')` : sql.ref<string>(sortKey);
}
