import { boolOpt, floatOpt, intOpt, stringOpt } from '../option-schema.js';

/** [DEFAULT] options about capacity, resize and availability zones (where Nova keeps them). */
export const defaultComputeOptions = {
  reclaim_instance_interval: intOpt(0, 'Seconds a deleted server stays soft-deleted (restorable) before the compute deletes it; 0 deletes at once.', {
    min: 0,
  }),
  resize_confirm_window: intOpt(0, 'Seconds after which a resized server is confirmed automatically; 0 disables.', {
    min: 0,
  }),
  cpu_allocation_ratio: floatOpt(16.0, 'Virtual CPUs per physical CPU.', { min: 0, minExclusive: true }),
  ram_allocation_ratio: floatOpt(1.5, 'Virtual RAM per physical RAM.', { min: 0, minExclusive: true }),
  disk_allocation_ratio: floatOpt(1.0, 'Virtual disk per physical disk.', { min: 0, minExclusive: true }),
  reserved_host_memory_mb: intOpt(512, 'Memory (MiB) kept for the host.', { min: 0 }),
  reserved_host_disk_mb: intOpt(0, 'Disk (MiB) kept for the host.', { min: 0 }),
  reserved_host_cpus: intOpt(0, 'CPUs kept for the host.', { min: 0 }),
  allow_resize_to_same_host: boolOpt(false, 'Let a resize pick the host the server is on.'),
  default_availability_zone: stringOpt('nova', 'Availability zone of compute hosts not in an aggregate zone.'),
  internal_service_availability_zone: stringOpt('internal', 'Availability zone shown for non-compute services.'),
  instance_usage_audit_period: stringOpt('month', 'Usage audit period of instance.exists notifications: hour, day, month or year, with an optional @offset (day@18, month@15).', {
    pattern: /^(hour|day|month|year)(@\d+)?$/,
    patternHelp: 'hour, day, month or year, optionally followed by @ and a number',
  }),
} as const;
