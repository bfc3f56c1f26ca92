import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../common/errors.js';
import { compileValidator } from '../api/validation/validator.js';
import { ReplaceTagsBody, TAG } from './network-request-schemas.js';
import { TAGGED_RESOURCES, type TaggedResource } from './resource-tag-repo.js';
import { requireBody } from './route-input.js';
import type { TagOperations } from './tag-operations.js';

const validateReplace = compileValidator(ReplaceTagsBody, 'body');
const validateTag = compileValidator(TAG, 'body');

type Params = { Params: { collection: string; id: string } };
type TagParams = { Params: { collection: string; id: string; tag: string } };

/** Neutron's `standard-attr-tag` API: `/v2.0/{networks|subnets|ports}/{id}/tags[/{tag}]`. */
export function registerTagRoutes(app: FastifyInstance, tags: TagOperations): void {
  app.get<Params>('/v2.0/:collection/:id/tags', async (request) => {
    return { tags: await tags.list(request.ctx, collectionOf(request.params.collection), request.params.id) };
  });

  app.put<Params>('/v2.0/:collection/:id/tags', async (request) => {
    const body = validateReplace(requireBody(request.body));
    return { tags: await tags.replace(request.ctx, collectionOf(request.params.collection), request.params.id, body.tags) };
  });

  app.delete<Params>('/v2.0/:collection/:id/tags', async (request, reply) => {
    await tags.removeAll(request.ctx, collectionOf(request.params.collection), request.params.id);
    return reply.status(204).send();
  });

  app.get<TagParams>('/v2.0/:collection/:id/tags/:tag', async (request, reply) => {
    await tags.check(request.ctx, collectionOf(request.params.collection), request.params.id, request.params.tag);
    return reply.status(204).send();
  });

  app.put<TagParams>('/v2.0/:collection/:id/tags/:tag', async (request, reply) => {
    const tag = validateTag(request.params.tag);
    await tags.add(request.ctx, collectionOf(request.params.collection), request.params.id, tag);
    return reply.status(201).send();
  });

  app.delete<TagParams>('/v2.0/:collection/:id/tags/:tag', async (request, reply) => {
    await tags.remove(request.ctx, collectionOf(request.params.collection), request.params.id, request.params.tag);
    return reply.status(204).send();
  });
}

function collectionOf(name: string): TaggedResource {
  if (!(TAGGED_RESOURCES as readonly string[]).includes(name)) throw new NotFoundError('api.not_found', 'The resource could not be found.');
  return name as TaggedResource;
}
