import { InjectedFaultError } from './errors.js';

/**
 * Makes a named operation fail on purpose, so tests and simulator scenarios can prove that every
 * path cleans up. Operation names are dotted: `virt.spawn`, `rpc.call.scheduler.select_destinations`.
 *
 * @example
 * faults.arm('virt.spawn', { times: 1, host: 'cell1-compute1' });
 * faults.check('virt.spawn', { host: 'cell1-compute1' }); // throws InjectedFaultError once
 */
export class FaultInjector {
  private readonly armed = new Map<string, { remaining: number; host?: string }[]>();

  /** Arms a failure; `times` defaults to 1, Infinity means every call until disarmed. */
  arm(operation: string, options: { times?: number; host?: string } = {}): void {
    const list = this.armed.get(operation) ?? [];
    list.push({ remaining: options.times ?? 1, ...(options.host === undefined ? {} : { host: options.host }) });
    this.armed.set(operation, list);
  }

  disarm(operation?: string): void {
    if (operation === undefined) this.armed.clear();
    else this.armed.delete(operation);
  }

  /** Throws when a matching failure is armed, consuming one use of it. */
  check(operation: string, where: { host?: string } = {}): void {
    const list = this.armed.get(operation);
    if (list === undefined) return;
    const hit = list.find((f) => f.remaining > 0 && (f.host === undefined || f.host === where.host));
    if (hit === undefined) return;
    hit.remaining -= 1;
    if (list.every((f) => f.remaining <= 0)) this.armed.delete(operation);
    throw new InjectedFaultError(operation, where.host === undefined ? {} : { details: { host: where.host } });
  }

  /** What is armed now, for the simulator's status output. */
  list(): { operation: string; remaining: number; host?: string }[] {
    return [...this.armed.entries()].flatMap(([operation, l]) => l.map((f) => ({ operation, ...f })));
  }
}
