import type { InstanceAction, InstanceActionEvent } from '../../objects/instance-action.js';
import { atLeast, type Microversion } from '../microversion.js';
import { hostId } from './server-view.js';
import { novaTime } from './service-view.js';

/** What the caller may see of an action's events (policy decisions, see ShownInstanceAction). */
export interface EventVisibility {
  fullEvents: boolean;
  eventDetails: boolean;
}

/**
 * An action as GET /servers/{id}/os-instance-actions lists it; `updated_at` from 2.58. Times are
 * Nova's naive UTC with microseconds (`2018-04-25T01:26:29.000000`).
 */
export function instanceActionView(mv: Microversion, a: InstanceAction): Record<string, unknown> {
  const view: Record<string, unknown> = {
    action: a.action,
    instance_uuid: a.instance_uuid,
    request_id: a.request_id,
    user_id: a.user_id,
    project_id: a.project_id,
    start_time: novaTime(a.start_time),
    message: a.message,
  };
  if (atLeast(mv, '2.58')) view['updated_at'] = novaTime(a.updated_at);
  return view;
}

/**
 * An action with its events, as GET /servers/{id}/os-instance-actions/{request_id} shows it.
 * Events: always with full visibility (traceback included; `host` from 2.62); otherwise from 2.51
 * only, without traceback or host. `hostId` (the server view's per-project digest of the host) from
 * 2.62 for everyone; `details` from 2.84 when allowed. `serverProjectId` stands in for an action
 * recorded without a project (Nova does the same for actions of periodic tasks).
 */
export function instanceActionDetailView(
  mv: Microversion,
  a: InstanceAction,
  events: readonly InstanceActionEvent[],
  visible: EventVisibility,
  serverProjectId: string,
): Record<string, unknown> {
  const view = instanceActionView(mv, a);
  if (!visible.fullEvents && !atLeast(mv, '2.51')) return view;
  const showHostId = atLeast(mv, '2.62');
  const showHost = visible.fullEvents && showHostId;
  const showDetails = visible.eventDetails && atLeast(mv, '2.84');
  const projectId = a.project_id === '' ? serverProjectId : a.project_id;
  view['events'] = events.map((e) => {
    const event: Record<string, unknown> = { event: e.event, start_time: novaTime(e.start_time), finish_time: novaTime(e.finish_time), result: e.result };
    if (visible.fullEvents) event['traceback'] = e.traceback;
    if (showHost) event['host'] = e.host;
    if (showHostId) event['hostId'] = hostId(projectId, e.host);
    if (showDetails) event['details'] = e.details;
    return event;
  });
  return view;
}
