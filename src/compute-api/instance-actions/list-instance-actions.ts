import { BadRequestError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { InstanceActionQuery } from '../../db/cell/instance-action-repo.js';
import type { Instance } from '../../objects/instance.js';
import type { InstanceAction } from '../../objects/instance-action.js';
import { changesWindow } from '../changes-window.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { pageLimit } from '../page-limit.js';
import { locateInstance } from '../servers/instance-locator.js';
import type { InstanceActionListQuery } from './instance-action-schemas.js';

export interface ListInstanceActionsOptions {
  /** Also a deleted server's (2.21+). */
  includeDeleted: boolean;
  /** The paging and time filters of 2.58+; without them, every action. */
  query?: InstanceActionListQuery;
}

export interface InstanceActionList {
  instance: Instance;
  actions: InstanceAction[];
  /** The page size asked for (capped at max_limit) when the list was paged, for the next link. */
  pageSize?: number;
}

/**
 * The actions of a server, newest first: policy `os-instance-actions:list` on the server's project
 * (another project's server is a 404 before that, as everywhere). A server still being scheduled
 * has no cell and so no actions yet. A marker is a request id of this server's actions; an
 * unknown one is a 400, as in Nova.
 */
export async function listInstanceActions(deps: ComputeApiDeps, ctx: RequestContext, uuid: string, options: ListInstanceActionsOptions): Promise<InstanceActionList> {
  const located = await locateInstance(deps, ctx, uuid, { includeDeleted: options.includeDeleted });
  const { instance } = located;
  deps.policy.authorize('os_compute_api:os-instance-actions:list', ctx, { project_id: instance.project_id });
  const q = options.query;
  const query: InstanceActionQuery = q === undefined ? {} : { ...changesWindow(q), limit: pageLimit(q.limit, deps.config.api.max_limit) };
  if (located.kind !== 'cell') return { instance, actions: [], ...(query.limit === undefined ? {} : { pageSize: query.limit }) };
  if (q?.marker !== undefined) {
    const marker = await located.repos.actions.findByRequestId(uuid, q.marker);
    if (marker === undefined) throw new BadRequestError('compute.marker_not_found', `Marker ${q.marker} could not be found.`);
    query.marker = marker;
  }
  const actions = await located.repos.actions.list(uuid, query);
  return { instance, actions, ...(query.limit === undefined ? {} : { pageSize: query.limit }) };
}
