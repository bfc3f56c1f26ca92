import type { TaskState } from './task-state.js';
import type { VmState } from './vm-state.js';

// For each vm_state: the status it shows by default, and the task states that override it.
const STATUS_MAP: Record<string, { default: string; tasks?: Record<string, string> }> = {
  active: {
    default: 'ACTIVE',
    tasks: {
      rebooting: 'REBOOT', reboot_pending: 'REBOOT', reboot_started: 'REBOOT',
      rebooting_hard: 'HARD_REBOOT', reboot_pending_hard: 'HARD_REBOOT', reboot_started_hard: 'HARD_REBOOT',
      updating_password: 'PASSWORD', rebuilding: 'REBUILD', rebuild_block_device_mapping: 'REBUILD',
      rebuild_spawning: 'REBUILD', migrating: 'MIGRATING',
      resize_prep: 'RESIZE', resize_migrating: 'RESIZE', resize_migrated: 'RESIZE', resize_finish: 'RESIZE',
    },
  },
  building: { default: 'BUILD' },
  stopped: {
    default: 'SHUTOFF',
    tasks: {
      resize_prep: 'RESIZE', resize_migrating: 'RESIZE', resize_migrated: 'RESIZE', resize_finish: 'RESIZE',
      rebuilding: 'REBUILD', rebuild_block_device_mapping: 'REBUILD', rebuild_spawning: 'REBUILD',
    },
  },
  resized: { default: 'VERIFY_RESIZE', tasks: { resize_reverting: 'REVERT_RESIZE' } },
  paused: { default: 'PAUSED', tasks: { migrating: 'MIGRATING' } },
  suspended: { default: 'SUSPENDED' },
  rescued: { default: 'RESCUE' },
  error: { default: 'ERROR', tasks: { rebuilding: 'REBUILD' } },
  deleted: { default: 'DELETED' },
  'soft-delete': { default: 'SOFT_DELETED' },
  shelved: { default: 'SHELVED' },
  shelved_offloaded: { default: 'SHELVED_OFFLOADED' },
};

/** The API `status` of a server, from its vm_state and task_state as Nova derives it. */
export function serverStatus(vmState: VmState | string, taskState: TaskState | string | null): string {
  const entry = Object.hasOwn(STATUS_MAP, vmState) ? STATUS_MAP[vmState] : undefined;
  if (entry === undefined) return 'UNKNOWN';
  const byTask = taskState !== null && entry.tasks !== undefined && Object.hasOwn(entry.tasks, taskState) ? entry.tasks[taskState] : undefined;
  return byTask ?? entry.default;
}

/** The vm_states a `status` filter value selects (the reverse of the map, as Nova's list filter does). */
export function vmStatesForStatus(status: string): string[] {
  const wanted = status.toUpperCase();
  return Object.entries(STATUS_MAP)
    .filter(([, e]) => e.default === wanted || Object.values(e.tasks ?? {}).includes(wanted))
    .map(([vm]) => vm);
}
