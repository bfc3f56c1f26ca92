import type { Clock } from '../common/clock.js';
import type { RequestContext } from '../common/request-context.js';
import type { InstanceActionRepo } from '../db/cell/instance-action-repo.js';

/**
 * Runs one compute step and records it as an event of the request's instance action, with its
 * result; the step's own error is rethrown unchanged.
 */
export async function withInstanceEvent<T>(
  deps: { actions: InstanceActionRepo; clock: Clock; host: string },
  ctx: RequestContext,
  instanceUuid: string,
  event: string,
  step: () => Promise<T>,
): Promise<T> {
  const startTime = deps.clock.now().toISOString();
  try {
    const result = await step();
    await deps.actions.recordEvent({ instanceUuid, requestId: ctx.requestId, event, startTime, result: 'Success', host: deps.host });
    return result;
  } catch (err) {
    const traceback = err instanceof Error ? (err.stack ?? err.message) : String(err);
    await deps.actions.recordEvent({ instanceUuid, requestId: ctx.requestId, event, startTime, result: 'Error', host: deps.host, traceback });
    throw err;
  }
}
