import type { Clock } from '../common/clock.js';
import type { IdGenerator } from '../common/ids.js';
import type { Logger } from '../common/logger.js';
import type { Config } from '../config/index.js';
import type { ApiRepos } from '../db/api/api-repos.js';
import type { CellDatabases } from '../db/cell/cell-databases.js';
import type { ImageClient } from '../image/index.js';
import type { NetworkClient } from '../network/index.js';
import type { InstanceNotifier } from '../notifications/index.js';
import type { PolicyEngine } from '../policy/index.js';
import type { ComputeRpcClient } from '../rpc/contracts/compute-rpc.js';
import type { ConductorRpcClient } from '../rpc/contracts/conductor-rpc.js';
import type { SchedulerRpcClient } from '../rpc/contracts/scheduler-rpc.js';
import type { VolumeClient } from '../volume/index.js';

/** Everything the API-side logic of the compute actions works with. */
export interface ComputeApiDeps {
  api: ApiRepos;
  cells: CellDatabases;
  conductor: ConductorRpcClient;
  scheduler: SchedulerRpcClient;
  compute: ComputeRpcClient;
  images: ImageClient;
  /** The volume service (Nova's Cinder API): volume checks, boot volumes and reservations for attachments. */
  volumes: VolumeClient;
  /** The network service (Nova's Neutron API): networks and ports asked for at boot, ports for interface attachments. */
  network: NetworkClient;
  policy: PolicyEngine;
  /** Versioned notifications of what the API does itself (publisher `nova-api:<host>`), e.g. deleting a server no compute holds. */
  notifier: InstanceNotifier;
  config: Config;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
}
