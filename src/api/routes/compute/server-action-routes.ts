import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ComputeApiDeps } from '../../../compute-api/compute-api-deps.js';
import { rebootServer, startServer, stopServer } from '../../../compute-api/servers/power-actions.js';
import { BadRequestError } from '../../../common/errors.js';
import type { RequestContext } from '../../../common/request-context.js';
import { compileValidator } from '../../validation/validator.js';

const validateReboot = compileValidator(
  Type.Object({ reboot: Type.Object({ type: Type.Union(['HARD', 'Hard', 'hard', 'SOFT', 'Soft', 'soft'].map((t) => Type.Literal(t))) }, { additionalProperties: false }) }, { additionalProperties: false }),
  'body',
);
const validateNull = (key: string) => compileValidator(Type.Object({ [key]: Type.Null() }, { additionalProperties: false }), 'body');
const validateStop = validateNull('os-stop');
const validateStart = validateNull('os-start');

type ActionHandler = (deps: ComputeApiDeps, ctx: RequestContext, id: string, body: unknown) => Promise<void>;

const ACTIONS: Record<string, ActionHandler> = {
  'os-stop': async (deps, ctx, id, body) => {
    validateStop(body);
    await stopServer(deps, ctx, id);
  },
  'os-start': async (deps, ctx, id, body) => {
    validateStart(body);
    await startServer(deps, ctx, id);
  },
  reboot: async (deps, ctx, id, body) => {
    const b = validateReboot(body) as { reboot: { type: string } };
    await rebootServer(deps, ctx, id, b.reboot.type);
  },
};

/** POST /servers/{id}/action: one action per body, named by its only key. */
export async function serverActionRoutes(app: FastifyInstance, deps: ComputeApiDeps): Promise<void> {
  app.post('/servers/:id/action', async (request, reply) => {
    const { id } = request.params as { id: string };
    const body = request.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body) || Object.keys(body).length !== 1) {
      throw new BadRequestError('api.invalid_action', 'The action body must be an object with exactly one action.');
    }
    const name = Object.keys(body)[0] as string;
    const handler = ACTIONS[name];
    if (handler === undefined) throw new BadRequestError('api.unknown_action', `There is no such action: ${name}`);
    await handler(deps, request.ctx, id, body);
    return reply.status(202).send();
  });
}
