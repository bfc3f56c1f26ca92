import { ConflictError, NotFoundError } from '../../common/errors.js';
import { systemContext } from '../../common/request-context.js';
import { TaskState } from '../../objects/task-state.js';
import { VmState } from '../../objects/vm-state.js';
import type { HandlerDeps } from '../handler-deps.js';
import { terminateInstance } from './terminate-instance.js';

/**
 * Nova's `_reclaim_queued_deletes` periodic task: deletes for good the servers of this host that
 * have been soft-deleted (and idle) for at least `intervalSeconds`, through the same terminate
 * path as a delete (guest, ports, volumes, allocation, row). Each is first marked deleting with a
 * compare-and-swap, so a restore racing with it gets 409, or wins and the server is skipped. A
 * server with no recorded deletion time is left alone. Returns how many were reclaimed.
 *
 * @example
 * await reclaimQueuedDeletes(deps, config.DEFAULT.reclaim_instance_interval);
 */
export async function reclaimQueuedDeletes(deps: HandlerDeps, intervalSeconds: number): Promise<number> {
  if (intervalSeconds <= 0) return 0;
  const cutoff = deps.clock.now().getTime() - intervalSeconds * 1000;
  const due = (await deps.repos.instances.list({ hosts: [deps.host], vmStates: [VmState.SOFT_DELETED] })).filter(
    (i) => i.task_state === null && i.deleted_at !== null && Date.parse(i.deleted_at) <= cutoff,
  );
  let reclaimed = 0;
  for (const instance of due) {
    const log = deps.logger.child({ instance_uuid: instance.uuid, host: deps.host });
    try {
      await deps.repos.instances.update(instance.uuid, { task_state: TaskState.DELETING }, { taskState: [null], vmState: [VmState.SOFT_DELETED] });
    } catch (err) {
      if (err instanceof ConflictError || err instanceof NotFoundError) continue; // restored, or deleted, meanwhile
      throw err;
    }
    log.info('reclaiming deleted instance');
    await terminateInstance(deps, systemContext(`req-reclaim-${instance.uuid}`), { instance_uuid: instance.uuid });
    reclaimed += 1;
  }
  return reclaimed;
}
