import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../../common/clock.js';
import { TesseraError } from '../../common/errors.js';
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
import { ImageService } from '../../image/index.js';
import type { Instance } from '../../objects/instance.js';
import { PowerState } from '../../objects/power-state.js';
import { TaskState } from '../../objects/task-state.js';
import { VmState } from '../../objects/vm-state.js';
import { PolicyEngine, allRuleDefaults } from '../../policy/index.js';
import { FakeDriver } from '../../virt/index.js';
import type { HandlerDeps } from '../handler-deps.js';
import { snapshotInstance } from './snapshot-instance.js';

const HOST = 'cell1-compute1';
const USER: RequestContext = { requestId: 'req-snap', userId: 'user-a', projectId: 'project-a', roles: ['member', 'reader'], isAdmin: false };

describe('snapshotInstance (compute handler)', () => {
  let dir: string;
  let database: Database<CellSchema>;
  let repos: CellRepos;
  let images: ImageService;
  let driver: FakeDriver;
  let faults: FaultInjector;
  let deps: HandlerDeps;
  const ids = new RandomIdGenerator();
  const clock = new ManualClock(new Date('2026-11-24T10:00:00Z'));

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tessera-snapshot-'));
    database = openDatabase<CellSchema>('sqlite://');
    await migrateToLatest(database as Database<unknown>, cellMigrations);
    repos = createCellRepos({ db: database.db, clock, ids });
    faults = new FaultInjector();
    const policy = await PolicyEngine.create({ defaults: allRuleDefaults() });
    images = await ImageService.create({ config: parseConfigText('', 'test'), clock, ids, logger: silentLogger(), policy, faults, databaseUrl: 'sqlite://', dataDir: join(dir, 'images') });
    driver = new FakeDriver({ vcpus: 8, memory_mb: 16384, local_gb: 200, hypervisor_type: 'fake', hypervisor_version: 1, host_ip: '192.0.2.1', logger: silentLogger(), faults });
    await driver.init(HOST);
    // The snapshot uses only the host, its cell's repositories, the driver, images, clock and logger.
    deps = { host: HOST, cellUuid: 'cell-1', repos, driver, images, clock, logger: silentLogger() } as unknown as HandlerDeps;
  });
  after(async () => {
    await images.close();
    await database.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => faults.disarm());

  /** A running server, marked by the API for a snapshot, with the queued image the API created. */
  async function prepare(power: 'on' | 'off' = 'on'): Promise<{ uuid: string; imageId: string }> {
    const uuid = ids.uuid();
    await driver.spawn({ uuid, name: `instance-${uuid.slice(0, 8)}`, flavor: { vcpus: 1, memory_mb: 512, root_gb: 1, ephemeral_gb: 0, swap: 0 }, imageRef: 'base-image', powerOn: power === 'on' });
    await repos.instances.create(instance(uuid, power === 'on' ? VmState.ACTIVE : VmState.STOPPED));
    await repos.actions.start({ action: 'createImage', instanceUuid: uuid, requestId: USER.requestId, userId: USER.userId, projectId: USER.projectId });
    const image = await images.create(USER, { name: 'snap', visibility: 'private', properties: { image_type: 'snapshot', instance_uuid: uuid } });
    return { uuid, imageId: image.id };
  }

  const events = async (uuid: string) =>
    repos.db
      .selectFrom('instance_actions_events')
      .innerJoin('instance_actions', 'instance_actions.id', 'instance_actions_events.action_id')
      .select(['instance_actions_events.event', 'instance_actions_events.result'])
      .where('instance_actions.instance_uuid', '=', uuid)
      .execute();
  const imageGone = async (imageId: string) =>
    images.get(USER, imageId).then(
      () => false,
      (err: unknown) => err instanceof TesseraError && err.status === 404,
    );

  it('uploads the guest\'s disk: the image ends active with the driver\'s formats, the server idle and unchanged', async () => {
    const { uuid, imageId } = await prepare();
    await snapshotInstance(deps, USER, { instance_uuid: uuid, image_id: imageId });
    const image = await images.get(USER, imageId);
    assert.equal(image.status, 'active');
    assert.equal(image.disk_format, 'qcow2');
    assert.equal(image.container_format, 'bare');
    assert.equal(image.virtual_size, 1024 ** 3);
    assert.equal(image['image_location'], 'snapshot');
    assert.equal(image['owner_id'], 'project-a');
    const after = await repos.instances.get(uuid);
    assert.deepEqual([after.vm_state, after.task_state, after.power_state], [VmState.ACTIVE, null, PowerState.RUNNING]);
    assert.deepEqual(await events(uuid), [{ event: 'compute_snapshot_instance', result: 'Success' }]);
  });

  it('snapshots a stopped guest and leaves it stopped', async () => {
    const { uuid, imageId } = await prepare('off');
    await snapshotInstance(deps, USER, { instance_uuid: uuid, image_id: imageId });
    assert.equal((await images.get(USER, imageId)).status, 'active');
    const after = await repos.instances.get(uuid);
    assert.deepEqual([after.vm_state, after.task_state, after.power_state], [VmState.STOPPED, null, PowerState.SHUTDOWN]);
  });

  for (const fault of ['virt.snapshot', 'image.update', 'image.upload']) {
    it(`on a failure in ${fault}: deletes the image, clears the task state, records a fault and an Error event`, async () => {
      const { uuid, imageId } = await prepare();
      faults.arm(fault);
      await snapshotInstance(deps, USER, { instance_uuid: uuid, image_id: imageId });
      assert.equal(await imageGone(imageId), true);
      const after = await repos.instances.get(uuid);
      assert.deepEqual([after.vm_state, after.task_state], [VmState.ACTIVE, null]);
      const fault0 = (await repos.faults.latestFor([uuid])).get(uuid);
      assert.match(String(fault0?.message), new RegExp(`Injected failure in ${fault.replace('.', '\\.')}`));
      assert.deepEqual(await events(uuid), [{ event: 'compute_snapshot_instance', result: 'Error' }]);
    });
  }

  it('when the server is being deleted, only deletes the image and leaves the delete alone', async () => {
    const { uuid, imageId } = await prepare();
    await repos.instances.update(uuid, { task_state: TaskState.DELETING });
    await snapshotInstance(deps, USER, { instance_uuid: uuid, image_id: imageId });
    assert.equal(await imageGone(imageId), true);
    assert.equal((await repos.instances.get(uuid)).task_state, TaskState.DELETING);
    assert.equal((await repos.faults.latestFor([uuid])).get(uuid), undefined);
  });

  it('logs and survives when the cleanup itself fails, leaving the image for an operator', async () => {
    const { uuid, imageId } = await prepare();
    faults.arm('virt.snapshot');
    faults.arm('image.delete');
    await snapshotInstance(deps, USER, { instance_uuid: uuid, image_id: imageId });
    assert.equal((await images.get(USER, imageId)).status, 'queued');
    assert.equal((await repos.instances.get(uuid)).task_state, null);
  });

  function instance(uuid: string, vmState: string): Instance {
    const now = clock.now().toISOString();
    return {
      id: 0, uuid, display_name: 'snap-source', display_description: null, hostname: 'snap-source', project_id: 'project-a', user_id: 'user-a',
      image_ref: 'base-image',
      flavor: { id: 1, flavorid: '1', name: 'm1.tiny', memory_mb: 512, vcpus: 1, root_gb: 1, ephemeral_gb: 0, swap: 0, rxtx_factor: 1, vcpu_weight: null, disabled: false, is_public: true, description: null, extra_specs: {}, created_at: now, updated_at: null },
      old_flavor: null, new_flavor: null, vm_state: vmState, task_state: TaskState.IMAGE_SNAPSHOT_PENDING,
      power_state: vmState === VmState.ACTIVE ? PowerState.RUNNING : PowerState.SHUTDOWN, host: HOST, node: HOST, availability_zone: 'cell1',
      reservation_id: 'r-1', launch_index: 0, key_name: null, config_drive: '', access_ip_v4: null, access_ip_v6: null, metadata: {},
      system_metadata: { image_base_image_ref: 'base-image' }, user_data: null, locked: false, locked_by: null, progress: 0, hidden: false,
      launched_at: now, terminated_at: null, created_at: now, updated_at: null, deleted_at: null, deleted: false,
    };
  }
});
