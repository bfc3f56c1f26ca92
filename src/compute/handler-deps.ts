import type { Clock } from '../common/clock.js';
import type { Logger } from '../common/logger.js';
import type { CellRepos } from '../db/cell/cell-repos.js';
import type { VirtDriver } from '../virt/index.js';
import type { ResourceTracker } from './resource-tracker.js';

/** What every compute handler works with: its host, its cell's database, its driver. */
export interface HandlerDeps {
  host: string;
  repos: CellRepos;
  driver: VirtDriver;
  tracker: ResourceTracker;
  clock: Clock;
  logger: Logger;
}
