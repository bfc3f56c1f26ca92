import type { Clock } from '../common/clock.js';
import { TesseraError } from '../common/errors.js';
import type { RequestContext } from '../common/request-context.js';
import type { InstanceActionRepo } from '../db/cell/instance-action-repo.js';

/**
 * Runs one compute step and records it as an event of the request's instance action, with its
 * result; the step's own error is rethrown unchanged. A failure keeps its stack as the traceback
 * and a short message as the details (2.84) that a user may be shown.
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
    await deps.actions.recordEvent({ instanceUuid, requestId: ctx.requestId, event, startTime, result: 'Error', host: deps.host, traceback, details: eventDetails(err) });
    throw err;
  }
}

/**
 * The details of a failed event as Nova keeps them: a Tessera error's own message, which is
 * written for users, and only the class name of anything else, whose message may reveal internals;
 * at most 255 characters.
 */
function eventDetails(err: unknown): string {
  const text = err instanceof TesseraError ? err.message : err instanceof Error ? err.name : typeof err;
  return text.length > 255 ? `${text.slice(0, 252)}...` : text;
}
