import { asTesseraError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import type { RequestContext } from '../../common/request-context.js';
import type { CellRepos } from '../../db/cell/cell-repos.js';
import { TaskState } from '../../objects/task-state.js';

/**
 * Nova's _set_vm_state_and_notify for a move that no compute holds (it never reached one, or the
 * last destination gave it back): the server as it was before the request (its vm_state, no task,
 * no pending flavors; `extra.vm_state` overrides), a fault, and the error as the
 * `conductor_migrate_server` event. Never throws.
 */
export async function failBeforeCompute(repos: CellRepos, ctx: RequestContext, uuid: string, started: string, err: unknown, log: Logger, extra: { vm_state?: string } = {}): Promise<void> {
  const e = asTesseraError(err);
  log.warn({ err }, 'move failed before reaching a compute; server back as it was');
  try {
    await repos.instances.update(uuid, { task_state: null, old_flavor: null, new_flavor: null, ...extra }, extra.vm_state === undefined ? { taskState: [TaskState.RESIZE_PREP] } : {});
    await repos.faults.record({ instance_uuid: uuid, code: e.status, message: e.message, details: err instanceof Error ? (err.stack ?? null) : null, host: null });
    await repos.actions.recordEvent({ instanceUuid: uuid, requestId: ctx.requestId, event: 'conductor_migrate_server', startTime: started, result: 'Error', host: null, traceback: err instanceof Error ? (err.stack ?? e.message) : e.message });
  } catch (recordErr) {
    log.error({ err: recordErr }, 'could not record the failed move');
  }
}
