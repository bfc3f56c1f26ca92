import { boolOpt, enumOpt } from '../option-schema.js';

/** [notifications] options. */
export const notificationsOptions = {
  notification_format: enumOpt(
    ['versioned', 'unversioned', 'both'],
    'versioned',
    'Which notifications are emitted. Tessera emits only versioned ones, so "unversioned" turns notifications off.',
  ),
  notify_on_state_change: enumOpt(
    ['', 'vm_state', 'vm_and_task_state'],
    '',
    'Emit instance.update on state changes: empty (never), "vm_state" or "vm_and_task_state".',
  ),
  bdms_in_notifications: boolOpt(
    false,
    'Include the volumes (block_devices) in every instance notification; when false only instance.create and instance.delete carry them, as in Nova.',
  ),
} as const;
