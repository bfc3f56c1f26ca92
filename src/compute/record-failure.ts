import { asTesseraError } from '../common/errors.js';
import type { Logger } from '../common/logger.js';
import type { Expectation, InstanceChanges } from '../db/cell/instance-repo.js';
import type { HandlerDeps } from './handler-deps.js';

/**
 * Records why an operation failed on an instance: a fault (code, message, details for admins), and
 * the state changes the caller chooses (ERROR for a failed build; only clearing task_state for a
 * failed power operation, as Nova's reverts_task_state does), made only if the instance still
 * matches `expect` when one is given. Never throws: it runs on error paths.
 */
export async function recordFailure(deps: HandlerDeps, log: Logger, instanceUuid: string, error: unknown, changes: InstanceChanges, expect?: Expectation): Promise<void> {
  const err = asTesseraError(error);
  try {
    await deps.repos.instances.update(instanceUuid, changes, expect);
    await deps.repos.faults.record({
      instance_uuid: instanceUuid,
      code: err.status,
      message: err.message,
      details: error instanceof Error ? (error.stack ?? null) : null,
      host: deps.host,
    });
  } catch (recordErr) {
    log.error({ err: recordErr, original: err.message }, 'could not record the failure of an instance operation');
  }
}
