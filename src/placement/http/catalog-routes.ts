import type { FastifyInstance } from 'fastify';
import { PlacementCode, badRequest, conflict, notFound } from '../placement-errors.js';
import { PlacementRule } from '../placement-policy-rules.js';
import { isCustomName } from '../standard-resource-classes.js';
import { atLeast } from './placement-microversion.js';
import { bodyValidator, queryValidator, queryValues } from './placement-input.js';
import { ResourceClassBody, TraitsQuery } from './placement-schemas.js';
import { authorize, cacheHeaders, requireVersion, versionOf, type PlacementRouteDeps } from './route-support.js';
import type { TraitFilter } from '../store/catalog-store.js';

const validateTraitsQuery = queryValidator(TraitsQuery);
const validateClassBody = bodyValidator(ResourceClassBody);
const INVALID_CUSTOM =
  'A valid %s must be no longer than 255 characters, start with the prefix "CUSTOM_" and use following characters: "A"-"Z", "0"-"9" and "_"';

type Named = { Params: { name: string } };

/** Traits (1.6+) and resource classes (1.2+): the standard ones are read-only. */
export function registerCatalogRoutes(app: FastifyInstance, deps: PlacementRouteDeps): void {
  app.get('/traits', async (request, reply) => {
    requireVersion(request, 6);
    authorize(deps, request, PlacementRule.traitsList);
    const query = validateTraitsQuery(queryValues(request));
    const filter: TraitFilter = {};
    if (query.name !== undefined) {
      const m = /^(in|startswith):(.*)$/.exec(query.name);
      if (!m) throw badRequest(`Badly formed name parameter. Expected name query string parameter in form: ?name=[in|startswith]:[name1,name2|prefix]. Got: "${query.name}"`);
      if (m[1] === 'in') filter.nameIn = (m[2] ?? '').split(',');
      else filter.prefix = m[2] ?? '';
    }
    if (query.associated !== undefined) {
      const value = query.associated.toLowerCase();
      if (value !== 'true' && value !== 'false') throw badRequest('The query parameter "associated" only accepts "true" or "false"');
      filter.associated = value === 'true';
    }
    cacheHeaders(reply, versionOf(request));
    return { traits: await deps.catalog.listTraits(filter) };
  });

  app.get<Named>('/traits/:name', async (request, reply) => {
    requireVersion(request, 6);
    authorize(deps, request, PlacementRule.traitsShow);
    if (!(await deps.catalog.traitExists(request.params.name))) throw notFound(`No such trait(s): ${request.params.name}.`);
    cacheHeaders(reply, versionOf(request));
    return reply.status(204).send();
  });

  app.put<Named>('/traits/:name', async (request, reply) => {
    requireVersion(request, 6);
    authorize(deps, request, PlacementRule.traitsUpdate);
    const name = request.params.name;
    if (!isCustomName(name)) throw badRequest(`The trait is invalid. ${INVALID_CUSTOM.replace('%s', 'trait')}`);
    const created = await deps.catalog.createTrait(name);
    reply.header('Location', `${deps.prefix}/traits/${name}`);
    cacheHeaders(reply, versionOf(request));
    return reply.status(created ? 201 : 204).send();
  });

  app.delete<Named>('/traits/:name', async (request, reply) => {
    requireVersion(request, 6);
    authorize(deps, request, PlacementRule.traitsDelete);
    await deps.catalog.deleteTrait(request.params.name);
    return reply.status(204).send();
  });

  const classBody = (name: string) => ({ name, links: [{ rel: 'self', href: `${deps.prefix}/resource_classes/${name}` }] });

  app.get('/resource_classes', async (request, reply) => {
    requireVersion(request, 2);
    authorize(deps, request, PlacementRule.resourceClassesList);
    cacheHeaders(reply, versionOf(request));
    return { resource_classes: (await deps.catalog.listClasses()).map(classBody) };
  });

  app.post('/resource_classes', async (request, reply) => {
    requireVersion(request, 2);
    authorize(deps, request, PlacementRule.resourceClassesCreate);
    const { name } = validateClassBody(request.body);
    if (!(await deps.catalog.createClass(name))) throw conflict(`Conflicting resource class already exists: ${name}`, PlacementCode.DUPLICATE_NAME);
    reply.header('Location', `${deps.prefix}/resource_classes/${name}`);
    return reply.status(201).send();
  });

  app.get<Named>('/resource_classes/:name', async (request, reply) => {
    requireVersion(request, 2);
    authorize(deps, request, PlacementRule.resourceClassesShow);
    if (!(await deps.catalog.classExists(request.params.name))) throw notFound(`No such resource class ${request.params.name}.`);
    cacheHeaders(reply, versionOf(request));
    return classBody(request.params.name);
  });

  app.put<Named>('/resource_classes/:name', async (request, reply) => {
    requireVersion(request, 2);
    authorize(deps, request, PlacementRule.resourceClassesUpdate);
    const name = request.params.name;
    if (!atLeast(versionOf(request), 7)) {
      const body = validateClassBody(request.body);
      await deps.catalog.renameClass(name, body.name);
      return classBody(body.name);
    }
    if (!isCustomName(name)) throw badRequest(`The resource class is invalid. ${INVALID_CUSTOM.replace('%s', 'resource class')}`);
    const created = await deps.catalog.createClass(name);
    reply.header('Location', `${deps.prefix}/resource_classes/${name}`);
    return reply.status(created ? 201 : 204).send();
  });

  app.delete<Named>('/resource_classes/:name', async (request, reply) => {
    requireVersion(request, 2);
    authorize(deps, request, PlacementRule.resourceClassesDelete);
    await deps.catalog.deleteClass(request.params.name);
    return reply.status(204).send();
  });
}
