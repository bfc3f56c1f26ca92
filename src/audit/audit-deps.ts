import type { Logger } from '../common/logger.js';
import type { ApiRepos } from '../db/api/api-repos.js';
import type { CellDatabases } from '../db/cell/cell-databases.js';
import type { ImageClient } from '../image/index.js';
import type { NetworkClient } from '../network/index.js';
import type { ConsumerSummary, PlacementClient } from '../placement/index.js';
import type { VolumeClient } from '../volume/index.js';

/**
 * What `tessera audit` reads and repairs: the API database, every cell database, and the
 * placement, volume, network and image services through their clients (acting as an admin).
 * A running cloud passes its own; the command line opens them from the configuration.
 */
export interface AuditDeps {
  api: Pick<ApiRepos, 'cells' | 'instanceMappings' | 'buildRequests'>;
  cells: Pick<CellDatabases, 'repos'>;
  placement: Pick<PlacementClient, 'deleteAllocations' | 'moveAllocations'>;
  /** Placement's API cannot list consumers; the built-in service can. */
  placementConsumers: { listConsumers(): Promise<ConsumerSummary[]> };
  volumes: Pick<VolumeClient, 'attachmentList' | 'attachmentDelete'>;
  network: Pick<NetworkClient, 'listPorts' | 'listPortBindings' | 'updatePort' | 'deletePort' | 'deletePortBinding'>;
  images: Pick<ImageClient, 'list' | 'delete'>;
  logger: Logger;
  /** The request id the audit's calls carry, so the services' logs can be tied to one run. */
  requestId: string;
}
