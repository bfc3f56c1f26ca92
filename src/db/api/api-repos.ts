import type { Kysely } from 'kysely';
import type { Clock } from '../../common/clock.js';
import type { IdGenerator } from '../../common/ids.js';
import { AggregateRepo } from './aggregate-repo.js';
import type { ApiSchema } from './api-schema.js';
import { BuildRequestRepo } from './build-request-repo.js';
import { CellMappingRepo } from './cell-mapping-repo.js';
import { FlavorRepo } from './flavor-repo.js';
import { HostMappingRepo } from './host-mapping-repo.js';
import { InstanceMappingRepo } from './instance-mapping-repo.js';
import { KeyPairRepo } from './key-pair-repo.js';
import { QuotaRepo } from './quota-repo.js';
import { RequestSpecRepo } from './request-spec-repo.js';
import { ServerGroupRepo } from './server-group-repo.js';

/** The repositories of the API database. */
export interface ApiRepos {
  readonly db: Kysely<ApiSchema>;
  readonly cells: CellMappingRepo;
  readonly hostMappings: HostMappingRepo;
  readonly instanceMappings: InstanceMappingRepo;
  readonly requestSpecs: RequestSpecRepo;
  readonly buildRequests: BuildRequestRepo;
  readonly flavors: FlavorRepo;
  readonly aggregates: AggregateRepo;
  readonly serverGroups: ServerGroupRepo;
  readonly quotas: QuotaRepo;
  readonly keyPairs: KeyPairRepo;
}

export function createApiRepos(deps: { db: Kysely<ApiSchema>; clock: Clock; ids: IdGenerator }): ApiRepos {
  return {
    db: deps.db,
    cells: new CellMappingRepo(deps),
    hostMappings: new HostMappingRepo(deps),
    instanceMappings: new InstanceMappingRepo(deps),
    requestSpecs: new RequestSpecRepo(deps),
    buildRequests: new BuildRequestRepo(deps),
    flavors: new FlavorRepo(deps),
    aggregates: new AggregateRepo(deps),
    serverGroups: new ServerGroupRepo(deps),
    quotas: new QuotaRepo(deps),
    keyPairs: new KeyPairRepo(deps),
  };
}
