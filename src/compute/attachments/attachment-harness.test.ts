// Shared set-up for the attachment modules' tests: a cell database, the built-in volume and network
// services on in-memory databases, a fake driver, one fault injector for all three; no tests here.
import { ManualClock } from '../../common/clock.js';
import { FaultInjector } from '../../common/fault-injector.js';
import { RandomIdGenerator } from '../../common/ids.js';
import { silentLogger } from '../../common/logger.js';
import type { RequestContext } from '../../common/request-context.js';
import { parseConfigText } from '../../config/index.js';
import { createCellRepos, type CellRepos } from '../../db/cell/cell-repos.js';
import type { CellSchema } from '../../db/cell/cell-schema.js';
import { openDatabase, type Database } from '../../db/connection.js';
import { cellMigrations } from '../../db/migrations/cell/index.js';
import { migrateToLatest } from '../../db/migrator.js';
import { NetworkService, defaultNetworkIds, networkRuleDefaults } from '../../network/index.js';
import type { Instance } from '../../objects/instance.js';
import { PowerState } from '../../objects/power-state.js';
import { VmState } from '../../objects/vm-state.js';
import { PolicyEngine, allRuleDefaults } from '../../policy/index.js';
import { FakeDriver, type FakeGuest } from '../../virt/index.js';
import { VolumeService, volumeRuleDefaults } from '../../volume/index.js';
import { InstanceLocks } from '../instance-locks.js';
import type { PortAttachmentDeps } from './port-attachment.js';
import type { VolumeAttachmentDeps } from './volume-attachment.js';

export const HOST = 'cell1-compute1';
export const ADMIN_PROJECT = 'project-admin';
/** A member of the project that owns the instances. */
export const MEMBER: RequestContext = { requestId: 'req-attach', userId: 'user-a', projectId: 'project-a', roles: ['member', 'reader'], isAdmin: false };
export const ADMIN: RequestContext = { requestId: 'req-admin', userId: 'user-admin', projectId: ADMIN_PROJECT, roles: ['admin', 'member', 'reader'], isAdmin: true };
/** The shared network the network service creates on first start. */
export const DEFAULT_NETWORK_ID = defaultNetworkIds('private').networkId;

export interface AttachmentHarness {
  repos: CellRepos;
  volumes: VolumeService;
  network: NetworkService;
  driver: FakeDriver;
  faults: FaultInjector;
  volumeDeps: VolumeAttachmentDeps;
  portDeps: PortAttachmentDeps;
  /** A running instance of the member's project on HOST: its cell row and its guest. */
  instance(options?: { ephemeralGb?: number }): Promise<Instance>;
  /** The guest of an instance on the fake hypervisor. */
  guest(uuid: string): FakeGuest;
  close(): Promise<void>;
}

export async function startAttachmentHarness(): Promise<AttachmentHarness> {
  const clock = new ManualClock(new Date('2026-11-24T10:00:00Z'));
  const ids = new RandomIdGenerator();
  const logger = silentLogger();
  const faults = new FaultInjector();
  const config = parseConfigText('[cinder]\nquota_volumes = -1', 'test');
  const policy = await PolicyEngine.create({ defaults: [...allRuleDefaults(), ...volumeRuleDefaults, ...networkRuleDefaults] });
  const cellDb = openDatabase<CellSchema>('sqlite://');
  await migrateToLatest(cellDb as Database<unknown>, cellMigrations);
  const repos = createCellRepos({ db: cellDb.db, clock, ids });
  const images = { get: () => Promise.reject(new Error('no images here')), list: () => Promise.reject(new Error('no images here')) };
  const volumes = await VolumeService.create({ config, clock, ids, logger, policy, images: images as never, faults, databaseUrl: 'sqlite://' });
  const network = await NetworkService.create({ config, clock, ids, logger, policy, defaultNetworkProjectId: ADMIN_PROJECT, faults, databaseUrl: 'sqlite://' });
  const driver = new FakeDriver({ vcpus: 8, memory_mb: 16384, local_gb: 200, hypervisor_type: 'fake', hypervisor_version: 1, host_ip: '192.0.2.1', logger, faults });
  await driver.init(HOST);
  const locks = new InstanceLocks();
  return {
    repos, volumes, network, driver, faults,
    volumeDeps: { host: HOST, bdms: repos.bdms, volumes, driver, locks, logger },
    portDeps: { host: HOST, vifs: repos.vifs, network: network.client(), driver, locks, logger },
    async instance(options = {}) {
      const uuid = ids.uuid();
      const now = clock.now().toISOString();
      const flavor = {
        id: 1, flavorid: '1', name: 'm1.tiny', memory_mb: 512, vcpus: 1, root_gb: 1, ephemeral_gb: options.ephemeralGb ?? 0, swap: 0, rxtx_factor: 1,
        vcpu_weight: null, disabled: false, is_public: true, description: null, extra_specs: {}, created_at: now, updated_at: null,
      };
      await driver.spawn({ uuid, name: `instance-${uuid.slice(0, 8)}`, flavor, imageRef: 'base-image', powerOn: true });
      return repos.instances.create({
        id: 0, uuid, display_name: 'attach-target', display_description: null, hostname: 'attach-target', project_id: MEMBER.projectId, user_id: MEMBER.userId,
        image_ref: 'base-image', flavor, old_flavor: null, new_flavor: null, vm_state: VmState.ACTIVE, task_state: null, power_state: PowerState.RUNNING,
        host: HOST, node: HOST, availability_zone: 'cell1', reservation_id: 'r-1', launch_index: 0, key_name: null, config_drive: '', access_ip_v4: null,
        access_ip_v6: null, metadata: {}, system_metadata: {}, user_data: null, locked: false, locked_by: null, progress: 0, hidden: false,
        launched_at: now, terminated_at: null, created_at: now, updated_at: null, deleted_at: null, deleted: false,
      });
    },
    guest(uuid) {
      const guest = driver.listGuests().find((g) => g.uuid === uuid);
      if (guest === undefined) throw new Error(`no guest ${uuid}`);
      return guest;
    },
    async close() {
      await volumes.close();
      await network.close();
      await cellDb.close();
    },
  };
}
