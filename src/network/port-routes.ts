import type { FastifyInstance } from 'fastify';
import { compileValidator } from '../api/validation/validator.js';
import { CreatePortBody, UpdatePortBody } from './network-request-schemas.js';
import { ListPortsQuery, ShowQuery } from './network-query-schemas.js';
import type { PortFilter } from './port-repo.js';
import type { PortOperations } from './port-operations.js';
import { boolFilter, pickFields, projectFilter, projectOf, requireBody, tagFilterOf } from './route-input.js';

const validateList = compileValidator(ListPortsQuery, 'query');
const validateShow = compileValidator(ShowQuery, 'query');
const validateCreate = compileValidator(CreatePortBody, 'body');
const validateUpdate = compileValidator(UpdatePortBody, 'body');

/** `/v2.0/ports`: list (Neutron's filters, `fields`), show, create, update, delete. */
export function registerPortRoutes(app: FastifyInstance, ports: PortOperations): void {
  app.get('/v2.0/ports', async (request) => {
    const q = validateList(request.query);
    const list = await ports.list(request.ctx, {
      id: q.id,
      name: q.name,
      description: q.description,
      network_id: q.network_id,
      project_id: projectFilter(q),
      device_id: q.device_id,
      device_owner: q.device_owner,
      mac_address: q.mac_address?.map((m) => m.toLowerCase()),
      status: q.status,
      admin_state_up: boolFilter(q.admin_state_up),
      host_id: q['binding:host_id'],
      vnic_type: q['binding:vnic_type'],
      fixed_ips: fixedIpsFilter(q.fixed_ips),
      tags: tagFilterOf(q),
    });
    return { ports: list.map((p) => pickFields(p, q.fields)) };
  });

  app.get<{ Params: { id: string } }>('/v2.0/ports/:id', async (request) => {
    const q = validateShow(request.query);
    return { port: pickFields(await ports.get(request.ctx, request.params.id), q.fields) };
  });

  app.post('/v2.0/ports', async (request, reply) => {
    const { port: body } = validateCreate(requireBody(request.body));
    const { tenant_id: _tenant, project_id: _project, network_id, ...values } = body;
    const port = await ports.create(request.ctx, {
      ...values,
      network_id: network_id.toLowerCase(),
      project_id: projectOf(body),
      'binding:profile': body['binding:profile'] ?? undefined,
      fixed_ips: body.fixed_ips?.map((ip) => ({ ...ip, subnet_id: ip.subnet_id?.toLowerCase() })),
    });
    return reply.status(201).send({ port });
  });

  app.put<{ Params: { id: string } }>('/v2.0/ports/:id', async (request) => {
    const { port: body } = validateUpdate(requireBody(request.body));
    return { port: await ports.update(request.ctx, request.params.id, body) };
  });

  app.delete<{ Params: { id: string } }>('/v2.0/ports/:id', async (request, reply) => {
    await ports.delete(request.ctx, request.params.id);
    return reply.status(204).send();
  });
}

/** `?fixed_ips=ip_address=10.0.0.5&fixed_ips=subnet_id=<id>`: ports with an address matching every part. */
function fixedIpsFilter(values: readonly string[] | undefined): PortFilter['fixed_ips'] {
  if (values === undefined) return undefined;
  const out: { ip_address?: string[]; subnet_id?: string[] } = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    const key = value.slice(0, eq) as 'ip_address' | 'subnet_id';
    (out[key] ??= []).push(value.slice(eq + 1));
  }
  return out;
}
