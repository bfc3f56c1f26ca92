import type { FastifyInstance } from 'fastify';
import type { ProviderQuery } from '../model/provider-query.js';
import { forEachMatch } from '../model/provider-query.js';
import type { ProviderState } from '../model/provider-state.js';
import { PlacementRule } from '../placement-policy-rules.js';
import { badRequest } from '../placement-errors.js';
import { atLeast } from './placement-microversion.js';
import { bodyValidator, normalizeUuid, queryValidator, queryValues } from './placement-input.js';
import { parseInTree, parseMemberOf, parseRequired, parseResources, traitsNamed } from './placement-query.js';
import { CreateProviderBody, ProvidersQuery, UpdateProviderBody } from './placement-schemas.js';
import { authorize, cacheHeaders, lastModifiedOf, providerBody, providerUuidParam, refuseUnknownParams, versionOf, type PlacementRouteDeps } from './route-support.js';

const validateQuery = queryValidator(ProvidersQuery);
const validateCreate = bodyValidator(CreateProviderBody);
const validateUpdate = bodyValidator(UpdateProviderBody);
const SINCE = { member_of: 3, resources: 4, in_tree: 14, required: 18 };

type Params = { Params: { uuid: string } };

/** Resource provider CRUD: list with filters (from the read model), create, show, update, delete. */
export function registerProviderRoutes(app: FastifyInstance, deps: PlacementRouteDeps): void {
  app.get('/resource_providers', async (request, reply) => {
    authorize(deps, request, PlacementRule.providersList);
    const mv = versionOf(request);
    const values = queryValues(request);
    refuseUnknownParams(values, SINCE, mv);
    const query = validateQuery(values);
    const filter: ProviderQuery = {};
    if (query.name !== undefined) filter.name = query.name;
    if (query.uuid !== undefined) filter.uuid = normalizeUuid(query.uuid) ?? query.uuid;
    if (query.member_of !== undefined) {
      const parsed = parseMemberOf(values.get('member_of') ?? [], mv);
      filter.memberOf = parsed.groups;
      if (parsed.forbidden.size > 0) filter.forbiddenAggregates = parsed.forbidden;
    }
    if (query.resources !== undefined) {
      filter.resources = parseResources(query.resources);
      const unknown = [];
      for (const rc of filter.resources.keys()) if (!(await deps.catalog.classExists(rc))) unknown.push(rc);
      if (unknown.length > 0) throw badRequest(`Invalid resource class in resources parameter: No such resource class ${unknown.join(', ')}.`);
    }
    if (query.in_tree !== undefined) filter.inTree = parseInTree(query.in_tree);
    if (query.required !== undefined) {
      const parsed = parseRequired(values.get('required') ?? [], mv);
      const unknown = [];
      for (const t of traitsNamed(parsed)) if (!(await deps.catalog.traitExists(t))) unknown.push(t);
      if (unknown.length > 0) throw badRequest(`Invalid trait(s) in "required" parameter: No such trait(s): ${unknown.join(', ')}.`);
      filter.required = parsed.required;
      filter.forbidden = parsed.forbidden;
    }
    const found: ProviderState[] = [];
    forEachMatch(deps.model, filter, (p) => {
      found.push(p);
      return true;
    });
    cacheHeaders(reply, mv, latest(found));
    return { resource_providers: found.map((p) => providerBody(p, mv, deps.prefix)) };
  });

  app.post('/resource_providers', async (request, reply) => {
    authorize(deps, request, PlacementRule.providersCreate);
    const mv = versionOf(request);
    const body = validateCreate(request.body);
    if (body.parent_provider_uuid !== undefined && !atLeast(mv, 14)) throw badRequest("JSON does not validate: Additional properties are not allowed ('parent_provider_uuid' was unexpected)");
    const uuid = body.uuid === undefined ? deps.ids.uuid() : (normalizeUuid(body.uuid) as string);
    const parent = body.parent_provider_uuid === undefined || body.parent_provider_uuid === null ? null : (normalizeUuid(body.parent_provider_uuid) as string);
    const created = await deps.providers.create({ uuid, name: body.name, parentUuid: parent });
    reply.header('Location', `${deps.prefix}/resource_providers/${uuid}`);
    if (!atLeast(mv, 20)) return reply.status(201).send();
    cacheHeaders(reply, mv, lastModifiedOf(created));
    return reply.status(200).send(providerBody(created, mv, deps.prefix));
  });

  app.get<Params>('/resource_providers/:uuid', async (request, reply) => {
    authorize(deps, request, PlacementRule.providersShow);
    const mv = versionOf(request);
    const p = await deps.providers.get(providerUuidParam(request.params.uuid));
    cacheHeaders(reply, mv, lastModifiedOf(p));
    return providerBody(p, mv, deps.prefix);
  });

  app.put<Params>('/resource_providers/:uuid', async (request, reply) => {
    authorize(deps, request, PlacementRule.providersUpdate);
    const mv = versionOf(request);
    const uuid = providerUuidParam(request.params.uuid);
    await deps.providers.get(uuid);
    const body = validateUpdate(request.body);
    if (body.name === undefined) throw badRequest("JSON does not validate: 'name' is a required property");
    if (body.parent_provider_uuid !== undefined && !atLeast(mv, 14)) throw badRequest("JSON does not validate: Additional properties are not allowed ('parent_provider_uuid' was unexpected)");
    const parent = body.parent_provider_uuid === undefined ? undefined : body.parent_provider_uuid === null ? null : (normalizeUuid(body.parent_provider_uuid) as string);
    const updated = await deps.providers.update(uuid, {
      name: body.name,
      ...(parent === undefined ? {} : { parentUuid: parent }),
      allowReparenting: atLeast(mv, 37),
    });
    cacheHeaders(reply, mv, lastModifiedOf(updated));
    return providerBody(updated, mv, deps.prefix);
  });

  app.delete<Params>('/resource_providers/:uuid', async (request, reply) => {
    authorize(deps, request, PlacementRule.providersDelete);
    await deps.providers.delete(providerUuidParam(request.params.uuid));
    return reply.status(204).send();
  });
}

function latest(providers: readonly ProviderState[]): string | undefined {
  let out: string | undefined;
  for (const p of providers) {
    const t = lastModifiedOf(p);
    if (out === undefined || t > out) out = t;
  }
  return out;
}
