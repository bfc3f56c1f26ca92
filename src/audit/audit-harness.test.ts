// Shared set-up for the audit's unit tests: an API database, two cells, and the built-in
// placement, image, volume and network services, all in memory; no tests here.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeInstance } from '../../test/integration/db/instance-fixture.js';
import { ManualClock } from '../common/clock.js';
import { RandomIdGenerator } from '../common/ids.js';
import { silentLogger } from '../common/logger.js';
import { systemContext } from '../common/request-context.js';
import { parseConfigText } from '../config/index.js';
import { createApiRepos, type ApiRepos } from '../db/api/api-repos.js';
import type { ApiSchema } from '../db/api/api-schema.js';
import { CellDatabases } from '../db/cell/cell-databases.js';
import type { CellRepos } from '../db/cell/cell-repos.js';
import { openDatabase } from '../db/connection.js';
import { migrateToLatest } from '../db/migrator.js';
import { apiMigrations } from '../db/migrations/api/index.js';
import { cellMigrations } from '../db/migrations/cell/index.js';
import { ImageService } from '../image/index.js';
import { NetworkService, defaultNetworkIds, networkRuleDefaults } from '../network/index.js';
import type { CellMapping } from '../objects/cell-mapping.js';
import type { Instance } from '../objects/instance.js';
import type { Migration } from '../objects/migration.js';
import { PlacementService, placementRuleDefaults } from '../placement/index.js';
import { PolicyEngine, allRuleDefaults } from '../policy/index.js';
import { VolumeService, volumeRuleDefaults } from '../volume/index.js';
import type { AuditDeps } from './audit-deps.js';

export const ADMIN = systemContext('req-audit-unit');
export const HOSTS = { a: 'cell1-host1', b: 'cell1-host2', c: 'cell2-host1' } as const;

export interface AuditHarness {
  deps: AuditDeps;
  api: ApiRepos;
  cell1: CellMapping;
  cell2: CellMapping;
  repos(cell: CellMapping): CellRepos;
  placement: PlacementService;
  images: ImageService;
  volumes: VolumeService;
  network: NetworkService;
  /** The shared default network. */
  networkId: string;
  /** Resource provider uuid of each host. */
  providers: Record<keyof typeof HOSTS, string>;
  ids: RandomIdGenerator;
  /** An instance in the cell (on host a unless told), mapped to it unless `mappedTo` says otherwise (null: no mapping). */
  instance(cell: CellMapping, overrides?: Partial<Instance>, mappedTo?: CellMapping | null): Promise<Instance>;
  migration(cell: CellMapping, instanceUuid: string, status: string, overrides?: Partial<Migration>): Promise<Migration>;
  /** Claims 1 VCPU and 64 MiB on the host's provider for the consumer. */
  allocate(consumer: string, host: keyof typeof HOSTS): Promise<void>;
  /** A volume with an attachment for the instance; recorded in a block device mapping of `bdmIn` when given. */
  attachment(instanceUuid: string, bdmIn?: CellMapping): Promise<{ volumeId: string; attachmentId: string }>;
  close(): Promise<void>;
}

export async function openAuditHarness(): Promise<AuditHarness> {
  const clock = new ManualClock();
  const ids = new RandomIdGenerator();
  const logger = silentLogger();
  const imageDir = await mkdtemp(join(tmpdir(), 'tessera-audit-images-'));
  const config = parseConfigText('[DEFAULT]\nhost = testhost\n', 'test');
  const apiDatabase = openDatabase<ApiSchema>('sqlite://');
  await migrateToLatest(apiDatabase, apiMigrations);
  const api = createApiRepos({ db: apiDatabase.db, clock, ids });
  const cells = new CellDatabases({ clock, ids });
  const mapping = async (name: string): Promise<CellMapping> => {
    const cell = await api.cells.upsert({ uuid: ids.uuid(), name, transportUrl: 'none', databaseConnection: `sqlite:///:memory:?cell=${name}` });
    await migrateToLatest(cells.database(cell), cellMigrations);
    return cell;
  };
  const cell1 = await mapping('cell1');
  const cell2 = await mapping('cell2');
  const policy = await PolicyEngine.create({ defaults: [...allRuleDefaults(), ...placementRuleDefaults, ...volumeRuleDefaults, ...networkRuleDefaults] });
  const placement = await PlacementService.create({ config, clock, ids, logger, policy, databaseUrl: 'sqlite://' });
  const images = await ImageService.create({ config, clock, ids, logger, policy, databaseUrl: 'sqlite://', dataDir: imageDir });
  const volumes = await VolumeService.create({ config, clock, ids, logger, policy, images, databaseUrl: 'sqlite://' });
  const network = await NetworkService.create({ config, clock, ids, logger, policy, defaultNetworkProjectId: 'admin-project', databaseUrl: 'sqlite://' });
  const providers = {} as Record<keyof typeof HOSTS, string>;
  for (const [key, host] of Object.entries(HOSTS) as [keyof typeof HOSTS, string][]) {
    const rp = await placement.client().ensureProvider({ uuid: ids.uuid(), name: host });
    await placement.client().setInventory(rp.uuid, { VCPU: { total: 16 }, MEMORY_MB: { total: 8192 } });
    providers[key] = rp.uuid;
  }
  const deps: AuditDeps = {
    api, cells, placement: placement.client(), placementConsumers: placement, volumes, network: network.client(), images, logger, requestId: 'req-audit-unit',
  };
  return {
    deps, api, cell1, cell2, placement, images, volumes, network, providers, ids,
    networkId: defaultNetworkIds(config.neutron.default_network_name).networkId,
    repos: (cell) => cells.repos(cell),
    instance: async (cell, overrides = {}, mappedTo = cell) => {
      const i = await cells.repos(cell).instances.create(makeInstance({ clock, ids }, { host: HOSTS.a, node: HOSTS.a, ...overrides }));
      if (mappedTo !== null && (await api.instanceMappings.find(i.uuid)) === undefined) {
        await api.instanceMappings.create({ instanceUuid: i.uuid, projectId: i.project_id, userId: i.user_id, cellId: mappedTo.id });
      }
      return i;
    },
    migration: (cell, instanceUuid, status, overrides = {}) =>
      cells.repos(cell).migrations.create({
        uuid: ids.uuid(), instance_uuid: instanceUuid, source_compute: HOSTS.a, source_node: HOSTS.a, dest_compute: HOSTS.b, dest_node: HOSTS.b, dest_host: null,
        old_instance_type_id: 1, new_instance_type_id: 2, status, migration_type: 'resize', user_id: 'u', project_id: 'p', ...overrides,
      }),
    allocate: async (consumer, host) => {
      const ok = await placement.client().claim(consumer, { [providers[host]]: { resources: { VCPU: 1, MEMORY_MB: 64 } } }, { projectId: 'p', userId: 'u', consumerGeneration: null });
      if (!ok) throw new Error('claim refused');
    },
    attachment: async (instanceUuid, bdmIn) => {
      const volume = await volumes.create(ADMIN, { size: 1 });
      const a = await volumes.attachmentCreate(ADMIN, volume.id, instanceUuid);
      if (bdmIn !== undefined) {
        await cells.repos(bdmIn).bdms.create({ instance_uuid: instanceUuid, source_type: 'volume', destination_type: 'volume', volume_id: volume.id, attachment_id: a.id });
      }
      return { volumeId: volume.id, attachmentId: a.id };
    },
    close: async () => {
      await network.close();
      await volumes.close();
      await images.close();
      await placement.close();
      await cells.closeAll();
      await apiDatabase.close();
      await rm(imageDir, { recursive: true, force: true });
    },
  };
}
