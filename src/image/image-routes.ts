import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { ForbiddenError } from '../common/errors.js';
import { compileValidator } from '../api/validation/validator.js';
import type { ImageClient, NewImageValues } from './image-client.js';
import { registerImageDataRoutes } from './image-data-routes.js';
import { registerImageDiscoveryRoutes } from './image-discovery-routes.js';
import { imageIdParam } from './image-id-param.js';
import { checkUnreservedKey } from './image-patch.js';
import { CreateImageBody, DEFAULT_IMAGE_LIMIT, ListImagesQuery, READ_ONLY_IMAGE_KEYS } from './image-request-schemas.js';
import { registerImageUpdateRoutes } from './image-update-routes.js';
import { imageVersionsDocument } from './image-versions.js';

export interface ImageRoutesDeps {
  images: ImageClient;
  /** Where the routes are mounted (`/image`); version links point below it. */
  prefix: string;
}

const validateListQuery = compileValidator(ListImagesQuery, 'query');
const validateCreateBody = compileValidator(CreateImageBody, 'body');
const CORE_CREATE_KEYS = new Set(Object.keys(CreateImageBody.properties));

/**
 * The Glance v2 subset that the OpenStack clients use: version discovery, list (with Glance's
 * `next` link only when another page follows), show, create, update, data upload and download,
 * deactivate/reactivate, delete, and the schemas. Policy and visibility are enforced by the
 * `ImageClient` behind them, so HTTP and in-process callers get the same answers.
 */
export function registerImageRoutes(app: FastifyInstance, deps: ImageRoutesDeps): void {
  const versions = async (request: FastifyRequest, reply: FastifyReply) =>
    reply.status(300).send(imageVersionsDocument(`${request.protocol}://${request.host}${deps.prefix}`));
  app.get('/', { config: { public: true } }, versions);
  // Glance answers its version root with the same list.
  app.get('/v2', { config: { public: true } }, versions);

  app.get('/v2/images', async (request) => {
    const query = validateListQuery(request.query);
    const limit = query.limit ?? DEFAULT_IMAGE_LIMIT;
    const page = await deps.images.list(request.ctx, {
      ...(query.name === undefined ? {} : { name: query.name }),
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(query.visibility === undefined ? {} : { visibility: query.visibility }),
      ...(query.owner === undefined ? {} : { owner: query.owner }),
      ...(query.os_hidden === undefined ? {} : { osHidden: query.os_hidden }),
      ...(query.marker === undefined ? {} : { marker: query.marker }),
      ...(query.sort_key === undefined ? {} : { sortKey: query.sort_key }),
      ...(query.sort_dir === undefined ? {} : { sortDir: query.sort_dir }),
      limit,
    });
    const body: Record<string, unknown> = { images: page.images, first: '/v2/images', schema: '/v2/schemas/images' };
    if (page.nextMarker !== undefined) body['next'] = nextLink(query, page.nextMarker, limit);
    return body;
  });

  app.get<{ Params: { id: string } }>('/v2/images/:id', async (request) => {
    return deps.images.get(request.ctx, imageIdParam(request.params.id));
  });

  app.post('/v2/images', async (request, reply) => {
    const image = await deps.images.create(request.ctx, toNewImageValues(request.body));
    return reply.status(201).header('Location', image.self).send(image);
  });

  app.delete<{ Params: { id: string } }>('/v2/images/:id', async (request, reply) => {
    await deps.images.delete(request.ctx, imageIdParam(request.params.id));
    return reply.status(204).send();
  });

  registerImageDataRoutes(app, deps);
  registerImageUpdateRoutes(app, deps);
  registerImageDiscoveryRoutes(app);
}

function toNewImageValues(raw: unknown): NewImageValues {
  if (raw !== null && typeof raw === 'object') {
    // Glance refuses read-only attributes with 403 before looking at their values.
    const readOnly = Object.keys(raw).find((k) => READ_ONLY_IMAGE_KEYS.has(k));
    if (readOnly !== undefined) throw new ForbiddenError('image.read_only_attribute', `Attribute '${readOnly}' is read-only.`);
    for (const key of Object.keys(raw)) checkUnreservedKey(key);
  }
  const body = validateCreateBody(raw);
  const values: NewImageValues & Record<string, unknown> = {};
  const properties: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'tags') continue;
    if (CORE_CREATE_KEYS.has(key)) values[key] = value;
    else properties[key] = value as string;
  }
  return { ...values, properties };
}

/** Glance's next-page link: the same query with the marker moved on. */
function nextLink(query: Static<typeof ListImagesQuery>, marker: string, limit: number): string {
  const params = new URLSearchParams({ marker, limit: String(limit) });
  for (const [key, value] of Object.entries(query)) {
    if (key !== 'marker' && key !== 'limit' && value !== undefined) params.set(key, String(value));
  }
  return `/v2/images?${params.toString()}`;
}
