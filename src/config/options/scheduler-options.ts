import { boolOpt, floatOpt, intOpt, listOpt } from '../option-schema.js';

/** [scheduler] options. */
export const schedulerOptions = {
  max_attempts: intOpt(3, 'Hosts tried for one build before giving up.', { min: 1 }),
  max_placement_results: intOpt(1000, 'Allocation candidates asked of placement for one decision.', { min: 1 }),
  host_state_max_age_ms: intOpt(10000, 'Milliseconds the scheduler may reuse its view of hosts before reloading it in the background; changes of services and aggregates reload it at once (Tessera).', { min: 0 }),
  discover_hosts_in_cells_interval: intOpt(60, 'Seconds between automatic host discovery runs; -1 disables.', {
    min: -1,
  }),
  workers: intOpt(1, "Accepted so that Nova's configuration files load; Tessera runs one scheduler per process (a value above 1 is logged and ignored; see in_worker_thread).", { min: 1 }),
  in_worker_thread: boolOpt(false, 'Run the scheduler in a worker thread of the all-in-one process, with its own connections and its own placement service on the same databases, so that scheduling decisions use another core; needs databases in files, not in memory (Tessera).'),
} as const;

/** [filter_scheduler] options: filters, weighers and their multipliers. */
export const filterSchedulerOptions = {
  enabled_filters: listOpt(
    ['ComputeFilter', 'AvailabilityZoneFilter', 'ImagePropertiesFilter', 'ServerGroupAntiAffinityFilter', 'ServerGroupAffinityFilter'],
    'Filters applied, in order.',
  ),
  weight_classes: listOpt(['nova.scheduler.weights.all_weighers'], 'Weighers applied to the hosts that pass.'),
  host_subset_size: intOpt(1, 'Pick randomly among this many best hosts.', { min: 1 }),
  ram_weight_multiplier: floatOpt(1.0, 'Weight of free RAM; negative stacks instead of spreads.'),
  cpu_weight_multiplier: floatOpt(1.0, 'Weight of free vCPUs; negative stacks instead of spreads.'),
  disk_weight_multiplier: floatOpt(1.0, 'Weight of free disk; negative stacks instead of spreads.'),
  cross_cell_move_weight_multiplier: floatOpt(1000000.0, 'Preference for staying in the same cell on a move.'),
  soft_affinity_weight_multiplier: floatOpt(1.0, 'Weight of hosts holding members of a soft-affinity group.', { min: 0 }),
  soft_anti_affinity_weight_multiplier: floatOpt(1.0, 'Weight against hosts holding members of a soft-anti-affinity group.', { min: 0 }),
  num_instances_weight_multiplier: floatOpt(0.0, 'Weight of the number of instances on a host; negative spreads.'),
  build_failure_weight_multiplier: floatOpt(1000000.0, 'Weight against hosts whose recent builds failed.'),
} as const;
