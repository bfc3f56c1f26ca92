import type { FastifyInstance } from 'fastify';
import type { ProviderState } from '../model/provider-state.js';
import { PlacementRule } from '../placement-policy-rules.js';
import { atLeast } from './placement-microversion.js';
import { bodyValidator, normalizeUuid } from './placement-input.js';
import { AggregatesBodyV1_1, AggregatesBodyV1_19, ProviderTraitsBody } from './placement-schemas.js';
import { authorize, cacheHeaders, lastModifiedOf, providerUuidParam, requireVersion, versionOf, type PlacementRouteDeps } from './route-support.js';

const validateAggregatesOld = bodyValidator(AggregatesBodyV1_1);
const validateAggregates = bodyValidator(AggregatesBodyV1_19);
const validateTraits = bodyValidator(ProviderTraitsBody);

type Params = { Params: { uuid: string } };

/** What hangs on one provider besides inventories: aggregates, traits, usages and allocations. */
export function registerProviderLinkRoutes(app: FastifyInstance, deps: PlacementRouteDeps): void {
  app.get<Params>('/resource_providers/:uuid/aggregates', async (request, reply) => {
    requireVersion(request, 1);
    authorize(deps, request, PlacementRule.aggregatesList);
    const p = await deps.providers.get(providerUuidParam(request.params.uuid));
    cacheHeaders(reply, versionOf(request), lastModifiedOf(p));
    return aggregatesBody(p, atLeast(versionOf(request), 19));
  });

  app.put<Params>('/resource_providers/:uuid/aggregates', async (request, reply) => {
    requireVersion(request, 1);
    authorize(deps, request, PlacementRule.aggregatesUpdate);
    const uuid = providerUuidParam(request.params.uuid);
    await deps.providers.get(uuid);
    const withGeneration = atLeast(versionOf(request), 19);
    const body = withGeneration ? validateAggregates(request.body) : { aggregates: validateAggregatesOld(request.body), resource_provider_generation: undefined };
    const aggregates = [...new Set(body.aggregates.map((a) => normalizeUuid(a) as string))];
    const p = await deps.providers.setAggregates(uuid, body.resource_provider_generation, aggregates);
    cacheHeaders(reply, versionOf(request), lastModifiedOf(p));
    return aggregatesBody(p, withGeneration);
  });

  app.get<Params>('/resource_providers/:uuid/traits', async (request, reply) => {
    requireVersion(request, 6);
    authorize(deps, request, PlacementRule.providerTraitsList);
    const p = await deps.providers.get(providerUuidParam(request.params.uuid));
    cacheHeaders(reply, versionOf(request), lastModifiedOf(p));
    return { traits: [...p.traitList], resource_provider_generation: p.generation };
  });

  app.put<Params>('/resource_providers/:uuid/traits', async (request, reply) => {
    requireVersion(request, 6);
    authorize(deps, request, PlacementRule.providerTraitsUpdate);
    const uuid = providerUuidParam(request.params.uuid);
    await deps.providers.get(uuid);
    const body = validateTraits(request.body);
    const p = await deps.providers.setTraits(uuid, body.resource_provider_generation, [...new Set(body.traits)]);
    cacheHeaders(reply, versionOf(request), lastModifiedOf(p));
    return { traits: [...p.traitList], resource_provider_generation: p.generation };
  });

  app.delete<Params>('/resource_providers/:uuid/traits', async (request, reply) => {
    requireVersion(request, 6);
    authorize(deps, request, PlacementRule.providerTraitsDelete);
    const uuid = providerUuidParam(request.params.uuid);
    await deps.providers.get(uuid);
    await deps.providers.setTraits(uuid, undefined, []);
    return reply.status(204).send();
  });

  app.get<Params>('/resource_providers/:uuid/usages', async (request, reply) => {
    authorize(deps, request, PlacementRule.providerUsages);
    const p = await deps.providers.get(providerUuidParam(request.params.uuid));
    cacheHeaders(reply, versionOf(request));
    return { usages: Object.fromEntries([...p.resources].map(([rc, r]) => [rc, r.used])), resource_provider_generation: p.generation };
  });

  app.get<Params>('/resource_providers/:uuid/allocations', async (request, reply) => {
    authorize(deps, request, PlacementRule.providerAllocationsList);
    const mv = versionOf(request);
    const uuid = providerUuidParam(request.params.uuid);
    const p = await deps.providers.get(uuid);
    const allocations = await deps.allocations.provider(uuid);
    const showGeneration = atLeast(mv, 28);
    const out: Record<string, unknown> = {};
    for (const [consumer, a] of Object.entries(allocations)) out[consumer] = showGeneration ? a : { resources: a.resources };
    cacheHeaders(reply, mv);
    return { allocations: out, resource_provider_generation: p.generation };
  });
}

function aggregatesBody(p: ProviderState, withGeneration: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = { aggregates: [...p.aggregates] };
  if (withGeneration) body['resource_provider_generation'] = p.generation;
  return body;
}

