import type { Clock } from '../common/clock.js';
import type { Logger } from '../common/logger.js';
import type { CellRepos } from '../db/cell/cell-repos.js';
import type { ImageClient } from '../image/index.js';
import type { NetworkClient } from '../network/index.js';
import type { InstanceNotifier } from '../notifications/index.js';
import type { PlacementClient } from '../placement/index.js';
import type { ComputeRpcClient } from '../rpc/contracts/compute-rpc.js';
import type { ConductorRpcClient } from '../rpc/contracts/conductor-rpc.js';
import type { VirtDriver } from '../virt/index.js';
import type { VolumeClient } from '../volume/index.js';
import type { InstanceLocks } from './instance-locks.js';
import type { ResourceTracker } from './resource-tracker.js';

/** What every compute handler works with: its host, its cell's database, its driver. */
export interface HandlerDeps {
  host: string;
  cellUuid: string;
  placement: PlacementClient;
  conductor: ConductorRpcClient;
  /** Other computes: the steps of a move hand over from host to host. */
  compute: ComputeRpcClient;
  repos: CellRepos;
  driver: VirtDriver;
  /** The image service, for snapshots. */
  images: ImageClient;
  /** The volume service, for attachments (in process, or a client of a real Cinder). */
  volumes: VolumeClient;
  /** The network service, for ports and their bindings (in process, or a client of a real Neutron). */
  network: NetworkClient;
  /** Serializes work on one instance within this compute (attachments take it). */
  locks: InstanceLocks;
  tracker: ResourceTracker;
  /** Versioned notifications about the instances (publisher `nova-compute:<host>`). */
  notifier: InstanceNotifier;
  clock: Clock;
  logger: Logger;
}
