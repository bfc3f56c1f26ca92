import type { Clock } from '../common/clock.js';
import type { Logger } from '../common/logger.js';
import type { Metrics } from '../common/metrics.js';
import type { Config } from '../config/index.js';
import type { ApiRepos } from '../db/api/api-repos.js';
import type { CellDatabases } from '../db/cell/cell-databases.js';
import type { PlacementClient } from '../placement/index.js';
import type { RpcBus } from '../rpc/bus.js';
import { filtersFromConfig } from './filters/filter-registry.js';
import { HostStateCache } from './host-state-cache.js';
import { SchedulerService } from './scheduler-service.js';
import { weighersFromConfig } from './weighers/weigher-registry.js';

/** What a scheduler is built on, wherever it runs (the cloud's thread or a thread of its own). */
export interface SchedulerServiceSources {
  config: Config;
  bus: RpcBus;
  api: ApiRepos;
  cells: CellDatabases;
  placement: PlacementClient;
  clock: Clock;
  logger: Logger;
  metrics?: Metrics;
}

/** The scheduler with the filters, weighers and limits of `[scheduler]` and `[filter_scheduler]`; not started. */
export function schedulerFromConfig(s: SchedulerServiceSources): SchedulerService {
  const { config } = s;
  const logger = s.logger.child({ service: 'nova-scheduler' });
  if (config.scheduler.workers > 1) {
    logger.warn({ workers: config.scheduler.workers }, '[scheduler] workers is ignored: one scheduler runs in this process (in_worker_thread moves it to a thread of its own)');
  }
  return new SchedulerService({
    bus: s.bus,
    hosts: new HostStateCache({
      api: s.api, cells: s.cells, clock: s.clock, serviceDownTime: config.DEFAULT.service_down_time,
      defaultZone: config.DEFAULT.default_availability_zone, maxAgeMs: config.scheduler.host_state_max_age_ms,
    }),
    placement: s.placement,
    filters: filtersFromConfig(config.filter_scheduler.enabled_filters, config.filter_scheduler),
    weighers: weighersFromConfig(config.filter_scheduler.weight_classes),
    weigherOptions: config.filter_scheduler,
    hostSubsetSize: config.filter_scheduler.host_subset_size,
    maxAttempts: config.scheduler.max_attempts,
    maxPlacementResults: config.scheduler.max_placement_results,
    clock: s.clock,
    ...(s.metrics === undefined ? {} : { metrics: s.metrics }),
    logger,
  });
}
