/** Nova's task_state values: what is happening to an instance right now (null when idle). */
export const TaskState = {
  SCHEDULING: 'scheduling',
  BLOCK_DEVICE_MAPPING: 'block_device_mapping',
  NETWORKING: 'networking',
  SPAWNING: 'spawning',
  POWERING_OFF: 'powering-off',
  POWERING_ON: 'powering-on',
  REBOOTING: 'rebooting',
  REBOOT_PENDING: 'reboot_pending',
  REBOOT_STARTED: 'reboot_started',
  REBOOTING_HARD: 'rebooting_hard',
  REBOOT_PENDING_HARD: 'reboot_pending_hard',
  REBOOT_STARTED_HARD: 'reboot_started_hard',
  RESIZE_PREP: 'resize_prep',
  RESIZE_MIGRATING: 'resize_migrating',
  RESIZE_MIGRATED: 'resize_migrated',
  RESIZE_FINISH: 'resize_finish',
  RESIZE_REVERTING: 'resize_reverting',
  RESIZE_CONFIRMING: 'resize_confirming',
  MIGRATING: 'migrating',
  DELETING: 'deleting',
  // createImage: the API sets the first; the compute moves through the others, then back to null.
  IMAGE_SNAPSHOT_PENDING: 'image_snapshot_pending',
  IMAGE_SNAPSHOT: 'image_snapshot',
  IMAGE_PENDING_UPLOAD: 'image_pending_upload',
  IMAGE_UPLOADING: 'image_uploading',
} as const;
export type TaskState = (typeof TaskState)[keyof typeof TaskState];
