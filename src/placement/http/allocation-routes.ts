import type { FastifyInstance } from 'fastify';
import { PlacementRule } from '../placement-policy-rules.js';
import { badRequest } from '../placement-errors.js';
import { atLeast } from './placement-microversion.js';
import { normalizeUuid, queryValidator, queryValues } from './placement-input.js';
import { parseConsumerBody, parseMultiBody } from './allocation-body.js';
import { UsagesQuery } from './placement-schemas.js';
import { authorize, cacheHeaders, refuseUnknownParams, requireVersion, versionOf, type PlacementRouteDeps } from './route-support.js';

const validateUsages = queryValidator(UsagesQuery);

type Consumer = { Params: { consumer: string } };

/** Allocations by consumer (GET/PUT/DELETE), several consumers at once (POST), usages per project. */
export function registerAllocationRoutes(app: FastifyInstance, deps: PlacementRouteDeps): void {
  app.get<Consumer>('/allocations/:consumer', async (request, reply) => {
    authorize(deps, request, PlacementRule.allocationsList);
    const mv = versionOf(request);
    const view = await deps.allocations.consumer(normalizeUuid(request.params.consumer) ?? request.params.consumer);
    const body: Record<string, unknown> = { allocations: view.allocations };
    if (view.consumer !== undefined && atLeast(mv, 12)) {
      body['project_id'] = view.consumer.project_id;
      body['user_id'] = view.consumer.user_id;
      if (atLeast(mv, 28)) body['consumer_generation'] = view.consumer.generation;
      if (atLeast(mv, 38)) body['consumer_type'] = view.consumer.consumer_type;
    }
    cacheHeaders(reply, mv);
    return body;
  });

  app.put<Consumer>('/allocations/:consumer', async (request, reply) => {
    authorize(deps, request, PlacementRule.allocationsUpdate);
    const consumer = normalizeUuid(request.params.consumer);
    if (consumer === undefined) throw badRequest(`Malformed consumer_uuid: ${request.params.consumer}`);
    await deps.allocations.write([parseConsumerBody(consumer, request.body, versionOf(request))]);
    return reply.status(204).send();
  });

  app.delete<Consumer>('/allocations/:consumer', async (request, reply) => {
    authorize(deps, request, PlacementRule.allocationsDelete);
    await deps.allocations.deleteConsumer(normalizeUuid(request.params.consumer) ?? request.params.consumer);
    return reply.status(204).send();
  });

  app.post('/allocations', async (request, reply) => {
    requireVersion(request, 13);
    authorize(deps, request, PlacementRule.allocationsManage);
    await deps.allocations.write(parseMultiBody(request.body, versionOf(request)));
    return reply.status(204).send();
  });

  app.get('/usages', async (request, reply) => {
    requireVersion(request, 9);
    const mv = versionOf(request);
    const values = queryValues(request);
    refuseUnknownParams(values, { consumer_type: 38 }, mv);
    const query = validateUsages(values);
    authorize(deps, request, PlacementRule.usages, { project_id: query.project_id });
    const usages = await deps.allocations.projectUsages(query.project_id, query.user_id);
    cacheHeaders(reply, mv);
    if (!atLeast(mv, 38)) return { usages: usages.total };
    const type = query.consumer_type;
    if (type === 'all') {
      const count = Object.values(usages.byConsumerType).reduce((n, u) => n + u.consumer_count, 0);
      return { usages: { all: { ...usages.total, consumer_count: count } } };
    }
    if (type !== undefined) {
      const only = usages.byConsumerType[type];
      return { usages: only === undefined ? {} : { [type]: only } };
    }
    return { usages: usages.byConsumerType };
  });
}
