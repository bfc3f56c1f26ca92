import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { makeInstance, makeRequestSpec } from '../../../test/integration/db/instance-fixture.js';
import { ManualClock } from '../../common/clock.js';
import { RandomIdGenerator } from '../../common/ids.js';
import { silentLogger } from '../../common/logger.js';
import type { RequestContext } from '../../common/request-context.js';
import { parseConfigText } from '../../config/index.js';
import { createApiRepos, type ApiRepos } from '../../db/api/api-repos.js';
import type { ApiSchema } from '../../db/api/api-schema.js';
import { CellDatabases } from '../../db/cell/cell-databases.js';
import type { CellRepos } from '../../db/cell/cell-repos.js';
import { openDatabase, type Database } from '../../db/connection.js';
import { apiMigrations } from '../../db/migrations/api/index.js';
import { cellMigrations } from '../../db/migrations/cell/index.js';
import { migrateToLatest } from '../../db/migrator.js';
import { NoopInstanceNotifier } from '../../notifications/index.js';
import { CELL0_UUID, type CellMapping } from '../../objects/cell-mapping.js';
import type { Instance } from '../../objects/instance.js';
import { PowerState } from '../../objects/power-state.js';
import { TaskState } from '../../objects/task-state.js';
import { VmState } from '../../objects/vm-state.js';
import { PlacementService, placementRuleDefaults, type Allocations, type ClaimOptions, type PlacementClient } from '../../placement/index.js';
import { BadRequestError } from '../../common/errors.js';
import { PolicyEngine, allRuleDefaults } from '../../policy/index.js';
import type { BuildArgs, ComputeRpcClient } from '../../rpc/contracts/compute-rpc.js';
import type { RescheduleArgs } from '../../rpc/contracts/conductor-rpc.js';
import type { HostChoice, SchedulerRpcClient } from '../../rpc/contracts/scheduler-rpc.js';
import type { VolumeClient } from '../../volume/index.js';
import { rescheduleBuild } from './reschedule-build.js';
import type { BuildDeps } from './schedule-and-build.js';

const ctx: RequestContext = { requestId: 'req-reschedule-1', userId: 'user-a', projectId: 'project-a', roles: ['member', 'reader'], isAdmin: false };
const FLAVOR_RESOURCES = { VCPU: 1, MEMORY_MB: 512, DISK_GB: 1 };
const NETWORKS = [{ network_id: null, port_id: '0f3c9a52-4f5e-4b8e-9d0a-7c1b2e3d4f50', fixed_ip: null, tag: 'nic1' }];

describe('rescheduleBuild', () => {
  let clock: ManualClock;
  let ids: RandomIdGenerator;
  let apiDb: Database<ApiSchema>;
  let api: ApiRepos;
  let cells: CellDatabases;
  let cell1: CellMapping;
  let repos: CellRepos;
  let service: PlacementService;
  let placement: PlacementClient;
  /** Runs before each claim the conductor makes (to race it). */
  let beforeClaim: ((consumer: string) => Promise<void>) | undefined;
  let builds: { ctx: RequestContext; host: string; args: BuildArgs }[];
  let invalidations: number;
  let deps: BuildDeps;
  let volumeCalls: string[][];
  let refuseReservation: boolean;
  let instance: Instance;
  /** host name → provider uuid */
  let rp: Record<string, string>;

  beforeEach(async () => {
    clock = new ManualClock(new Date('2026-06-01T08:00:00Z'));
    ids = new RandomIdGenerator();
    apiDb = openDatabase<ApiSchema>('sqlite://');
    await migrateToLatest(apiDb, apiMigrations);
    api = createApiRepos({ db: apiDb.db, clock, ids });
    cells = new CellDatabases({ clock, ids });
    const cell0 = await api.cells.upsert({ uuid: CELL0_UUID, name: 'cell0', transportUrl: 'inproc://', databaseConnection: 'sqlite:///:memory:?cell=cell0' });
    await migrateToLatest(cells.database(cell0), cellMigrations);
    cell1 = await api.cells.upsert({ uuid: ids.uuid(), name: 'cell1', transportUrl: 'inproc://', databaseConnection: 'sqlite:///:memory:?cell=cell1' });
    await migrateToLatest(cells.database(cell1), cellMigrations);
    repos = cells.repos(cell1);

    const policy = await PolicyEngine.create({ defaults: [...allRuleDefaults(), ...placementRuleDefaults] });
    service = await PlacementService.create({ config: parseConfigText('', 'test'), clock, ids, logger: silentLogger(), policy, databaseUrl: 'sqlite://' });
    const real = service.client();
    beforeClaim = undefined;
    placement = new Proxy(real, {
      get: (target, prop, receiver) => {
        if (prop === 'claim') {
          return async (consumer: string, allocations: Allocations, options: ClaimOptions): Promise<boolean> => {
            const hook = beforeClaim;
            beforeClaim = undefined;
            if (hook !== undefined) await hook(consumer);
            return target.claim(consumer, allocations, options);
          };
        }
        const value: unknown = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    rp = {};
    for (const [host, ramMb] of [['h0', 4096], ['h1', 4096], ['h2', 4096], ['h3', 4096]] as const) {
      const uuid = ids.uuid();
      rp[host] = uuid;
      await real.ensureProvider({ uuid, name: `${host}.node` });
      await real.setInventory(uuid, { VCPU: { total: 8 }, MEMORY_MB: { total: ramMb }, DISK_GB: { total: 100 } });
      await real.setAggregates(uuid, [cell1.uuid]);
    }

    builds = [];
    const compute = {
      buildAndRunInstance: (c: RequestContext, host: string, args: BuildArgs): Promise<void> => {
        builds.push({ ctx: c, host, args });
        return Promise.resolve();
      },
    } as unknown as ComputeRpcClient;
    invalidations = 0;
    const scheduler = {
      invalidateHostState: (): Promise<void> => {
        invalidations += 1;
        return Promise.resolve();
      },
    } as unknown as SchedulerRpcClient;
    volumeCalls = [];
    refuseReservation = false;
    // Records the calls; a reservation is refused when the test says so (the volume was taken).
    const volumes = {
      attachmentCreate: (c: RequestContext, volumeId: string, instanceUuid: string) => {
        volumeCalls.push(['attachmentCreate', volumeId, instanceUuid, c.requestId]);
        if (refuseReservation) return Promise.reject(new BadRequestError('volume.invalid_state', `Volume ${volumeId} is in-use.`));
        return Promise.resolve({ id: `att-${volumeCalls.length}` });
      },
      attachmentDelete: (_c: RequestContext, attachmentId: string) => {
        volumeCalls.push(['attachmentDelete', attachmentId]);
        return Promise.resolve();
      },
    } as unknown as VolumeClient;
    deps = { api, placement, cells, scheduler, compute, volumes, notifier: new NoopInstanceNotifier(), clock, logger: silentLogger() };

    // The instance as the compute hands it back: still building, waiting for a host, no host.
    instance = await repos.instances.create(
      makeInstance({ clock, ids }, { vm_state: VmState.BUILDING, task_state: TaskState.SCHEDULING, power_state: PowerState.NOSTATE, host: null, node: null, launched_at: null }),
    );
    await repos.actions.start({ action: 'create', instanceUuid: instance.uuid, requestId: ctx.requestId, userId: ctx.userId, projectId: ctx.projectId });
    await api.requestSpecs.create(makeRequestSpec(instance, { requested_networks: NETWORKS }));
  });

  afterEach(async () => {
    await service.close();
    await cells.closeAll();
    await apiDb.close();
  });

  function choice(host: string): HostChoice {
    return { service_host: host, nodename: `${host}.node`, cell_uuid: cell1.uuid, allocation_request: { [rp[host] as string]: { resources: FLAVOR_RESOURCES } } };
  }

  function args(alternates: string[], over: Partial<RescheduleArgs> = {}): RescheduleArgs {
    return { instance_uuid: instance.uuid, cell_uuid: cell1.uuid, failed_host: 'h0', reason: 'spawn failed: boom', alternates: alternates.map(choice), ...over };
  }

  /** Takes all the RAM of a host under another consumer. */
  async function fill(host: string): Promise<void> {
    assert.ok(await placement.claim(`filler-${host}`, { [rp[host] as string]: { resources: { MEMORY_MB: 4096 } } }, { projectId: 'p', userId: 'u', consumerGeneration: null }));
  }

  async function allocatedOn(consumer: string): Promise<string[]> {
    return Object.keys((await placement.getAllocations(consumer)).allocations).sort();
  }

  async function events(): Promise<{ event: string; result: string | null; traceback: string | null }[]> {
    return repos.db.selectFrom('instance_actions_events').select(['event', 'result', 'traceback']).orderBy('id').execute();
  }

  it('claims the first alternate with room, points the instance at it and builds there with the rest as alternates', async () => {
    await rescheduleBuild(deps, ctx, args(['h1', 'h2', 'h3']));

    const claim = await placement.getAllocations(instance.uuid);
    assert.deepEqual(Object.keys(claim.allocations), [rp['h1']]);
    assert.deepEqual(claim.allocations[rp['h1'] as string]?.resources, FLAVOR_RESOURCES);
    assert.equal(claim.project_id, instance.project_id);
    assert.equal(claim.user_id, instance.user_id);

    const after = await repos.instances.get(instance.uuid);
    assert.equal(after.host, 'h1');
    assert.equal(after.node, 'h1.node');
    assert.equal(after.task_state, TaskState.SCHEDULING, 'the compute moves it on');
    assert.equal(after.vm_state, VmState.BUILDING);

    assert.equal(builds.length, 1);
    const build = builds[0]!;
    assert.equal(build.host, 'h1');
    assert.equal(build.ctx.requestId, ctx.requestId);
    assert.deepEqual(build.args, { instance_uuid: instance.uuid, node: 'h1.node', alternates: [choice('h2'), choice('h3')], reschedulable: true, requested_networks: NETWORKS });
    assert.deepEqual(volumeCalls, [], 'no volume to reserve again');
    assert.equal(invalidations, 1, "the scheduler reloads its view, which still had the instance on the failed host");
    assert.deepEqual(await events(), [{ event: 'conductor_reschedule_build', result: 'Success', traceback: null }]);
  });

  it('reserves again the volume a failed build released, and leaves reserved ones and created volumes alone', async () => {
    const given = await repos.bdms.create({ instance_uuid: instance.uuid, source_type: 'volume', destination_type: 'volume', volume_id: 'vol-given', boot_index: 0 });
    const kept = await repos.bdms.create({ instance_uuid: instance.uuid, source_type: 'volume', destination_type: 'volume', volume_id: 'vol-kept', attachment_id: 'att-kept', boot_index: 1 });
    const created = await repos.bdms.create({ instance_uuid: instance.uuid, source_type: 'image', destination_type: 'volume', image_id: 'img', volume_size: 1 });
    await rescheduleBuild(deps, ctx, args(['h1']));
    assert.deepEqual(volumeCalls, [['attachmentCreate', 'vol-given', instance.uuid, ctx.requestId]]);
    assert.equal((await repos.bdms.get(given.uuid)).attachment_id, 'att-1');
    assert.equal((await repos.bdms.get(kept.uuid)).attachment_id, 'att-kept');
    assert.equal((await repos.bdms.get(created.uuid)).volume_id, null, 'the next host creates it again');
    assert.deepEqual(builds.map((b) => b.host), ['h1']);
  });

  it('a volume that cannot be reserved again ends the retries: ERROR with a fault, claim and other reservations released', async () => {
    await repos.bdms.create({ instance_uuid: instance.uuid, source_type: 'volume', destination_type: 'volume', volume_id: 'vol-a', boot_index: 0 });
    const second = await repos.bdms.create({ instance_uuid: instance.uuid, source_type: 'volume', destination_type: 'volume', volume_id: 'vol-b', boot_index: 1 });
    // The first reservation succeeds, the second is refused.
    const volumes = deps.volumes;
    let n = 0;
    deps = { ...deps, volumes: { ...volumes, attachmentCreate: (c: RequestContext, v: string, i: string) => { n += 1; refuseReservation = n === 2; return volumes.attachmentCreate(c, v, i); } } as VolumeClient };
    await rescheduleBuild(deps, ctx, args(['h1', 'h2']));
    assert.deepEqual(volumeCalls, [['attachmentCreate', 'vol-a', instance.uuid, ctx.requestId], ['attachmentCreate', 'vol-b', instance.uuid, ctx.requestId], ['attachmentDelete', 'att-1']]);
    assert.deepEqual((await repos.bdms.list(instance.uuid)).map((b) => b.attachment_id), [null, null]);
    assert.equal(second.attachment_id, null);
    assert.deepEqual(await allocatedOn(instance.uuid), [], 'the claim was released');
    assert.deepEqual(builds, []);
    const after = await repos.instances.get(instance.uuid);
    assert.equal(after.vm_state, VmState.ERROR);
    assert.equal(after.host, null);
    assert.match((await repos.faults.latestFor([instance.uuid])).get(instance.uuid)?.message ?? '', /in-use/);
  });

  it('skips an alternate without room and claims the next one', async () => {
    await fill('h1');
    await rescheduleBuild(deps, ctx, args(['h1', 'h2', 'h3']));
    assert.deepEqual(await allocatedOn(instance.uuid), [rp['h2']]);
    assert.equal((await repos.instances.get(instance.uuid)).host, 'h2');
    assert.deepEqual(builds.map((b) => [b.host, b.args.alternates.map((a) => a.service_host)]), [['h2', ['h3']]]);
    assert.deepEqual(await allocatedOn('filler-h1'), [rp['h1']], 'the full host keeps its consumer');
  });

  it('builds on the last alternate with no alternates left', async () => {
    await fill('h1');
    await fill('h2');
    await rescheduleBuild(deps, ctx, args(['h1', 'h2', 'h3']));
    assert.deepEqual(builds.map((b) => [b.host, b.args.alternates]), [['h3', []]]);
  });

  it('puts the instance in ERROR with the "Exceeded maximum number of retries" fault when no alternate has room', async () => {
    await fill('h1');
    await fill('h2');
    await rescheduleBuild(deps, ctx, args(['h1', 'h2']));

    const after = await repos.instances.get(instance.uuid);
    assert.equal(after.vm_state, VmState.ERROR);
    assert.equal(after.task_state, null);
    assert.equal(after.power_state, PowerState.NOSTATE);
    assert.equal(after.host, null);
    const fault = (await repos.faults.latestFor([instance.uuid])).get(instance.uuid);
    assert.ok(fault, 'a fault is recorded');
    assert.equal(fault.code, 500);
    assert.equal(fault.message, `Exceeded maximum number of retries. Exhausted all hosts available for retrying build failures for instance ${instance.uuid}.`);
    assert.match(fault.details ?? '', /h0/);
    assert.match(fault.details ?? '', /spawn failed: boom/);
    assert.deepEqual(await allocatedOn(instance.uuid), [], 'no claim left behind');
    assert.deepEqual(builds, []);
    const [event] = await events();
    assert.equal(event?.event, 'conductor_reschedule_build');
    assert.equal(event.result, 'Error');
    assert.match(event.traceback ?? '', /Exceeded maximum number of retries/);
  });

  it('puts the instance in ERROR at once when there are no alternates', async () => {
    await rescheduleBuild(deps, ctx, args([]));
    assert.equal((await repos.instances.get(instance.uuid)).vm_state, VmState.ERROR);
    assert.match((await repos.faults.latestFor([instance.uuid])).get(instance.uuid)?.message ?? '', /^Exceeded maximum number of retries/);
    assert.deepEqual(await allocatedOn(instance.uuid), []);
  });

  for (const taskState of [null, TaskState.SPAWNING, TaskState.DELETING]) {
    it(`does nothing for an instance no longer waiting for a host (task_state ${String(taskState)})`, async () => {
      await repos.instances.update(instance.uuid, { task_state: taskState });
      const before = await repos.instances.get(instance.uuid);
      await rescheduleBuild(deps, ctx, args(['h1', 'h2']));
      assert.deepEqual(await repos.instances.get(instance.uuid), before);
      assert.deepEqual(await allocatedOn(instance.uuid), []);
      assert.deepEqual(builds, []);
      assert.equal((await repos.faults.latestFor([instance.uuid])).size, 0);
      assert.deepEqual(await events(), []);
    });
  }

  it('does nothing for a deleted instance', async () => {
    await repos.instances.softDelete(instance.uuid);
    await rescheduleBuild(deps, ctx, args(['h1', 'h2']));
    assert.deepEqual(await allocatedOn(instance.uuid), []);
    assert.deepEqual(builds, []);
    assert.equal((await repos.instances.find(instance.uuid, { includeDeleted: true }))?.vm_state, 'deleted');
  });

  it('releases its claim when the instance is deleted between the check and the claim', async () => {
    beforeClaim = async () => {
      await repos.instances.softDelete(instance.uuid);
    };
    await rescheduleBuild(deps, ctx, args(['h1', 'h2']));
    assert.deepEqual(await allocatedOn(instance.uuid), [], 'the claim was released');
    assert.equal((await placement.usages(rp['h1'] as string)).usages['MEMORY_MB'], 0);
    assert.deepEqual(builds, []);
  });

  it('leaves an instance deleted while no alternate had room alone, without failing', async () => {
    await fill('h1');
    beforeClaim = async () => {
      await repos.instances.softDelete(instance.uuid);
    };
    await rescheduleBuild(deps, ctx, args(['h1']));
    const row = await repos.instances.find(instance.uuid, { includeDeleted: true });
    assert.equal(row?.vm_state, 'deleted');
    assert.deepEqual(await allocatedOn(instance.uuid), []);
    assert.deepEqual(builds, []);
  });

  it('drops a reschedule for an unknown cell or for cell0', async () => {
    await rescheduleBuild(deps, ctx, args(['h1'], { cell_uuid: ids.uuid() }));
    await rescheduleBuild(deps, ctx, args(['h1'], { cell_uuid: CELL0_UUID }));
    assert.deepEqual(await allocatedOn(instance.uuid), []);
    assert.deepEqual(builds, []);
    assert.equal((await repos.instances.get(instance.uuid)).task_state, TaskState.SCHEDULING);
  });
});
