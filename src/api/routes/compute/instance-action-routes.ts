import type { TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ComputeApiDeps } from '../../../compute-api/compute-api-deps.js';
import { listInstanceActionsQuery, type InstanceActionListQuery } from '../../../compute-api/instance-actions/instance-action-schemas.js';
import { listInstanceActions } from '../../../compute-api/instance-actions/list-instance-actions.js';
import { showInstanceAction } from '../../../compute-api/instance-actions/show-instance-action.js';
import { baseUrl } from '../../base-url.js';
import { atLeast } from '../../microversion.js';
import { lastValues } from '../../validation/last-values.js';
import { compileValidator, type Validator } from '../../validation/validator.js';
import { instanceActionDetailView, instanceActionView } from '../../views/instance-action-view.js';
import { nextPageLinks } from '../../views/next-page-links.js';

// The list query changes at 2.58 (paging, changes-since, strict) and 2.66 (changes-before).
const listValidators: [number, Validator<TSchema>][] = [66, 58].map((minor) => [minor, compileValidator(listInstanceActionsQuery(minor), 'query')]);

type ServerParams = { Params: { id: string } };
type ActionParams = { Params: { id: string; requestId: string } };

/**
 * A server's instance actions (`/servers/{id}/os-instance-actions`): the list, newest first, and
 * one action with its events. From 2.21 a deleted server's actions are found too; from 2.58 the
 * list is paged (`limit`, `marker` = request id, `links`) and filtered by `changes-since`, and from
 * 2.66 by `changes-before`.
 */
export async function instanceActionRoutes(app: FastifyInstance, deps: ComputeApiDeps): Promise<void> {
  app.get<ServerParams>('/servers/:id/os-instance-actions', async (request) => {
    const mv = request.microversion;
    const paged = atLeast(mv, '2.58');
    const validate = listValidators.find(([from]) => mv.minor >= from)?.[1];
    // Before 2.58 any query is accepted and ignored, as in Nova.
    const query = paged && validate !== undefined ? (validate(request.query) as InstanceActionListQuery) : undefined;
    const list = await listInstanceActions(deps, request.ctx, request.params.id, {
      includeDeleted: atLeast(mv, '2.21'),
      ...(query === undefined ? {} : { query }),
    });
    const instanceActions = list.actions.map((a) => instanceActionView(mv, a));
    if (!paged || list.pageSize === undefined) return { instanceActions };
    const url = `${collectionRoot(request)}/servers/${request.params.id}/os-instance-actions`;
    const links = nextPageLinks(url, lastValues(request.query), list.actions.length, list.pageSize, list.actions[list.actions.length - 1]?.request_id);
    return links.length === 0 ? { instanceActions } : { instanceActions, links };
  });

  app.get<ActionParams>('/servers/:id/os-instance-actions/:requestId', async (request) => {
    const mv = request.microversion;
    const shown = await showInstanceAction(deps, request.ctx, request.params.id, request.params.requestId, { includeDeleted: atLeast(mv, '2.21') });
    return { instanceAction: instanceActionDetailView(mv, shown.action, shown.events, shown, shown.instance.project_id) };
  });
}

/** `http://host/compute/v2.1` (or `/v2`): the root the client used, for `next` links. */
function collectionRoot(request: FastifyRequest): string {
  const path = request.url.split('?')[0] ?? '';
  return `${baseUrl(request)}${path.replace(/\/servers\/.*$/, '')}`;
}
