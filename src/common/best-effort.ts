import type { Logger } from './logger.js';

/**
 * Runs one step of a clean-up or an error path that must not stop the others: a failure is
 * logged with the step's name and context (never swallowed silently) and reported as false.
 *
 * @example
 * await bestEffort(log, 'delete_port_binding', () => network.deletePortBinding(admin, portId, host), { port_id: portId, host });
 */
export async function bestEffort(log: Logger, step: string, work: () => Promise<unknown>, context: Record<string, unknown> = {}): Promise<boolean> {
  try {
    await work();
    return true;
  } catch (err) {
    log.error({ err, step, ...context }, 'a clean-up step failed; what it was to undo may be left behind');
    return false;
  }
}
