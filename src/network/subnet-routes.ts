import type { FastifyInstance } from 'fastify';
import { compileValidator } from '../api/validation/validator.js';
import { CreateSubnetBody } from './network-request-schemas.js';
import { ListSubnetsQuery, ShowQuery } from './network-query-schemas.js';
import { boolFilter, pickFields, projectFilter, projectOf, requireBody, tagFilterOf } from './route-input.js';
import type { SubnetOperations } from './subnet-operations.js';

const validateList = compileValidator(ListSubnetsQuery, 'query');
const validateShow = compileValidator(ShowQuery, 'query');
const validateCreate = compileValidator(CreateSubnetBody, 'body');

/** `/v2.0/subnets`: list (Neutron's filters, `fields`), show, create, delete. */
export function registerSubnetRoutes(app: FastifyInstance, subnets: SubnetOperations): void {
  app.get('/v2.0/subnets', async (request) => {
    const q = validateList(request.query);
    const list = await subnets.list(request.ctx, {
      id: q.id,
      name: q.name,
      description: q.description,
      network_id: q.network_id,
      project_id: projectFilter(q),
      cidr: q.cidr,
      gateway_ip: q.gateway_ip,
      ip_version: q.ip_version?.map(Number),
      enable_dhcp: boolFilter(q.enable_dhcp),
      tags: tagFilterOf(q),
    });
    return { subnets: list.map((s) => pickFields(s, q.fields)) };
  });

  app.get<{ Params: { id: string } }>('/v2.0/subnets/:id', async (request) => {
    const q = validateShow(request.query);
    return { subnet: pickFields(await subnets.get(request.ctx, request.params.id), q.fields) };
  });

  app.post('/v2.0/subnets', async (request, reply) => {
    const { subnet: body } = validateCreate(requireBody(request.body));
    const { tenant_id: _tenant, project_id: _project, host_routes: _routes, network_id, ...values } = body;
    const subnet = await subnets.create(request.ctx, { ...values, network_id: network_id.toLowerCase(), project_id: projectOf(body) });
    return reply.status(201).send({ subnet });
  });

  app.delete<{ Params: { id: string } }>('/v2.0/subnets/:id', async (request, reply) => {
    await subnets.delete(request.ctx, request.params.id);
    return reply.status(204).send();
  });
}
