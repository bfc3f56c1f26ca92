export { currentAuditPeriod } from './audit-period.js';
export type { InstanceActionName, InstanceNotifier, NotificationPhase } from './instance-notifier.js';
export { JsonLinesSink, type JsonLinesSinkDeps } from './json-lines-sink.js';
export { NoopInstanceNotifier } from './noop-instance-notifier.js';
export {
  publisherId, versionedObject, type Notification, type NotificationEvent, type NotificationPriority, type NotificationSource, type VersionedObject,
} from './notification.js';
export type { NotificationSink } from './notification-sink.js';
export { Notifier, osloTimestamp, type NotificationListener, type NotifierDeps } from './notifier.js';
export { instanceNotifierFromConfig, notifierFromConfig } from './notifier-from-config.js';
export { VersionedInstanceNotifier, type VersionedInstanceNotifierDeps } from './versioned-instance-notifier.js';
