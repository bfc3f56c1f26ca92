import type { Readable } from 'node:stream';
import type { RequestContext } from '../common/request-context.js';
import type { ImagePatchOperation } from './image-patch.js';
import type { ImageSortKey, SortDir } from './image-sort.js';
import type { ImageStatus, ImageVisibility } from './image-status.js';
import type { ImageView } from './image-view.js';

/** Filters and paging of an image list, as Glance's `GET /v2/images` query takes them. */
export interface ImageListFilter {
  name?: string;
  status?: ImageStatus;
  /**
   * As Glance: without it, community images show only to their owner; `all` lists every image
   * the caller can see.
   */
  visibility?: ImageVisibility | 'all';
  owner?: string;
  /** Glance hides `os_hidden` images from lists unless asked for them; default false. */
  osHidden?: boolean;
  /** Page size; every match when omitted. */
  limit?: number;
  /** Id of the last image of the previous page. */
  marker?: string;
  sortKey?: ImageSortKey;
  sortDir?: SortDir;
}

/** One page of a list; `nextMarker` is set only when another page follows. */
export interface ImageListPage {
  images: ImageView[];
  nextMarker: string | undefined;
}

/** What a caller may set on a new image; the image starts `queued`, owned by the caller's project. */
export interface NewImageValues {
  id?: string;
  name?: string | null;
  container_format?: string | null;
  disk_format?: string | null;
  visibility?: ImageVisibility;
  min_disk?: number;
  min_ram?: number;
  protected?: boolean;
  os_hidden?: boolean;
  /** Another project to own the image; the caller's project when omitted. */
  owner?: string;
  /** Extra string properties, shown at the top level of the image. */
  properties?: Record<string, string>;
}

/** An image's data, opened for download. */
export interface ImageDownload {
  size: number;
  /** MD5 of the data (the image's `checksum`), sent as `Content-MD5`. */
  checksum: string | null;
  stream: Readable;
}

/**
 * The image service as the rest of Tessera sees it: the built-in service implements it in process,
 * and a client of a real Glance could replace it. Every call acts for `ctx`, with Glance's policy
 * and visibility rules, as if made with that user's token.
 *
 * The built-in service checks a fault point before each change (`image.create`, `image.update`,
 * `image.upload`, `image.download`, `image.delete`), so tests can make any step fail.
 *
 * @example
 * const image = await images.get(ctx, server.imageRef); // NotFoundError 'image.not_found' if unseen
 * if (image.status !== 'active') throw new BadRequestError(...);
 *
 * // A snapshot, as the compute side takes it:
 * const snap = await images.create(ctx, { name: 'snap', visibility: 'private', properties: { image_type: 'snapshot' } });
 * await images.update(ctx, snap.id, [{ op: 'add', path: 'disk_format', value: 'qcow2' }, { op: 'add', path: 'container_format', value: 'bare' }]);
 * await images.upload(ctx, snap.id, bytes); // queued → saving → active, with size and hashes
 */
export interface ImageClient {
  /** @throws NotFoundError `image.not_found` when missing or invisible to the caller. */
  get(ctx: RequestContext, id: string): Promise<ImageView>;
  /** @throws BadRequestError `image.marker_not_found` for a marker the caller cannot see. */
  list(ctx: RequestContext, filter?: ImageListFilter): Promise<ImageListPage>;
  /** @throws ForbiddenError `policy.forbidden`; ConflictError `image.exists` for a taken id. */
  create(ctx: RequestContext, values: NewImageValues): Promise<ImageView>;
  /**
   * Applies Glance's PATCH operations in order, all or nothing.
   * @throws ForbiddenError for read-only, reserved or non-removable attributes, or by policy;
   *   ConflictError `image.property_not_found` for replacing or removing a missing property.
   */
  update(ctx: RequestContext, id: string, operations: readonly ImagePatchOperation[]): Promise<ImageView>;
  /**
   * Stores the image's data, moving it queued → saving → active with size, checksum (md5),
   * os_hash_algo/os_hash_value (sha512) and, for raw and qcow2, virtual_size. A failure once the
   * data is arriving leaves the image `killed` and no data behind.
   * @throws ConflictError `image.invalid_status_transition` unless the image is queued;
   *   BadRequestError `image.formats_required` without disk and container formats;
   *   TesseraError `image.too_large` (413) past the size cap.
   */
  upload(ctx: RequestContext, id: string, data: AsyncIterable<Uint8Array>, options?: { size?: number }): Promise<ImageView>;
  /**
   * The image's data, or undefined when it has none (Glance answers 204).
   * @throws ForbiddenError `image.deactivated` to a non-admin when the image is deactivated.
   */
  download(ctx: RequestContext, id: string): Promise<ImageDownload | undefined>;
  /** active → deactivated (a no-op when already deactivated); @throws ForbiddenError in another status. */
  deactivate(ctx: RequestContext, id: string): Promise<void>;
  /** deactivated → active (a no-op when already active); @throws ForbiddenError in another status. */
  reactivate(ctx: RequestContext, id: string): Promise<void>;
  /**
   * Deletes the image and its data.
   * @throws NotFoundError `image.not_found`; ForbiddenError `image.protected` or `policy.forbidden`.
   */
  delete(ctx: RequestContext, id: string): Promise<void>;
}
