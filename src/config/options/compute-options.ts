import { intOpt, stringOpt } from '../option-schema.js';

/** [compute] options of the compute service. */
export const computeOptions = {
  resource_provider_association_refresh: intOpt(300, 'Seconds between refreshes of cached provider data.', {
    min: 0,
  }),
  max_concurrent_builds: intOpt(10, 'Builds run at once on one host; 0 means unlimited.', { min: 0 }),
} as const;

/** [fake_driver]: the inventory the fake hypervisor reports (Tessera). */
export const fakeDriverOptions = {
  vcpus: intOpt(8, 'vCPUs of each fake host.', { min: 1 }),
  memory_mb: intOpt(16384, 'Memory (MiB) of each fake host.', { min: 1 }),
  local_gb: intOpt(200, 'Local disk (GiB) of each fake host.', { min: 1 }),
  hypervisor_type: stringOpt('fake', 'Hypervisor type reported.'),
  hypervisor_version: intOpt(1000, 'Hypervisor version reported.', { min: 0 }),
  delay_ms: intOpt(0, 'Milliseconds every guest operation takes, to simulate a slow hypervisor.', { min: 0 }),
} as const;
