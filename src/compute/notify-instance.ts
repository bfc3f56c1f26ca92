import type { RequestContext } from '../common/request-context.js';
import type { InstanceActionName, NotificationPhase } from '../notifications/index.js';
import type { HandlerDeps } from './handler-deps.js';

/**
 * Emits `instance.<action>.<phase>` about the instance as its cell database has it now (after
 * the step's own updates, and also once it is deleted), from this host. Never throws: a
 * notification is not worth failing, or undoing, the operation it reports.
 *
 * @example
 * await notifyInstance(deps, ctx, uuid, 'reboot', 'error', err);
 */
export async function notifyInstance(
  deps: Pick<HandlerDeps, 'notifier' | 'repos' | 'host' | 'logger'>,
  ctx: RequestContext,
  instanceUuid: string,
  action: InstanceActionName,
  phase: NotificationPhase,
  fault?: unknown,
): Promise<void> {
  // Nothing would receive it: the instance is not read for it (twice per boot and per action).
  if (!deps.notifier.enabled) return;
  try {
    const instance = await deps.repos.instances.find(instanceUuid, { includeDeleted: true });
    if (instance === undefined) return;
    await deps.notifier.instanceAction(ctx, deps.repos, { instance, action, phase, host: deps.host, ...(fault === undefined ? {} : { fault }) });
  } catch (err) {
    deps.logger.error({ err, request_id: ctx.requestId, instance_uuid: instanceUuid, host: deps.host, event_type: `instance.${action}.${phase}` }, 'could not read the instance to notify about it');
  }
}
