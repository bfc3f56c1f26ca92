import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { makeInstance } from '../../test/integration/db/instance-fixture.js';
import { ManualClock } from '../common/clock.js';
import { RandomIdGenerator } from '../common/ids.js';
import { createApiRepos, type ApiRepos } from '../db/api/api-repos.js';
import type { ApiSchema } from '../db/api/api-schema.js';
import { CellDatabases } from '../db/cell/cell-databases.js';
import type { NodeReport } from '../db/cell/compute-node-repo.js';
import { openDatabase, type Database } from '../db/connection.js';
import { apiMigrations } from '../db/migrations/api/index.js';
import { cellMigrations } from '../db/migrations/cell/index.js';
import { migrateToLatest } from '../db/migrator.js';
import { CELL0_UUID, type CellMapping } from '../objects/cell-mapping.js';
import { TaskState } from '../objects/task-state.js';
import { VmState } from '../objects/vm-state.js';
import { HostStateCache, type CachedHost } from './host-state-cache.js';

const SERVICE_DOWN_TIME = 60;
const MAX_AGE_MS = 2000;

function report(host: string, over: Partial<NodeReport> = {}): NodeReport {
  return {
    host, hypervisor_hostname: `${host}.node`, hypervisor_type: 'fake', hypervisor_version: 1, host_ip: '192.0.2.1',
    vcpus: 8, memory_mb: 16384, local_gb: 100, vcpus_used: 0, memory_mb_used: 0, local_gb_used: 0, running_vms: 0,
    cpu_allocation_ratio: 4, ram_allocation_ratio: 1.5, disk_allocation_ratio: 1,
    reserved_host_memory_mb: 512, reserved_host_disk_mb: 2048, reserved_host_cpus: 0, ...over,
  };
}

describe('HostStateCache', () => {
  let clock: ManualClock;
  let ids: RandomIdGenerator;
  let apiDb: Database<ApiSchema>;
  let api: ApiRepos;
  let cells: CellDatabases;
  let cell0: CellMapping;
  let cell1: CellMapping;
  let cell2: CellMapping;
  /** host name → compute node uuid */
  let node: Record<string, string>;
  /** host name → service id */
  let service: Record<string, number>;

  async function addCell(uuid: string, name: string): Promise<CellMapping> {
    const cell = await api.cells.upsert({ uuid, name, transportUrl: 'inproc://', databaseConnection: `sqlite:///:memory:?cell=${name}` });
    await migrateToLatest(cells.database(cell), cellMigrations);
    return cell;
  }

  async function addCompute(cell: CellMapping, host: string, over: Partial<NodeReport> = {}): Promise<string> {
    const repos = cells.repos(cell);
    const svc = await repos.services.register(host, 'nova-compute', 'compute');
    const n = await repos.computeNodes.save(svc.id, report(host, over));
    node[host] = n.uuid;
    service[host] = svc.id;
    return n.uuid;
  }

  function cache(over: { maxAgeMs?: number; api?: ApiRepos } = {}): HostStateCache {
    return new HostStateCache({
      api: over.api ?? api, cells, clock, serviceDownTime: SERVICE_DOWN_TIME, defaultZone: 'nova-default', maxAgeMs: over.maxAgeMs ?? MAX_AGE_MS,
    });
  }

  function hostOf(view: Map<string, CachedHost>, host: string): CachedHost {
    const h = view.get(node[host] as string);
    assert.ok(h, `${host} is in the view`);
    return h;
  }

  beforeEach(async () => {
    clock = new ManualClock(new Date('2026-05-01T12:00:00Z'));
    ids = new RandomIdGenerator();
    apiDb = openDatabase<ApiSchema>('sqlite://');
    await migrateToLatest(apiDb, apiMigrations);
    api = createApiRepos({ db: apiDb.db, clock, ids });
    cells = new CellDatabases({ clock, ids });
    node = {};
    service = {};
    cell0 = await addCell(CELL0_UUID, 'cell0');
    cell1 = await addCell(ids.uuid(), 'cell1');
    cell2 = await addCell(ids.uuid(), 'cell2');
    await addCompute(cell1, 'c1-h1');
    await addCompute(cell1, 'c1-h2');
    await addCompute(cell2, 'c2-h1', { vcpus: 4, memory_mb: 8192, local_gb: 50, cpu_allocation_ratio: 1, ram_allocation_ratio: 1, reserved_host_memory_mb: 0, reserved_host_disk_mb: 0, reserved_host_cpus: 1 });
    // cell0 never has computes; one that shows up there anyway is not a scheduling target.
    await addCompute(cell0, 'c0-stray');
    await api.aggregates.ensureZone('agg-az1', 'az1', ['c1-h1']);
    const plain = await api.aggregates.create({ name: 'ssd' });
    await api.aggregates.update(plain.id, { metadata: { ssd: 'true' } });
    await api.aggregates.addHost(plain.id, 'c1-h1');
    await api.aggregates.addHost(plain.id, 'c2-h1');
  });

  afterEach(async () => {
    await cells.closeAll();
    await apiDb.close();
  });

  describe('loading', () => {
    it('loads the compute nodes of every cell but cell0, keyed by node uuid', async () => {
      const view = await cache().nodes();
      assert.deepEqual([...view.keys()].sort(), [node['c1-h1'], node['c1-h2'], node['c2-h1']].sort());
      assert.equal(view.has(node['c0-stray'] as string), false);
      const h = hostOf(view, 'c2-h1');
      assert.equal(h.nodeUuid, node['c2-h1']);
      assert.equal(h.host, 'c2-h1');
      assert.equal(h.nodename, 'c2-h1.node');
      assert.equal(h.cellUuid, cell2.uuid);
      assert.equal(h.cellName, 'cell2');
      assert.equal(hostOf(view, 'c1-h2').cellUuid, cell1.uuid);
      assert.deepEqual(h.supportedInstances, [['x86_64', 'fake', 'hvm']]);
    });

    it('skips disabled cells', async () => {
      await apiDb.db.updateTable('cell_mappings').set({ disabled: 1 }).where('uuid', '=', cell2.uuid).execute();
      const view = await cache().nodes();
      assert.deepEqual([...view.keys()].sort(), [node['c1-h1'], node['c1-h2']].sort());
    });

    it('computes capacity from the node report with reserved amounts and allocation ratios', async () => {
      const view = await cache().nodes();
      const h1 = hostOf(view, 'c1-h1');
      // (8 - 0) * 4 vCPUs, (16384 - 512) * 1.5 MB, (100 - 2048/1024) * 1 GB
      assert.equal(h1.totalVcpus, 32);
      assert.equal(h1.totalRamMb, 23808);
      assert.equal(h1.totalDiskGb, 98);
      assert.equal(h1.freeRamMb, h1.totalRamMb);
      const h2 = hostOf(view, 'c2-h1');
      assert.equal(h2.totalVcpus, 3);
      assert.equal(h2.totalRamMb, 8192);
      assert.equal(h2.totalDiskGb, 50);
    });

    it('takes the zone from the host\'s aggregates, else the default zone, and lists the aggregates', async () => {
      const view = await cache().nodes();
      const h1 = hostOf(view, 'c1-h1');
      assert.equal(h1.zone, 'az1');
      assert.deepEqual(h1.aggregates?.map((a) => [a.name, a.metadata]).sort(), [['agg-az1', { availability_zone: 'az1' }], ['ssd', { ssd: 'true' }]]);
      const c2 = hostOf(view, 'c2-h1');
      assert.equal(c2.zone, 'nova-default', 'an aggregate without availability_zone does not zone the host');
      assert.deepEqual(c2.aggregates?.map((a) => a.name), ['ssd']);
      assert.equal(hostOf(view, 'c1-h2').zone, 'nova-default');
      assert.deepEqual(hostOf(view, 'c1-h2').aggregates, []);
    });

    it('marks services up, down (no heartbeat within service_down_time, or forced down) and disabled', async () => {
      const c = cache();
      let view = await c.nodes();
      assert.ok([...view.values()].every((h) => h.serviceUp && !h.serviceDisabled));

      clock.advance((SERVICE_DOWN_TIME + 1) * 1000);
      await cells.repos(cell1).services.heartbeat(service['c1-h1'] as number);
      await cells.repos(cell1).services.update(service['c1-h2'] as number, { disabled: true, disabled_reason: 'maintenance' });
      c.invalidate();
      view = await c.nodes();
      assert.equal(hostOf(view, 'c1-h1').serviceUp, true, 'heartbeat just now');
      assert.equal(hostOf(view, 'c2-h1').serviceUp, false, 'no heartbeat for 61 s');
      assert.equal(hostOf(view, 'c1-h2').serviceDisabled, true);
      assert.equal(hostOf(view, 'c1-h1').serviceDisabled, false);

      await cells.repos(cell1).services.update(service['c1-h1'] as number, { forced_down: true });
      c.invalidate();
      view = await c.nodes();
      assert.equal(hostOf(view, 'c1-h1').serviceUp, false, 'forced down');
    });

    it('lists the live instances of each host', async () => {
      const instances = cells.repos(cell1).instances;
      const a = await instances.create(makeInstance({ clock, ids }, { host: 'c1-h1', node: 'c1-h1.node' }));
      const b = await instances.create(makeInstance({ clock, ids }, { host: 'c1-h1', node: 'c1-h1.node', vm_state: VmState.BUILDING, task_state: TaskState.SCHEDULING }));
      const gone = await instances.create(makeInstance({ clock, ids }, { host: 'c1-h1', node: 'c1-h1.node' }));
      await instances.softDelete(gone.uuid);
      await instances.create(makeInstance({ clock, ids }, { host: null, node: null, vm_state: VmState.ERROR }));
      const other = await instances.create(makeInstance({ clock, ids }, { host: 'c1-h2', node: 'c1-h2.node' }));
      const inCell2 = await cells.repos(cell2).instances.create(makeInstance({ clock, ids }, { host: 'c2-h1', node: 'c2-h1.node' }));

      const view = await cache().nodes();
      assert.deepEqual([...(hostOf(view, 'c1-h1').instanceUuids ?? [])].sort(), [a.uuid, b.uuid].sort());
      assert.equal(hostOf(view, 'c1-h1').numInstances, 2);
      assert.deepEqual(hostOf(view, 'c1-h2').instanceUuids, [other.uuid]);
      assert.equal(hostOf(view, 'c1-h2').numInstances, 1);
      assert.deepEqual(hostOf(view, 'c2-h1').instanceUuids, [inCell2.uuid]);
    });
  });

  describe('reuse and reload', () => {
    it('reuses the view within maxAgeMs, even when the databases change', async () => {
      const c = cache();
      const first = await c.nodes();
      await addCompute(cell1, 'c1-new');
      await api.aggregates.ensureZone('agg-az2', 'az2', ['c1-h2']);
      await cells.repos(cell1).instances.create(makeInstance({ clock, ids }, { host: 'c1-h2', node: 'c1-h2.node' }));
      clock.advance(MAX_AGE_MS);
      const again = await c.nodes();
      assert.equal(again, first, 'the same view');
      assert.equal(again.size, 3);
      assert.equal(hostOf(again, 'c1-h2').zone, 'nova-default');
      assert.deepEqual(hostOf(again, 'c1-h2').instanceUuids, []);
    });

    it('reloads once the view is older than maxAgeMs', async () => {
      const c = cache();
      await c.nodes();
      await addCompute(cell1, 'c1-new');
      await api.aggregates.ensureZone('agg-az2', 'az2', ['c1-h2']);
      clock.advance(MAX_AGE_MS + 1);
      const aged = await c.nodes();
      assert.equal(aged.size, 3, 'an aged view is still used while it reloads behind the decision');
      await c.whenLoaded();
      const view = await c.nodes();
      assert.equal(view.size, 4);
      assert.equal(hostOf(view, 'c1-new').cellUuid, cell1.uuid);
      assert.equal(hostOf(view, 'c1-h2').zone, 'az2');
    });

    it('reloads at once after invalidate()', async () => {
      const c = cache({ maxAgeMs: 3_600_000 });
      await c.nodes();
      await cells.repos(cell2).services.update(service['c2-h1'] as number, { disabled: true });
      assert.equal(hostOf(await c.nodes(), 'c2-h1').serviceDisabled, false, 'still cached');
      c.invalidate();
      assert.equal(hostOf(await c.nodes(), 'c2-h1').serviceDisabled, true);
    });

    it('with maxAgeMs 0 reloads behind every call but one made at the same instant', async () => {
      const c = cache({ maxAgeMs: 0 });
      const first = await c.nodes();
      assert.equal(await c.nodes(), first);
      clock.advance(1);
      assert.equal(await c.nodes(), first, 'the aged view answers while the reload runs');
      await c.whenLoaded();
      assert.notEqual(await c.nodes(), first);
    });

    it('concurrent nodes() calls during a reload share one load', async () => {
      let loads = 0;
      const counting: ApiRepos = { ...api, aggregates: { list: () => ((loads += 1), api.aggregates.list()) } as ApiRepos['aggregates'] };
      const c = cache({ api: counting });
      const views = await Promise.all([c.nodes(), c.nodes(), c.nodes()]);
      assert.equal(loads, 1);
      assert.equal(views[0], views[1]);
      assert.equal(views[1], views[2]);
      assert.equal(views[0]?.size, 3);
      c.invalidate();
      await Promise.all([c.nodes(), c.nodes()]);
      assert.equal(loads, 2);
    });

    it('does not lose an invalidate() that arrives while a reload is reading the databases', async () => {
      let release!: () => void;
      const gate = new Promise<void>((r) => {
        release = r;
      });
      let reached!: () => void;
      const atGate = new Promise<void>((r) => {
        reached = r;
      });
      let hold = true;
      // The load reads the aggregates first, then the cell mappings: hold it between the two.
      const gated: ApiRepos = {
        ...api,
        cells: {
          list: async () => {
            if (hold) {
              hold = false;
              reached();
              await gate;
            }
            return api.cells.list();
          },
        } as ApiRepos['cells'],
      };
      const c = cache({ api: gated, maxAgeMs: 3_600_000 });
      const loading = c.nodes();
      await atGate;
      // An operator zones c1-h2 now; the API tells the scheduler to drop its view.
      await api.aggregates.ensureZone('agg-az2', 'az2', ['c1-h2']);
      c.invalidate();
      release();
      await loading;
      const view = await c.nodes();
      assert.equal(hostOf(view, 'c1-h2').zone, 'az2', 'the view loaded before the change must not outlive the invalidation');
    });
  });

  describe('notePlaced', () => {
    it('adds the instance to the host until the next load reads it from the database', async () => {
      const c = cache();
      const existing = await cells.repos(cell1).instances.create(makeInstance({ clock, ids }, { host: 'c1-h1', node: 'c1-h1.node' }));
      const view = await c.nodes();
      const before = hostOf(view, 'c1-h1').instanceUuids;
      c.notePlaced(node['c1-h1'] as string, 'new-1');
      c.notePlaced(node['c1-h1'] as string, 'new-2');
      const h = hostOf(await c.nodes(), 'c1-h1');
      assert.deepEqual(h.instanceUuids, [existing.uuid, 'new-1', 'new-2']);
      assert.equal(h.numInstances, 3);
      assert.deepEqual(before, [existing.uuid], 'a fresh array: holders of the old one see no change');
      assert.deepEqual(hostOf(await c.nodes(), 'c1-h2').instanceUuids, []);
      c.notePlaced('no-such-node', 'new-3');
      assert.equal((await c.nodes()).has('no-such-node'), false);
    });

    it('keeps a choice noted while a load was reading the cells, until a load finds the instance', async () => {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let reached!: () => void;
      const atGate = new Promise<void>((r) => (reached = r));
      let hold = false;
      const gated: ApiRepos = {
        ...api,
        cells: {
          list: async () => {
            const cells = await api.cells.list();
            if (hold) {
              hold = false;
              reached();
              await gate;
            }
            return cells;
          },
        } as ApiRepos['cells'],
      };
      const c = cache({ api: gated, maxAgeMs: 1000 });
      await c.nodes();
      // The view aged: the next decision uses it and a reload starts behind it; that reload is
      // held after reading nothing of cell1 yet, while a decision places 'racing' on c1-h1.
      clock.advance(1001);
      hold = true;
      await c.nodes();
      await atGate;
      c.notePlaced(node['c1-h1'] as string, 'racing');
      release();
      await c.whenLoaded();
      assert.deepEqual(hostOf(await c.nodes(), 'c1-h1').instanceUuids, ['racing'], 'the reload read the cell before the choice');

      // Later loads still do not find it in the cell (its row is not written yet): still there.
      c.invalidate();
      assert.deepEqual(hostOf(await c.nodes(), 'c1-h1').instanceUuids, ['racing']);
      // Once a load finds the instance, on another host after a reschedule, the note is done.
      const moved = await cells.repos(cell1).instances.create(makeInstance({ clock, ids }, { uuid: 'racing', host: 'c1-h2', node: 'c1-h2.node' }));
      c.invalidate();
      const view = await c.nodes();
      assert.deepEqual(hostOf(view, 'c1-h1').instanceUuids, []);
      assert.deepEqual(hostOf(view, 'c1-h2').instanceUuids, [moved.uuid]);
    });

    it('keeps a move\'s choice while the instance is still on its source, until a load finds it on the chosen host', async () => {
      const c = cache();
      const moving = await cells.repos(cell1).instances.create(makeInstance({ clock, ids }, { host: 'c1-h1', node: 'c1-h1.node' }));
      await c.nodes();
      c.notePlaced(node['c1-h2'] as string, moving.uuid, true);
      c.invalidate();
      let view = await c.nodes();
      assert.deepEqual(hostOf(view, 'c1-h1').instanceUuids, [moving.uuid], 'still on its source');
      assert.deepEqual(hostOf(view, 'c1-h2').instanceUuids, [moving.uuid], 'and counted on the destination while it moves');
      // The move finished on c1-h2: the note is done, and the source no longer has the instance.
      await cells.repos(cell1).instances.update(moving.uuid, { host: 'c1-h2', node: 'c1-h2.node' });
      c.invalidate();
      view = await c.nodes();
      assert.deepEqual(hostOf(view, 'c1-h1').instanceUuids, []);
      assert.deepEqual(hostOf(view, 'c1-h2').instanceUuids, [moving.uuid]);
      // A build's note, by contrast, ends as soon as a cell shows the instance anywhere.
      const built = await cells.repos(cell1).instances.create(makeInstance({ clock, ids }, { host: 'c1-h1', node: 'c1-h1.node' }));
      c.notePlaced(node['c1-h2'] as string, built.uuid);
      c.invalidate();
      view = await c.nodes();
      assert.deepEqual(hostOf(view, 'c1-h2').instanceUuids, [moving.uuid]);
    });

    it('drops a choice no cell has shown for a minute (the build failed, or the server is gone)', async () => {
      const c = cache();
      await c.nodes();
      c.notePlaced(node['c1-h1'] as string, 'never-built');
      clock.advance(59_000);
      c.invalidate();
      assert.deepEqual(hostOf(await c.nodes(), 'c1-h1').instanceUuids, ['never-built']);
      clock.advance(2_000);
      c.invalidate();
      assert.deepEqual(hostOf(await c.nodes(), 'c1-h1').instanceUuids, []);
    });
  });
});
