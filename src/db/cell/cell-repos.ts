import type { Kysely } from 'kysely';
import type { Clock } from '../../common/clock.js';
import type { IdGenerator } from '../../common/ids.js';
import { BlockDeviceMappingRepo } from './block-device-mapping-repo.js';
import type { CellSchema } from './cell-schema.js';
import { ComputeNodeRepo } from './compute-node-repo.js';
import { InstanceActionRepo } from './instance-action-repo.js';
import { InstanceFaultRepo } from './instance-fault-repo.js';
import { InstanceRepo } from './instance-repo.js';
import { MigrationRepo } from './migration-repo.js';
import { ServiceRepo } from './service-repo.js';
import { TagRepo } from './tag-repo.js';
import { VirtualInterfaceRepo } from './virtual-interface-repo.js';

/** The repositories of one cell database. */
export interface CellRepos {
  readonly db: Kysely<CellSchema>;
  readonly instances: InstanceRepo;
  readonly services: ServiceRepo;
  readonly computeNodes: ComputeNodeRepo;
  readonly faults: InstanceFaultRepo;
  readonly actions: InstanceActionRepo;
  readonly tags: TagRepo;
  readonly bdms: BlockDeviceMappingRepo;
  readonly vifs: VirtualInterfaceRepo;
  readonly migrations: MigrationRepo;
}

export function createCellRepos(deps: { db: Kysely<CellSchema>; clock: Clock; ids: IdGenerator }): CellRepos {
  return {
    db: deps.db,
    instances: new InstanceRepo(deps),
    services: new ServiceRepo(deps),
    computeNodes: new ComputeNodeRepo(deps),
    faults: new InstanceFaultRepo(deps),
    actions: new InstanceActionRepo(deps),
    tags: new TagRepo(deps),
    bdms: new BlockDeviceMappingRepo(deps),
    vifs: new VirtualInterfaceRepo(deps),
    migrations: new MigrationRepo(deps),
  };
}
