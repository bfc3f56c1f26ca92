import type { Clock } from '../common/clock.js';
import type { IdGenerator } from '../common/ids.js';
import type { Logger } from '../common/logger.js';
import type { Notification, NotificationEvent } from './notification.js';
import type { NotificationSink } from './notification-sink.js';

/** Receives every notification emitted in this process. It must not modify it. */
export type NotificationListener = (notification: Notification) => void | Promise<void>;

export interface NotifierDeps {
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  /** False when `[notifications] notification_format` is `unversioned`: nothing is emitted. */
  enabled: boolean;
  sinks?: NotificationSink[];
}

/**
 * Emits versioned notifications in oslo.messaging's envelope to in-process listeners and to the
 * configured sinks. Emitting never throws and never waits: a listener that throws (or rejects) is
 * logged and the others still get the notification; sinks only queue.
 *
 * @example
 * const notifier = new Notifier({ clock, ids, logger, enabled: true });
 * const stop = notifier.subscribe((n) => seen.push(n));
 * notifier.emit({ event_type: 'instance.create.start', publisher_id: 'nova-compute:host1', priority: 'INFO', payload });
 * stop();
 */
export class Notifier {
  private readonly listeners = new Set<NotificationListener>();
  private readonly sinks: NotificationSink[];

  constructor(private readonly deps: NotifierDeps) {
    this.sinks = deps.sinks ?? [];
  }

  /**
   * Whether a notification emitted now would reach anyone: notifications are on and a sink or a
   * listener takes them. Producers skip building payloads (and reading what they need) when not,
   * as Nova skips them when its notification driver is `noop`.
   */
  get enabled(): boolean {
    return this.deps.enabled && (this.sinks.length > 0 || this.listeners.size > 0);
  }

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: NotificationListener): () => void {
    this.listeners.add(listener);
    return () => this.unsubscribe(listener);
  }

  unsubscribe(listener: NotificationListener): void {
    this.listeners.delete(listener);
  }

  /** Stamps the event with a message id and the time, and delivers it; the notification, or undefined when disabled or it could not be serialized. */
  emit(event: NotificationEvent): Notification | undefined {
    if (!this.enabled) return undefined;
    const notification: Notification = { ...event, message_id: this.deps.ids.uuid(), timestamp: osloTimestamp(this.deps.clock.now()) };
    let line: string;
    try {
      // Serialized once, before any listener runs, so that what the sinks record cannot be changed by one.
      line = JSON.stringify(notification);
    } catch (err) {
      this.deps.logger.error({ err, event_type: event.event_type }, 'could not serialize a notification; not emitted');
      return undefined;
    }
    for (const sink of this.sinks) {
      try {
        sink.write(notification, line);
      } catch (err) {
        this.deps.logger.error({ err, event_type: event.event_type }, 'a notification sink failed');
      }
    }
    for (const listener of this.listeners) this.deliver(listener, notification);
    return notification;
  }

  /** Resolves when every sink has written what was emitted so far. */
  async flush(): Promise<void> {
    await Promise.all(this.sinks.map((s) => s.flush()));
  }

  /** Flushes and closes the sinks, and forgets the listeners. */
  async close(): Promise<void> {
    this.listeners.clear();
    await Promise.all(this.sinks.map((s) => s.close()));
  }

  private deliver(listener: NotificationListener, notification: Notification): void {
    const fail = (err: unknown): void => this.deps.logger.error({ err, event_type: notification.event_type, message_id: notification.message_id }, 'a notification listener failed');
    try {
      const result = listener(notification);
      if (result instanceof Promise) result.catch(fail);
    } catch (err) {
      fail(err);
    }
  }
}

/**
 * Oslo stamps notifications with Python's `str()` of a UTC datetime: a space between date and
 * time, microseconds only when there are some.
 */
export function osloTimestamp(date: Date): string {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  const ms = date.getUTCMilliseconds();
  const base = `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  return ms === 0 ? base : `${base}.${String(ms * 1000).padStart(6, '0')}`;
}
