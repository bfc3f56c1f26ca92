import type { RequestContext } from '../common/request-context.js';
import type { ImageSortKey, SortDir } from './image-sort.js';
import type { ImageStatus, ImageVisibility } from './image-status.js';
import type { ImageView } from './image-view.js';

/** Filters and paging of an image list, as Glance's `GET /v2/images` query takes them. */
export interface ImageListFilter {
  name?: string;
  status?: ImageStatus;
  visibility?: ImageVisibility;
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

/**
 * The image service as the rest of Tessera sees it: the built-in service implements it in process,
 * and a client of a real Glance could replace it. Every call acts for `ctx`, with Glance's policy
 * and visibility rules, as if made with that user's token.
 *
 * @example
 * const image = await images.get(ctx, server.imageRef); // NotFoundError 'image.not_found' if unseen
 * if (image.status !== 'active') throw new BadRequestError(...);
 */
export interface ImageClient {
  /** @throws NotFoundError `image.not_found` when missing or invisible to the caller. */
  get(ctx: RequestContext, id: string): Promise<ImageView>;
  /** @throws BadRequestError `image.marker_not_found` for a marker the caller cannot see. */
  list(ctx: RequestContext, filter?: ImageListFilter): Promise<ImageListPage>;
  /** @throws ForbiddenError `policy.forbidden`; ConflictError `image.exists` for a taken id. */
  create(ctx: RequestContext, values: NewImageValues): Promise<ImageView>;
  /** @throws NotFoundError `image.not_found`; ForbiddenError `image.protected` or `policy.forbidden`. */
  delete(ctx: RequestContext, id: string): Promise<void>;
}
