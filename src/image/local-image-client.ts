import type { IdGenerator } from '../common/ids.js';
import { ForbiddenError } from '../common/errors.js';
import type { RequestContext } from '../common/request-context.js';
import type { PolicyEngine } from '../policy/index.js';
import type { ImageClient, ImageListFilter, ImageListPage, NewImageValues } from './image-client.js';
import type { ImageRepo, ImageViewer } from './image-repo.js';
import { toImageView, type ImageView } from './image-view.js';

/**
 * The built-in image service's `ImageClient`: Glance's order of checks on the image repository.
 * Visibility comes first (an image the caller cannot see is a 404, never a 403 that would confirm
 * it exists), then the policy rule, then state checks such as `protected`.
 */
export class LocalImageClient implements ImageClient {
  constructor(private readonly deps: { repo: ImageRepo; policy: PolicyEngine; ids: IdGenerator }) {}

  async get(ctx: RequestContext, id: string): Promise<ImageView> {
    const image = await this.deps.repo.get(id, { viewer: viewerOf(ctx) });
    this.deps.policy.authorize('get_image', ctx, { project_id: image.owner, visibility: image.visibility });
    return toImageView(image);
  }

  async list(ctx: RequestContext, filter: ImageListFilter = {}): Promise<ImageListPage> {
    this.deps.policy.authorize('get_images', ctx, { project_id: ctx.projectId });
    const { osHidden, sortKey, sortDir, ...rest } = filter;
    const page = await this.deps.repo.list({
      ...rest,
      viewer: viewerOf(ctx),
      osHidden: osHidden ?? false,
      ...(sortKey === undefined ? {} : { sortKey }),
      ...(sortDir === undefined ? {} : { sortDir }),
    });
    const last = page.images[page.images.length - 1];
    return { images: page.images.map(toImageView), nextMarker: page.more ? last?.id : undefined };
  }

  async create(ctx: RequestContext, values: NewImageValues): Promise<ImageView> {
    const owner = values.owner ?? ctx.projectId;
    this.deps.policy.authorize('add_image', ctx, { project_id: owner });
    const { id, ...rest } = values;
    const image = await this.deps.repo.create({
      ...rest,
      id: id?.toLowerCase() ?? this.deps.ids.uuid(),
      status: 'queued',
      // Glance's default since Ocata: visible to the owner and, once added, its members.
      visibility: values.visibility ?? 'shared',
      owner,
    });
    return toImageView(image);
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    const image = await this.deps.repo.get(id, { viewer: viewerOf(ctx) });
    this.deps.policy.authorize('delete_image', ctx, { project_id: image.owner, visibility: image.visibility });
    if (image.protected) {
      throw new ForbiddenError('image.protected', `Image ${id} is protected and cannot be deleted.`);
    }
    await this.deps.repo.softDelete(image.id);
  }
}

function viewerOf(ctx: RequestContext): ImageViewer {
  return { projectId: ctx.projectId, isAdmin: ctx.isAdmin };
}
