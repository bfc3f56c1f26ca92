import type { Clock } from '../common/clock.js';
import type { Logger } from '../common/logger.js';
import type { CellRepos } from '../db/cell/cell-repos.js';
import type { ImageClient } from '../image/index.js';
import type { PlacementClient } from '../placement/index.js';
import type { ConductorRpcClient } from '../rpc/contracts/conductor-rpc.js';
import type { VirtDriver } from '../virt/index.js';
import type { ResourceTracker } from './resource-tracker.js';

/** What every compute handler works with: its host, its cell's database, its driver. */
export interface HandlerDeps {
  host: string;
  cellUuid: string;
  placement: PlacementClient;
  conductor: ConductorRpcClient;
  repos: CellRepos;
  driver: VirtDriver;
  /** The image service, for snapshots. */
  images: ImageClient;
  tracker: ResourceTracker;
  clock: Clock;
  logger: Logger;
}
