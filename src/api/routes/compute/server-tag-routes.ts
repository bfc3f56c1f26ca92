import type { Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ComputeApiDeps } from '../../../compute-api/compute-api-deps.js';
import { ReplaceServerTagsBody, ServerTag } from '../../../compute-api/servers/server-tag-schema.js';
import { addServerTag, checkServerTag, deleteServerTag, deleteServerTags, listServerTags, replaceServerTags } from '../../../compute-api/servers/server-tags.js';
import { BadRequestError, NotFoundError } from '../../../common/errors.js';
import { baseUrl } from '../../base-url.js';
import { atLeast } from '../../microversion.js';
import { compileValidator } from '../../validation/validator.js';

const validateReplace = compileValidator(ReplaceServerTagsBody, 'body');
const validateTag = compileValidator(ServerTag, 'body');

type TagParams = { Params: { id: string; tag: string } };

/** `/servers/{id}/tags` and `/servers/{id}/tags/{tag}`, from microversion 2.26 on (404 below). */
export async function serverTagRoutes(app: FastifyInstance, deps: ComputeApiDeps): Promise<void> {
  const since226 = async (request: FastifyRequest) => {
    if (!atLeast(request.microversion, '2.26')) {
      throw new NotFoundError('api.version_not_found', `API version ${request.microversion.text} is not supported on this method.`);
    }
  };

  app.get<{ Params: { id: string } }>('/servers/:id/tags', { preHandler: since226 }, async (request) => {
    return { tags: await listServerTags(deps, request.ctx, request.params.id) };
  });

  app.put<{ Params: { id: string } }>('/servers/:id/tags', { preHandler: since226 }, async (request) => {
    const body: Static<typeof ReplaceServerTagsBody> = validateReplace(request.body);
    return { tags: await replaceServerTags(deps, request.ctx, request.params.id, body.tags) };
  });

  app.delete<{ Params: { id: string } }>('/servers/:id/tags', { preHandler: since226 }, async (request, reply) => {
    await deleteServerTags(deps, request.ctx, request.params.id);
    return reply.status(204).send();
  });

  app.get<TagParams>('/servers/:id/tags/:tag', { preHandler: since226 }, async (request, reply) => {
    await checkServerTag(deps, request.ctx, request.params.id, request.params.tag);
    return reply.status(204).send();
  });

  app.put<TagParams>('/servers/:id/tags/:tag', { preHandler: since226 }, async (request, reply) => {
    const { id, tag } = request.params;
    try {
      validateTag(tag);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new BadRequestError('compute.invalid_tag', `Tag '${tag}' is invalid. It must be a non empty string without characters '/' and ','. Validation error message: ${why}`);
    }
    if ((await addServerTag(deps, request.ctx, id, tag)) === 'existed') return reply.status(204).send();
    const version = request.url.startsWith('/compute/v2/') ? 'v2' : 'v2.1';
    reply.header('Location', `${baseUrl(request)}/compute/${version}/servers/${id}/tags/${encodeURIComponent(tag)}`);
    return reply.status(201).send();
  });

  app.delete<TagParams>('/servers/:id/tags/:tag', { preHandler: since226 }, async (request, reply) => {
    await deleteServerTag(deps, request.ctx, request.params.id, request.params.tag);
    return reply.status(204).send();
  });
}
