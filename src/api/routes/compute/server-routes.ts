import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ComputeApiDeps } from '../../../compute-api/compute-api-deps.js';
import { createServerBody, ServerName, type CreateServerRequest } from '../../../compute-api/servers/create-server-schema.js';
import { createServers } from '../../../compute-api/servers/create-server.js';
import { deleteServer } from '../../../compute-api/servers/delete-server.js';
import { listServers, type ServerListQuery } from '../../../compute-api/servers/list-servers.js';
import { showServer } from '../../../compute-api/servers/show-server.js';
import { updateServer, type ServerUpdate } from '../../../compute-api/servers/update-server.js';
import { BadRequestError } from '../../../common/errors.js';
import { baseUrl } from '../../base-url.js';
import { atLeast } from '../../microversion.js';
import { compileValidator, type Validator } from '../../validation/validator.js';
import { serverDetail, serverLinks, serverSummary } from '../../views/server-view.js';
import { serverViewContext } from './server-view-context.js';

const StringOrList = Type.Union([Type.String(), Type.Array(Type.String())]);
const TAG_FILTERS = ['tags', 'tags-any', 'not-tags', 'not-tags-any'] as const;
function listQuery(strict: boolean): TSchema {
  return Type.Object(
    {
      name: Type.Optional(Type.String()), status: Type.Optional(Type.String()), host: Type.Optional(Type.String()), node: Type.Optional(Type.String()),
      flavor: Type.Optional(Type.String()), image: Type.Optional(Type.String()), 'changes-since': Type.Optional(Type.String()),
      'changes-before': Type.Optional(Type.String()), all_tenants: Type.Optional(Type.String()), project_id: Type.Optional(Type.String()),
      tenant_id: Type.Optional(Type.String()), user_id: Type.Optional(Type.String()), availability_zone: Type.Optional(Type.String()),
      reservation_id: Type.Optional(Type.String()), deleted: Type.Optional(Type.String()), soft_deleted: Type.Optional(Type.String()), ip: Type.Optional(Type.String()),
      ip6: Type.Optional(Type.String()), tags: Type.Optional(Type.String()), 'tags-any': Type.Optional(Type.String()),
      'not-tags': Type.Optional(Type.String()), 'not-tags-any': Type.Optional(Type.String()), locked: Type.Optional(Type.String()),
      limit: Type.Optional(Type.Integer({ minimum: 0 })), marker: Type.Optional(Type.String()),
      sort_key: Type.Optional(StringOrList), sort_dir: Type.Optional(StringOrList),
    },
    { additionalProperties: !strict },
  );
}
// Unknown query parameters are ignored before 2.75 and refused from 2.75 on, as in Nova.
const validateListLoose = compileValidator(listQuery(false), 'query');
const validateListStrict = compileValidator(listQuery(true), 'query');

const createValidators = new Map<number, Validator<TSchema>>();
function validateCreate(minor: number, body: unknown): CreateServerRequest {
  let v = createValidators.get(minor);
  if (v === undefined) {
    v = compileValidator(createServerBody(minor), 'body');
    createValidators.set(minor, v);
  }
  return v(body) as CreateServerRequest;
}

function updateBody(minor: number): TSchema {
  const props: Record<string, TSchema> = {
    name: Type.Optional(ServerName),
    accessIPv4: Type.Optional(Type.String({ format: 'ipv4' })),
    accessIPv6: Type.Optional(Type.String({ format: 'ipv6' })),
    'OS-DCF:diskConfig': Type.Optional(Type.String()),
  };
  if (minor >= 19) props['description'] = Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()]));
  return Type.Object({ server: Type.Object(props, { additionalProperties: false }) }, { additionalProperties: false });
}
const validateUpdate19 = compileValidator(updateBody(19), 'body');
const validateUpdate1 = compileValidator(updateBody(1), 'body');

/** POST/GET /servers, GET /servers/detail, GET/PUT/DELETE /servers/{id}. */
export async function serverRoutes(app: FastifyInstance, deps: ComputeApiDeps): Promise<void> {
  app.post('/servers', async (request, reply) => {
    const mv = request.microversion;
    const body = validateCreate(mv.minor, request.body);
    const created = await createServers(deps, request.ctx, body);
    const wantsReservation = body.server.return_reservation_id === true || body.server.return_reservation_id === 'True' || body.server.return_reservation_id === 'true';
    if (wantsReservation) return reply.status(202).send({ reservation_id: created.reservationId });
    const id = created.uuids[0] as string;
    const v = { computeRoot: `${baseUrl(request)}/compute`, version: request.url.startsWith('/compute/v2/') ? 'v2' : 'v2.1' };
    reply.header('Location', `${v.computeRoot}/${v.version}/servers/${id}`);
    return reply.status(202).send({
      server: {
        id,
        links: serverLinks({ ...v, mv, showExtended: false, showHostStatus: false, hostStatus: () => '', isAdmin: false, showExtraSpecs: false }, id),
        'OS-DCF:diskConfig': 'MANUAL',
        security_groups: [{ name: 'default' }],
        adminPass: created.adminPass,
      },
    });
  });

  for (const detail of [false, true]) {
    app.get(detail ? '/servers/detail' : '/servers', async (request) => {
      const strict = atLeast(request.microversion, '2.75');
      const q = (strict ? validateListStrict : validateListLoose)(request.query) as ServerListQuery;
      // The tag filters exist from 2.26 on; before that they are ignored like any unknown filter.
      if (!atLeast(request.microversion, '2.26')) for (const key of TAG_FILTERS) delete q[key];
      const rows = await listServers(deps, request.ctx, q, detail);
      const v = await serverViewContext(deps, request, detail ? rows.map((r) => r.instance.host) : []);
      const servers = rows.map((r) => (detail ? serverDetail(v, r.instance, r.fault, r.tags, r.devices) : serverSummary(v, r.instance)));
      const body: Record<string, unknown> = { servers };
      const limit = q.limit ?? deps.config.api.max_limit;
      const last = rows[rows.length - 1];
      if (last !== undefined && rows.length >= Math.min(limit, deps.config.api.max_limit)) {
        const params = new URLSearchParams();
        for (const [k, v] of Object.entries(request.query as Record<string, string | string[]>)) {
          if (k !== 'marker') for (const one of ([] as string[]).concat(v)) params.append(k, one);
        }
        params.set('marker', last.instance.uuid);
        body['servers_links'] = [{ rel: 'next', href: `${v.computeRoot}/${v.version}/servers${detail ? '/detail' : ''}?${params.toString()}` }];
      }
      return body;
    });
  }

  app.get('/servers/:id', async (request) => {
    const { id } = request.params as { id: string };
    const { instance, fault, tags, devices } = await showServer(deps, request.ctx, id);
    return { server: serverDetail(await serverViewContext(deps, request, [instance.host]), instance, fault, tags, devices) };
  });

  app.put('/servers/:id', async (request) => {
    const { id } = request.params as { id: string };
    const body = (request.microversion.minor >= 19 ? validateUpdate19 : validateUpdate1)(request.body) as { server: ServerUpdate };
    if (Object.keys(body.server).length === 0) throw new BadRequestError('api.invalid_input', 'Invalid input: the server body is empty.');
    const { instance, tags, devices } = await updateServer(deps, request.ctx, id, body.server);
    return { server: serverDetail(await serverViewContext(deps, request, [instance.host]), instance, undefined, tags, devices) };
  });

  app.delete('/servers/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    await deleteServer(deps, request.ctx, id);
    return reply.status(204).send();
  });
}
