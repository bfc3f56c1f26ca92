import type { Clock } from '../common/clock.js';
import type { IdGenerator } from '../common/ids.js';
import type { Logger } from '../common/logger.js';
import type { Config } from '../config/index.js';
import { JsonLinesSink } from './json-lines-sink.js';
import type { NotificationSource } from './notification.js';
import type { NotificationSink } from './notification-sink.js';
import { Notifier } from './notifier.js';
import { VersionedInstanceNotifier } from './versioned-instance-notifier.js';

/**
 * The process's notifier as configured: off when `[notifications] notification_format` is
 * `unversioned`; appending JSON lines to `[DEFAULT] notification_log_file` when that is set.
 */
export function notifierFromConfig(config: Config, deps: { clock: Clock; ids: IdGenerator; logger: Logger }): Notifier {
  const logger = deps.logger.child({ service: 'notifier' });
  const sinks: NotificationSink[] = [];
  const path = config.DEFAULT.notification_log_file;
  if (path !== '') sinks.push(new JsonLinesSink({ path, logger }));
  return new Notifier({ clock: deps.clock, ids: deps.ids, logger, enabled: config.notifications.notification_format !== 'unversioned', sinks });
}

/** The instance notifier of one service, emitting through `notifier`. */
export function instanceNotifierFromConfig(
  config: Config,
  deps: { notifier: Notifier; source: Exclude<NotificationSource, 'nova-scheduler'>; clock: Clock; logger: Logger },
): VersionedInstanceNotifier {
  return new VersionedInstanceNotifier({
    ...deps,
    bdmsInNotifications: config.notifications.bdms_in_notifications,
    auditPeriod: config.DEFAULT.instance_usage_audit_period,
  });
}
