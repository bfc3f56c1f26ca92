import { NotFoundError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { Instance } from '../../objects/instance.js';
import type { InstanceAction, InstanceActionEvent } from '../../objects/instance-action.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { locateInstance } from '../servers/instance-locator.js';

/** One action with its events, and what the caller may see of the events. */
export interface ShownInstanceAction {
  instance: Instance;
  action: InstanceAction;
  events: InstanceActionEvent[];
  /**
   * Policy `os-instance-actions:events` passed (admins by default): the events at every
   * microversion, with traceback, and their host from 2.62. Otherwise the events are shown from
   * 2.51 on, without either.
   */
  fullEvents: boolean;
  /** Policy `os-instance-actions:events:details` passed (admins by default): `details` from 2.84. */
  eventDetails: boolean;
}

/**
 * One action of a server by its request id, under policy `os-instance-actions:show` on the
 * server's project; a request id with no action on this server is a 404.
 */
export async function showInstanceAction(deps: ComputeApiDeps, ctx: RequestContext, uuid: string, requestId: string, options: { includeDeleted: boolean }): Promise<ShownInstanceAction> {
  const located = await locateInstance(deps, ctx, uuid, { includeDeleted: options.includeDeleted });
  const { instance } = located;
  const target = { project_id: instance.project_id };
  deps.policy.authorize('os_compute_api:os-instance-actions:show', ctx, target);
  const action = located.kind === 'cell' ? await located.repos.actions.findByRequestId(uuid, requestId) : undefined;
  if (action === undefined || located.kind !== 'cell') throw new NotFoundError('compute.instance_action_not_found', `Action ${requestId} not found`);
  return {
    instance,
    action,
    events: await located.repos.actions.events(action.id),
    fullEvents: deps.policy.check('os_compute_api:os-instance-actions:events', ctx, target),
    eventDetails: deps.policy.check('os_compute_api:os-instance-actions:events:details', ctx, target),
  };
}
