import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../common/errors.js';
import type { FaultInjector } from '../common/fault-injector.js';
import type { IdGenerator } from '../common/ids.js';
import type { Logger } from '../common/logger.js';
import type { RequestContext } from '../common/request-context.js';
import type { PolicyEngine } from '../policy/index.js';
import type { ImageClient, ImageDownload, ImageListFilter, ImageListPage, NewImageValues } from './image-client.js';
import { applyImagePatch, checkPatchablePath, type ImagePatchOperation } from './image-patch.js';
import type { ImageRecord } from './image-record.js';
import type { ImageRepo, ImageViewer } from './image-repo.js';
import type { ImageStatus, ImageVisibility } from './image-status.js';
import { uploadImageData } from './image-upload.js';
import { IMAGE_CORE_FIELDS, toImageView, type ImageView } from './image-view.js';
import type { ImageDataStore } from './store/image-data-store.js';

export interface LocalImageClientDeps {
  repo: ImageRepo;
  store: ImageDataStore;
  policy: PolicyEngine;
  ids: IdGenerator;
  logger: Logger;
  /** Fails `image.create|update|upload|download|delete` on demand. */
  faults?: FaultInjector;
  /** Largest image accepted, in bytes (`[glance] image_size_cap`). */
  maxImageBytes: number;
}

/**
 * The built-in image service's `ImageClient`: Glance's order of checks on the image repository.
 * Visibility comes first (an image the caller cannot see is a 404, never a 403 that would confirm
 * it exists), then the policy rule, then the fault point, then state checks such as `protected`.
 */
export class LocalImageClient implements ImageClient {
  constructor(private readonly deps: LocalImageClientDeps) {}

  async get(ctx: RequestContext, id: string): Promise<ImageView> {
    const image = await this.visible(ctx, id);
    this.deps.policy.authorize('get_image', ctx, targetOf(image));
    return toImageView(image);
  }

  async list(ctx: RequestContext, filter: ImageListFilter = {}): Promise<ImageListPage> {
    this.deps.policy.authorize('get_images', ctx, { project_id: ctx.projectId });
    const { osHidden, sortKey, sortDir, visibility, ...rest } = filter;
    const page = await this.deps.repo.list({
      ...rest,
      viewer: viewerOf(ctx),
      osHidden: osHidden ?? false,
      ...(visibility === undefined ? { communityOnlyOf: ctx.projectId } : visibility === 'all' ? {} : { visibility }),
      ...(sortKey === undefined ? {} : { sortKey }),
      ...(sortDir === undefined ? {} : { sortDir }),
    });
    const last = page.images[page.images.length - 1];
    return { images: page.images.map(toImageView), nextMarker: page.more ? last?.id : undefined };
  }

  async create(ctx: RequestContext, values: NewImageValues): Promise<ImageView> {
    const owner = values.owner ?? ctx.projectId;
    // Glance's default since Ocata: visible to the owner and, once added, its members.
    const visibility = values.visibility ?? 'shared';
    this.deps.policy.authorize('add_image', ctx, { project_id: owner, owner, visibility });
    this.authorizeVisibility(ctx, visibility, { project_id: owner, owner, visibility });
    for (const key of Object.keys(values.properties ?? {})) {
      checkPatchablePath(key);
      if (IMAGE_CORE_FIELDS.has(key)) throw new BadRequestError('image.core_property', `'${key}' is an image attribute and cannot be set as a property.`);
    }
    this.deps.faults?.check('image.create');
    const { id, ...rest } = values;
    const image = await this.deps.repo.create({ ...rest, id: id?.toLowerCase() ?? this.deps.ids.uuid(), status: 'queued', visibility, owner });
    this.log(ctx, image.id).info({ name: image.name, owner, visibility }, 'image created');
    return toImageView(image);
  }

  async update(ctx: RequestContext, id: string, operations: readonly ImagePatchOperation[]): Promise<ImageView> {
    const image = await this.visible(ctx, id);
    this.deps.policy.authorize('modify_image', ctx, targetOf(image));
    const changes = applyImagePatch(image, operations, { isAdmin: ctx.isAdmin });
    if (changes.visibility !== undefined && changes.visibility !== image.visibility) {
      this.authorizeVisibility(ctx, changes.visibility, targetOf(image));
    }
    this.deps.faults?.check('image.update');
    if (Object.keys(changes).length === 0) return toImageView(image);
    // The status must not move under the patch (formats may only change while queued).
    const updated = await this.deps.repo.update(image.id, changes, [image.status]).catch((err: unknown) => {
      if (err instanceof ConflictError && err.code === 'image.status_changed') {
        throw new ConflictError('image.concurrent_update', `Image ${id} changed status while it was being updated; try again.`, { cause: err });
      }
      throw err;
    });
    this.log(ctx, image.id).info({ changed: Object.keys(changes) }, 'image updated');
    return toImageView(updated);
  }

  async upload(ctx: RequestContext, id: string, data: AsyncIterable<Uint8Array>, options: { size?: number } = {}): Promise<ImageView> {
    const image = await this.visible(ctx, id);
    this.deps.policy.authorize('upload_image', ctx, targetOf(image));
    const { repo, store, logger, faults, maxImageBytes } = this.deps;
    const saved = await uploadImageData(
      { repo, store, logger: logger.child({ service: 'image' }), maxBytes: maxImageBytes, ...(faults === undefined ? {} : { faults }) },
      image,
      data,
      { requestId: ctx.requestId, ...(options.size === undefined ? {} : { size: options.size }) },
    );
    return toImageView(saved);
  }

  async download(ctx: RequestContext, id: string): Promise<ImageDownload | undefined> {
    const image = await this.visible(ctx, id);
    if (image.status === 'deactivated' && !ctx.isAdmin) {
      throw new ForbiddenError('image.deactivated', 'The requested image has been deactivated. Image data download is forbidden.');
    }
    this.deps.policy.authorize('download_image', ctx, targetOf(image));
    this.deps.faults?.check('image.download');
    if (image.status !== 'active' && image.status !== 'deactivated') return undefined;
    const data = await this.deps.store.open(image.id);
    if (data === undefined) return undefined;
    return { size: data.size, checksum: image.checksum, stream: data.stream };
  }

  deactivate(ctx: RequestContext, id: string): Promise<void> {
    return this.toggle(ctx, id, 'deactivate', { from: 'active', to: 'deactivated' });
  }

  reactivate(ctx: RequestContext, id: string): Promise<void> {
    return this.toggle(ctx, id, 'reactivate', { from: 'deactivated', to: 'active' });
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    const image = await this.visible(ctx, id);
    this.deps.policy.authorize('delete_image', ctx, targetOf(image));
    if (image.protected) {
      throw new ForbiddenError('image.protected', `Image ${id} is protected and cannot be deleted.`);
    }
    this.deps.faults?.check('image.delete');
    await this.deps.repo.softDelete(image.id);
    const log = this.log(ctx, image.id);
    // The record is gone either way; data left behind is reported, not hidden.
    await this.deps.store.delete(image.id).catch((err: unknown) => log.error({ err }, 'image deleted but its data could not be removed'));
    log.info({ status: image.status }, 'image deleted');
  }

  /** Glance's deactivate/reactivate: the same status is a no-op, any other status a 403. */
  private async toggle(ctx: RequestContext, id: string, action: 'deactivate' | 'reactivate', move: { from: ImageStatus; to: ImageStatus }): Promise<void> {
    const image = await this.visible(ctx, id);
    this.deps.policy.authorize(action, ctx, targetOf(image));
    if (image.status === move.to) return;
    const refuse = (status: ImageStatus) => new ForbiddenError('image.invalid_status', `Not allowed to ${action} image in status '${status}'`);
    if (image.status !== move.from) throw refuse(image.status);
    await this.deps.repo.update(image.id, { status: move.to }, [move.from]).catch((err: unknown) => {
      if (err instanceof ConflictError && err.code === 'image.status_changed') throw refuse(err.details?.['status'] as ImageStatus);
      throw err;
    });
    this.log(ctx, image.id).info({ status: move.to }, `image ${action}d`);
  }

  private authorizeVisibility(ctx: RequestContext, visibility: ImageVisibility, target: Record<string, unknown>): void {
    if (visibility === 'public') this.deps.policy.authorize('publicize_image', ctx, target);
    if (visibility === 'community') this.deps.policy.authorize('communitize_image', ctx, target);
  }

  private async visible(ctx: RequestContext, id: string): Promise<ImageRecord> {
    const image = await this.deps.repo.find(id, { viewer: viewerOf(ctx) });
    if (image === undefined) throw new NotFoundError('image.not_found', `No image found with ID ${id}`);
    return image;
  }

  private log(ctx: RequestContext, imageId: string): Logger {
    return this.deps.logger.child({ service: 'image', request_id: ctx.requestId, image_id: imageId });
  }
}

function viewerOf(ctx: RequestContext): ImageViewer {
  return { projectId: ctx.projectId, isAdmin: ctx.isAdmin };
}

/** Glance's policy target for an image: its owner as `project_id`, and its visibility. */
function targetOf(image: ImageRecord): Record<string, unknown> {
  return { project_id: image.owner, owner: image.owner, visibility: image.visibility };
}
