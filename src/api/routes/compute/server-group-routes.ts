import type { TSchema } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ComputeApiDeps } from '../../../compute-api/compute-api-deps.js';
import { createServerGroup } from '../../../compute-api/server-groups/create-server-group.js';
import { listServerGroups } from '../../../compute-api/server-groups/list-server-groups.js';
import { deleteServerGroup, showServerGroup } from '../../../compute-api/server-groups/server-group-access.js';
import {
  createServerGroupBody,
  serverGroupListQuery,
  type CreateServerGroupRequest,
  type ServerGroupListQuery,
} from '../../../compute-api/server-groups/server-group-schemas.js';
import { atLeast } from '../../microversion.js';
import { compileValidator, type Validator } from '../../validation/validator.js';
import { serverGroupView } from '../../views/server-group-view.js';
import { lastValues } from '../../validation/last-values.js';

// The create body changes at 2.15 (soft policies) and 2.64 (policy and rules).
const validateCreate1 = compileValidator(createServerGroupBody(1), 'body');
const validateCreate15 = compileValidator(createServerGroupBody(15), 'body');
const validateCreate64 = compileValidator(createServerGroupBody(64), 'body');
const validateListLoose = compileValidator(serverGroupListQuery(false), 'query');
const validateListStrict = compileValidator(serverGroupListQuery(true), 'query');

function createValidator(minor: number): Validator<TSchema> {
  return minor >= 64 ? validateCreate64 : minor >= 15 ? validateCreate15 : validateCreate1;
}

type IdParams = { Params: { id: string } };

/** Server groups (`/os-server-groups`): list, create, show with members, delete. */
export async function serverGroupRoutes(app: FastifyInstance, deps: ComputeApiDeps): Promise<void> {
  app.get('/os-server-groups', async (request) => {
    const mv = request.microversion;
    const query = (atLeast(mv, '2.75') ? validateListStrict : validateListLoose)(lastValues(request.query)) as ServerGroupListQuery;
    const groups = await listServerGroups(deps, request.ctx, query);
    return { server_groups: groups.map((g) => serverGroupView(mv, g)) };
  });

  // Nova answers 200, not 201.
  app.post('/os-server-groups', async (request) => {
    const mv = request.microversion;
    const body = createValidator(mv.minor)(request.body) as CreateServerGroupRequest;
    return { server_group: serverGroupView(mv, await createServerGroup(deps, request.ctx, body)) };
  });

  app.get<IdParams>('/os-server-groups/:id', async (request) => ({
    server_group: serverGroupView(request.microversion, await showServerGroup(deps, request.ctx, request.params.id)),
  }));

  app.delete<IdParams>('/os-server-groups/:id', async (request, reply) => {
    await deleteServerGroup(deps, request.ctx, request.params.id);
    return reply.status(204).send();
  });
}
