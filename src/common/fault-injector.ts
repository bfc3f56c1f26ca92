import { InjectedFaultError } from './errors.js';

/** One armed failure: how many more times it fires, on which host, after how many passes. */
interface Armed {
  remaining: number;
  host?: string;
  /** Matching checks still to let through before the first failure. */
  after: number;
}

/**
 * Makes a named operation fail on purpose, so tests and simulator scenarios can prove that every
 * path cleans up. Operation names are dotted: `virt.spawn`, `rpc.call.scheduler.select_destinations`.
 * A recording lists the operations a flow passes through, in order, so a test can fail each of
 * them in turn (`after` picks the n-th call of an operation that a flow makes more than once).
 *
 * @example
 * faults.arm('virt.spawn', { times: 1, host: 'cell1-compute1' });
 * faults.check('virt.spawn', { host: 'cell1-compute1' }); // throws InjectedFaultError once
 * faults.arm('network.get_port', { after: 1 }); // the second get_port fails
 * const rec = faults.record(); await boot(); rec.stop(); // ['volume.get', 'network.get_port', ...]
 */
export class FaultInjector {
  private readonly armed = new Map<string, Armed[]>();
  private readonly recordings = new Set<string[]>();

  /**
   * Arms a failure; `times` defaults to 1, Infinity means every call until disarmed; `after`
   * lets that many matching calls through first (default 0).
   */
  arm(operation: string, options: { times?: number; host?: string; after?: number } = {}): void {
    const list = this.armed.get(operation) ?? [];
    list.push({ remaining: options.times ?? 1, after: options.after ?? 0, ...(options.host === undefined ? {} : { host: options.host }) });
    this.armed.set(operation, list);
  }

  disarm(operation?: string): void {
    if (operation === undefined) this.armed.clear();
    else this.armed.delete(operation);
  }

  /** Throws when a matching failure is armed, consuming one use of it. */
  check(operation: string, where: { host?: string } = {}): void {
    for (const rec of this.recordings) rec.push(operation);
    const list = this.armed.get(operation);
    if (list === undefined) return;
    const hit = list.find((f) => f.remaining > 0 && (f.host === undefined || f.host === where.host));
    if (hit === undefined) return;
    if (hit.after > 0) {
      hit.after -= 1;
      return;
    }
    hit.remaining -= 1;
    if (list.every((f) => f.remaining <= 0)) this.armed.delete(operation);
    throw new InjectedFaultError(operation, where.host === undefined ? {} : { details: { host: where.host } });
  }

  /**
   * Starts recording every operation checked from now on, armed or not; `stop()` ends the
   * recording and returns the operations in the order they were checked.
   */
  record(): { stop(): string[] } {
    const calls: string[] = [];
    this.recordings.add(calls);
    return {
      stop: () => {
        this.recordings.delete(calls);
        return [...calls];
      },
    };
  }

  /** What is armed now, for the simulator's status output. */
  list(): { operation: string; remaining: number; host?: string; after?: number }[] {
    return [...this.armed.entries()].flatMap(([operation, l]) =>
      l.map((f) => ({ operation, remaining: f.remaining, ...(f.host === undefined ? {} : { host: f.host }), ...(f.after > 0 ? { after: f.after } : {}) })),
    );
  }
}
