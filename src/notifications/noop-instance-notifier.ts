import type { InstanceNotifier } from './instance-notifier.js';

/** Emits nothing; for unit tests and callers that do not look at notifications. */
export class NoopInstanceNotifier implements InstanceNotifier {
  readonly enabled = false;

  async instanceAction(): Promise<void> {}

  async instanceExists(): Promise<void> {}

  async computeTaskError(): Promise<void> {}
}
