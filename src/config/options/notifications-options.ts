import { enumOpt } from '../option-schema.js';

/** [notifications] options. */
export const notificationsOptions = {
  notification_format: enumOpt(['versioned', 'unversioned', 'both'], 'versioned', 'Which notifications are emitted.'),
  notify_on_state_change: enumOpt(
    ['', 'vm_state', 'vm_and_task_state'],
    '',
    'Emit instance.update on state changes: empty (never), "vm_state" or "vm_and_task_state".',
  ),
} as const;
