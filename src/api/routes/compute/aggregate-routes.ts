import type { FastifyInstance } from 'fastify';
import { addAggregateHost, removeAggregateHost } from '../../../compute-api/aggregates/aggregate-hosts.js';
import {
  AddHostBody,
  AGGREGATE_ACTIONS,
  CreateAggregateBody,
  RemoveHostBody,
  SetMetadataBody,
  UpdateAggregateBody,
  type AggregateAction,
  type SetMetadataRequest,
} from '../../../compute-api/aggregates/aggregate-schemas.js';
import { createAggregate } from '../../../compute-api/aggregates/create-aggregate.js';
import { deleteAggregate } from '../../../compute-api/aggregates/delete-aggregate.js';
import { listAggregates, showAggregate } from '../../../compute-api/aggregates/list-aggregates.js';
import { setAggregateMetadata, updateAggregate } from '../../../compute-api/aggregates/update-aggregate.js';
import type { ComputeApiDeps } from '../../../compute-api/compute-api-deps.js';
import { BadRequestError } from '../../../common/errors.js';
import { compileValidator } from '../../validation/validator.js';
import { aggregateView } from '../../views/aggregate-view.js';

const validateCreate = compileValidator(CreateAggregateBody, 'body');
const validateUpdate = compileValidator(UpdateAggregateBody, 'body');
const validateAddHost = compileValidator(AddHostBody, 'body');
const validateRemoveHost = compileValidator(RemoveHostBody, 'body');
const validateSetMetadata = compileValidator(SetMetadataBody, 'body');

type IdParams = { Params: { id: string } };

/**
 * Host aggregates (`/os-aggregates`): list, create, show, update, delete, and the `add_host`,
 * `remove_host` and `set_metadata` actions. Aggregates are addressed by integer id, as in Nova.
 */
export async function aggregateRoutes(app: FastifyInstance, deps: ComputeApiDeps): Promise<void> {
  app.get('/os-aggregates', async (request) => ({
    aggregates: (await listAggregates(deps, request.ctx)).map((a) => aggregateView(request.microversion, a)),
  }));

  // Nova answers 200, not 201, and leaves hosts and metadata out of this one response.
  app.post('/os-aggregates', async (request) => {
    const body = validateCreate(request.body);
    const aggregate = await createAggregate(deps, request.ctx, body);
    return { aggregate: aggregateView(request.microversion, aggregate, { withMembers: false }) };
  });

  app.get<IdParams>('/os-aggregates/:id', async (request) => ({
    aggregate: aggregateView(request.microversion, await showAggregate(deps, request.ctx, request.params.id)),
  }));

  app.put<IdParams>('/os-aggregates/:id', async (request) => {
    const body = validateUpdate(request.body);
    return { aggregate: aggregateView(request.microversion, await updateAggregate(deps, request.ctx, request.params.id, body)) };
  });

  // 200 with an empty body, as Nova.
  app.delete<IdParams>('/os-aggregates/:id', async (request, reply) => {
    await deleteAggregate(deps, request.ctx, request.params.id);
    return reply.status(200).send();
  });

  // The SDK sends these actions without a microversion header, so they must work at 2.1.
  app.post<IdParams>('/os-aggregates/:id/action', async (request) => {
    const id = request.params.id;
    const ctx = request.ctx;
    let aggregate;
    switch (actionOf(request.body)) {
      case 'add_host':
        aggregate = await addAggregateHost(deps, ctx, id, validateAddHost(request.body).add_host.host);
        break;
      case 'remove_host':
        aggregate = await removeAggregateHost(deps, ctx, id, validateRemoveHost(request.body).remove_host.host);
        break;
      case 'set_metadata':
        aggregate = await setAggregateMetadata(deps, ctx, id, validateSetMetadata(request.body) as SetMetadataRequest);
        break;
    }
    return { aggregate: aggregateView(request.microversion, aggregate) };
  });
}

/** Which action a body asks for: its one key, as Nova dispatches actions. */
function actionOf(body: unknown): AggregateAction {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new BadRequestError('api.malformed_body', 'Malformed request body');
  const keys = Object.keys(body);
  const action = AGGREGATE_ACTIONS.find((a) => keys.includes(a));
  if (action === undefined) throw new BadRequestError('compute.unknown_action', `There is no such action: ${keys[0] ?? ''}`);
  return action;
}
