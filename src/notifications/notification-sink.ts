import type { Notification } from './notification.js';

/**
 * Where emitted notifications go besides in-process listeners (a file, later a message bus
 * topic). `write` is called on the emitting code path, so it must only queue and return: a slow or
 * broken destination must never hold up or fail the operation that emitted.
 */
export interface NotificationSink {
  /** Queues one notification; `line` is its JSON serialization, made once by the notifier. */
  write(notification: Notification, line: string): void;
  /** Resolves when everything queued so far has been written (or given up on and logged). */
  flush(): Promise<void>;
  /** Flushes, then releases the destination; later writes are dropped. */
  close(): Promise<void>;
}
