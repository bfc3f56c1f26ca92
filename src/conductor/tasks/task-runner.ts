import type { FaultInjector } from '../../common/fault-injector.js';
import type { Logger } from '../../common/logger.js';
import type { Task } from './task.js';

/**
 * Runs tasks in order; when one fails, rolls back the completed ones in reverse order and
 * rethrows the original error. A rollback that fails is logged and does not hide the original.
 * With `faults`, each task is a fault point `task.<name>`, checked before it runs, so that a test
 * can fail the flow at every step boundary.
 */
export async function runTasks(tasks: Task[], log: Logger, faults?: FaultInjector): Promise<void> {
  const done: Task[] = [];
  for (const task of tasks) {
    try {
      faults?.check(`task.${task.name}`);
      await task.execute();
      done.push(task);
    } catch (err) {
      log.warn({ err, task: task.name }, 'task failed; rolling back completed tasks');
      for (const completed of done.reverse()) {
        try {
          await completed.rollback();
        } catch (rollbackErr) {
          log.error({ err: rollbackErr, task: completed.name }, 'rollback failed; the original error follows');
        }
      }
      throw err;
    }
  }
}
