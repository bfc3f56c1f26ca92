import type { FastifyInstance } from 'fastify';
import { compileValidator } from '../api/validation/validator.js';
import { CreateNetworkBody } from './network-request-schemas.js';
import { ListNetworksQuery, ShowQuery } from './network-query-schemas.js';
import type { NetworkOperations } from './network-operations.js';
import { boolFilter, pickFields, projectFilter, projectOf, requireBody, tagFilterOf } from './route-input.js';

const validateList = compileValidator(ListNetworksQuery, 'query');
const validateShow = compileValidator(ShowQuery, 'query');
const validateCreate = compileValidator(CreateNetworkBody, 'body');

/** `/v2.0/networks`: list (Neutron's filters, `fields`), show, create, delete. */
export function registerNetworkResourceRoutes(app: FastifyInstance, networks: NetworkOperations): void {
  app.get('/v2.0/networks', async (request) => {
    const q = validateList(request.query);
    const list = await networks.list(request.ctx, {
      id: q.id,
      name: q.name,
      description: q.description,
      status: q.status,
      project_id: projectFilter(q),
      mtu: q.mtu?.map(Number),
      shared: boolFilter(q.shared),
      admin_state_up: boolFilter(q.admin_state_up),
      router_external: boolFilter(q['router:external']),
      tags: tagFilterOf(q),
    });
    return { networks: list.map((n) => pickFields(n, q.fields)) };
  });

  app.get<{ Params: { id: string } }>('/v2.0/networks/:id', async (request) => {
    const q = validateShow(request.query);
    return { network: pickFields(await networks.get(request.ctx, request.params.id), q.fields) };
  });

  app.post('/v2.0/networks', async (request, reply) => {
    const { network: body } = validateCreate(requireBody(request.body));
    const { tenant_id: _tenant, project_id: _project, ...values } = body;
    const network = await networks.create(request.ctx, { ...values, project_id: projectOf(body) });
    return reply.status(201).send({ network });
  });

  app.delete<{ Params: { id: string } }>('/v2.0/networks/:id', async (request, reply) => {
    await networks.delete(request.ctx, request.params.id);
    return reply.status(204).send();
  });
}
