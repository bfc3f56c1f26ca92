import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ComputeApiDeps } from '../../../compute-api/compute-api-deps.js';
import { createImage, type CreateImageRequest } from '../../../compute-api/servers/create-image.js';
import { ServerName } from '../../../compute-api/servers/create-server-schema.js';
import { confirmResize, revertResize } from '../../../compute-api/servers/finish-move.js';
import { migrateServer, resizeServer } from '../../../compute-api/servers/move-server.js';
import { forceDeleteServer } from '../../../compute-api/servers/force-delete-server.js';
import { rebootServer, startServer, stopServer } from '../../../compute-api/servers/power-actions.js';
import { restoreServer } from '../../../compute-api/servers/restore-server.js';
import { BadRequestError } from '../../../common/errors.js';
import { baseUrl } from '../../base-url.js';
import { atLeast } from '../../microversion.js';
import { compileValidator } from '../../validation/validator.js';

const validateReboot = compileValidator(
  Type.Object({ reboot: Type.Object({ type: Type.Union(['HARD', 'Hard', 'hard', 'SOFT', 'Soft', 'soft'].map((t) => Type.Literal(t))) }, { additionalProperties: false }) }, { additionalProperties: false }),
  'body',
);
const validateNull = (key: string) => compileValidator(Type.Object({ [key]: Type.Null() }, { additionalProperties: false }), 'body');
const validateStop = validateNull('os-stop');
const validateStart = validateNull('os-start');
const validateRestore = validateNull('restore');
const validateForceDelete = validateNull('forceDelete');
// Nova's parameter_types.metadata: keys of letters, digits and -_:. and spaces.
const ImageMetadata = Type.Record(Type.String({ pattern: '^[a-zA-Z0-9-_:. ]{1,255}$' }), Type.String({ maxLength: 255 }), { additionalProperties: false });
const validateCreateImage = compileValidator(
  Type.Object(
    { createImage: Type.Object({ name: ServerName, metadata: Type.Optional(ImageMetadata) }, { additionalProperties: false }) },
    { additionalProperties: false },
  ),
  'body',
);

const validateResize = compileValidator(
  Type.Object(
    {
      resize: Type.Object(
        {
          flavorRef: Type.Union([Type.String({ minLength: 1, maxLength: 255 }), Type.Integer({ minimum: 0 })]),
          'OS-DCF:diskConfig': Type.Optional(Type.Union([Type.Literal('AUTO'), Type.Literal('MANUAL')])),
        },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false },
  ),
  'body',
);
const validateMigrate = validateNull('migrate');
// 2.56: an optional target host (Nova's fqdn parameter: letters, digits, dots, dashes, underscores).
const validateMigrateHost = compileValidator(
  Type.Object(
    {
      migrate: Type.Union([
        Type.Null(),
        Type.Object({ host: Type.Optional(Type.Union([Type.Null(), Type.String({ minLength: 1, maxLength: 255, pattern: '^[a-zA-Z0-9._-]+$' })])) }, { additionalProperties: false }),
      ]),
    },
    { additionalProperties: false },
  ),
  'body',
);
const validateConfirmResize = validateNull('confirmResize');
const validateRevertResize = validateNull('revertResize');

/** What an action answers besides its status (202 unless it says): a body, and headers. */
interface ActionReply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type ActionHandler = (deps: ComputeApiDeps, request: FastifyRequest, id: string, body: unknown) => Promise<ActionReply | void>;

const ACTIONS: Record<string, ActionHandler> = {
  'os-stop': async (deps, request, id, body) => {
    validateStop(body);
    await stopServer(deps, request.ctx, id);
  },
  'os-start': async (deps, request, id, body) => {
    validateStart(body);
    await startServer(deps, request.ctx, id);
  },
  reboot: async (deps, request, id, body) => {
    const b = validateReboot(body) as { reboot: { type: string } };
    await rebootServer(deps, request.ctx, id, b.reboot.type);
  },
  resize: async (deps, request, id, body) => {
    const b = validateResize(body) as { resize: { flavorRef: string | number } };
    await resizeServer(deps, request.ctx, id, String(b.resize.flavorRef));
  },
  migrate: async (deps, request, id, body) => {
    if (!atLeast(request.microversion, '2.56')) {
      validateMigrate(body);
      await migrateServer(deps, request.ctx, id, null);
      return;
    }
    const b = validateMigrateHost(body) as { migrate: { host?: string | null } | null };
    await migrateServer(deps, request.ctx, id, b.migrate?.host ?? null);
  },
  // Nova answers a confirm with 204, a revert with 202.
  confirmResize: async (deps, request, id, body) => {
    validateConfirmResize(body);
    await confirmResize(deps, request.ctx, id);
    return { status: 204 };
  },
  revertResize: async (deps, request, id, body) => {
    validateRevertResize(body);
    await revertResize(deps, request.ctx, id);
  },
  // From 2.45 the image id is in the body; before, only in the Location header (as Nova's).
  createImage: async (deps, request, id, body) => {
    const b = validateCreateImage(body) as { createImage: CreateImageRequest };
    const { imageId } = await createImage(deps, request.ctx, id, b.createImage, request.microversion.minor);
    if (atLeast(request.microversion, '2.45')) return { body: { image_id: imageId } };
    return { headers: { Location: `${baseUrl(request)}/image/v2/images/${imageId}` } };
  },
  // os-deferred-delete: servers soft-deleted under reclaim_instance_interval.
  restore: async (deps, request, id, body) => {
    validateRestore(body);
    await restoreServer(deps, request.ctx, id);
  },
  forceDelete: async (deps, request, id, body) => {
    validateForceDelete(body);
    await forceDeleteServer(deps, request.ctx, id);
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
    const result = await handler(deps, request, id, body);
    for (const [key, value] of Object.entries(result?.headers ?? {})) reply.header(key, value);
    return reply.status(result?.status ?? 202).send(result?.body);
  });
}
