import type { FastifyInstance } from 'fastify';
import { compileValidator } from '../api/validation/validator.js';
import { CreatePortBindingBody } from './network-request-schemas.js';
import type { PortBindingOperations } from './port-binding-operations.js';
import { requireBody } from './route-input.js';

const validateCreate = compileValidator(CreatePortBindingBody, 'body');

type BindingParams = { Params: { id: string; host: string } };

/** Neutron's extended port-binding API under `/v2.0/ports/{id}/bindings`. */
export function registerPortBindingRoutes(app: FastifyInstance, bindings: PortBindingOperations): void {
  app.get<{ Params: { id: string } }>('/v2.0/ports/:id/bindings', async (request) => {
    return { bindings: await bindings.list(request.ctx, request.params.id) };
  });

  app.post<{ Params: { id: string } }>('/v2.0/ports/:id/bindings', async (request, reply) => {
    const { binding } = validateCreate(requireBody(request.body));
    return reply.status(201).send({ binding: await bindings.create(request.ctx, request.params.id, binding) });
  });

  app.get<BindingParams>('/v2.0/ports/:id/bindings/:host', async (request) => {
    return { binding: await bindings.get(request.ctx, request.params.id, request.params.host) };
  });

  // Nova sends no body, or an empty one.
  app.put<BindingParams>('/v2.0/ports/:id/bindings/:host/activate', async (request) => {
    return { binding: await bindings.activate(request.ctx, request.params.id, request.params.host) };
  });

  app.delete<BindingParams>('/v2.0/ports/:id/bindings/:host', async (request, reply) => {
    await bindings.delete(request.ctx, request.params.id, request.params.host);
    return reply.status(204).send();
  });
}
