/**
 * The wire shapes of versioned notifications, as Nova emits them through oslo.messaging: an
 * envelope (`event_type`, `publisher_id`, `priority`, `payload`, `message_id`, `timestamp`) whose
 * payload is a serialized versioned object (`nova_object.name`, `.namespace`, `.version`,
 * `.data`). Consumers written for Nova (Ceilometer, Watcher, billing hooks) read these exact keys.
 */

/** Oslo's priorities that Nova's versioned notifications use. */
export type NotificationPriority = 'INFO' | 'ERROR';

/** The service that emits, the first half of `publisher_id` (`<source>:<host>`). */
export type NotificationSource = 'nova-compute' | 'nova-api' | 'nova-conductor' | 'nova-scheduler';

/** A versioned object as serialized on the wire. */
export interface VersionedObject<D> {
  'nova_object.name': string;
  'nova_object.namespace': 'nova';
  'nova_object.version': string;
  'nova_object.data': D;
}

/** One notification as listeners and sinks receive it. */
export interface Notification {
  event_type: string;
  publisher_id: string;
  priority: NotificationPriority;
  payload: VersionedObject<unknown>;
  message_id: string;
  /** Oslo's timestamp: UTC, `YYYY-MM-DD HH:MM:SS[.ffffff]` (Python's `str(datetime)`). */
  timestamp: string;
}

/** What a producer hands to the notifier; the notifier adds `message_id` and `timestamp`. */
export type NotificationEvent = Omit<Notification, 'message_id' | 'timestamp'>;

/**
 * Wraps payload data as a versioned object.
 *
 * @example
 * versionedObject('FlavorPayload', '1.4', { name: 'm1.small', ... })
 */
export function versionedObject<D>(name: string, version: string, data: D): VersionedObject<D> {
  return { 'nova_object.name': name, 'nova_object.namespace': 'nova', 'nova_object.version': version, 'nova_object.data': data };
}

/** `<source>:<host>`, as oslo's notifier names its publisher. */
export function publisherId(source: NotificationSource, host: string): string {
  return `${source}:${host}`;
}
