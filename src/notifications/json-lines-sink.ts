import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../common/logger.js';
import type { NotificationSink } from './notification-sink.js';

export interface JsonLinesSinkDeps {
  /** The file to append to; its directory is created on the first write. */
  path: string;
  logger: Logger;
  /**
   * Lines allowed to wait for the disk. Past it new notifications are dropped (and counted in
   * the log) rather than letting a stuck disk grow the process without bound.
   */
  maxPending?: number;
}

/**
 * Appends each notification as one JSON line to a file, in emission order. Writes happen in the
 * background in batches; a failed write is logged with the file and the number of notifications
 * lost, and the sink carries on with the next batch.
 *
 * @example
 * const sink = new JsonLinesSink({ path: '/var/log/tessera/notifications.jsonl', logger });
 * sink.write(notification, JSON.stringify(notification));
 * await sink.flush();
 */
export class JsonLinesSink implements NotificationSink {
  private readonly pending: string[] = [];
  private draining: Promise<void> | undefined;
  private directoryReady = false;
  private dropped = 0;
  private closed = false;
  private readonly maxPending: number;

  constructor(private readonly deps: JsonLinesSinkDeps) {
    this.maxPending = deps.maxPending ?? 10_000;
  }

  write(_notification: unknown, line: string): void {
    if (this.closed) return;
    if (this.pending.length >= this.maxPending) {
      if (this.dropped === 0) this.deps.logger.warn({ path: this.deps.path, max_pending: this.maxPending }, 'notification file is not keeping up; dropping notifications');
      this.dropped++;
      return;
    }
    this.pending.push(`${line}\n`);
    // Started on a later microtask, so that what is emitted in one turn goes out as one append.
    this.draining ??= Promise.resolve().then(() => this.drain());
  }

  async flush(): Promise<void> {
    while (this.draining !== undefined) await this.draining;
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  /** Writes batches until the queue is empty; never rejects. */
  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, this.pending.length);
        try {
          if (!this.directoryReady) {
            await mkdir(dirname(this.deps.path), { recursive: true });
            this.directoryReady = true;
          }
          await appendFile(this.deps.path, batch.join(''), 'utf8');
        } catch (err) {
          this.deps.logger.error({ err, path: this.deps.path, lost: batch.length }, 'could not append notifications to the file');
        }
        if (this.dropped > 0) {
          this.deps.logger.warn({ path: this.deps.path, dropped: this.dropped }, 'notifications were dropped while the file was not keeping up');
          this.dropped = 0;
        }
      }
    } finally {
      this.draining = undefined;
    }
  }
}
