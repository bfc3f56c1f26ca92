import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConflictError, NotFoundError } from '../../../src/common/errors.js';
import type { NodeReport } from '../../../src/db/cell/compute-node-repo.js';
import { createCellRepos, type CellRepos } from '../../../src/db/cell/cell-repos.js';
import type { CellSchema } from '../../../src/db/cell/cell-schema.js';
import { cellMigrations } from '../../../src/db/migrations/cell/index.js';
import { migrateToLatest } from '../../../src/db/migrator.js';
import { PowerState } from '../../../src/objects/power-state.js';
import { TaskState } from '../../../src/objects/task-state.js';
import { VmState } from '../../../src/objects/vm-state.js';
import { describeEachDialect } from './describe-each-dialect.js';
import { dialectTargets } from './dialect-targets.js';
import { makeFlavor, makeInstance } from './instance-fixture.js';

const targets = await dialectTargets();

const MINUTE = 60_000;

function nodeReport(overrides: Partial<NodeReport> = {}): NodeReport {
  return {
    host: 'cn-host-1',
    hypervisor_hostname: 'cn-host-1.example',
    hypervisor_type: 'fake',
    hypervisor_version: 1_002_003,
    host_ip: '192.0.2.10',
    vcpus: 16,
    memory_mb: 65536,
    local_gb: 1000,
    vcpus_used: 0,
    memory_mb_used: 512,
    local_gb_used: 0,
    running_vms: 0,
    cpu_allocation_ratio: 16,
    ram_allocation_ratio: 1.5,
    disk_allocation_ratio: 1,
    reserved_host_memory_mb: 512,
    reserved_host_disk_mb: 0,
    reserved_host_cpus: 0,
    ...overrides,
  };
}

describeEachDialect<CellSchema, CellRepos>(
  targets,
  {
    title: 'cell database repositories',
    prefix: 'cell',
    migrations: cellMigrations,
    repos: ({ database, clock, ids }) => createCellRepos({ db: database.db, clock, ids }),
  },
  (h) => {
    it('migrates to the latest schema, and migrating again applies nothing', async () => {
      assert.deepEqual(h().migrated.first, cellMigrations.map((m) => m.name));
      assert.deepEqual(h().migrated.second, []);
      assert.deepEqual(await migrateToLatest(h().database, cellMigrations), []);
    });

    describe('services', () => {
      it('registers a service once; registering again returns the same record', async () => {
        const { repos, clock } = h();
        const first = await repos.services.register('svc-host-1', 'nova-compute', 'compute');
        assert.equal(typeof first.id, 'number');
        assert.deepEqual(first, {
          id: first.id, uuid: first.uuid, host: 'svc-host-1', binary: 'nova-compute', topic: 'compute', report_count: 0,
          disabled: false, disabled_reason: null, forced_down: false, last_seen_up: clock.now().toISOString(),
          created_at: clock.now().toISOString(), updated_at: clock.now().toISOString(),
        });
        clock.advance(MINUTE);
        const again = await repos.services.register('svc-host-1', 'nova-compute', 'compute');
        assert.deepEqual(again, first);
        assert.equal((await repos.services.list({ host: 'svc-host-1' })).length, 1);

        const conductor = await repos.services.register('svc-host-1', 'nova-conductor', null);
        assert.notEqual(conductor.id, first.id);
        assert.deepEqual((await repos.services.list({ host: 'svc-host-1', binary: 'nova-conductor' })).map((s) => s.id), [conductor.id]);
        assert.equal(await repos.services.find('svc-host-unknown', 'nova-compute'), undefined);
      });

      it('counts heartbeats and records when the service was last seen', async () => {
        const { repos, clock } = h();
        const svc = await repos.services.register('svc-host-2', 'nova-compute', 'compute');
        clock.advance(MINUTE);
        await repos.services.heartbeat(svc.id);
        clock.advance(MINUTE);
        await repos.services.heartbeat(svc.id);
        const after = await repos.services.find('svc-host-2', 'nova-compute');
        assert.ok(after);
        assert.equal(after.report_count, 2);
        assert.equal(typeof after.report_count, 'number');
        assert.equal(after.last_seen_up, clock.now().toISOString());
        assert.equal(after.updated_at, clock.now().toISOString());
      });
    });

    describe('compute nodes', () => {
      it('creates the node on the first report and updates it in place on the next', async () => {
        const { repos, clock } = h();
        const svc = await repos.services.register('cn-host-1', 'nova-compute', 'compute');
        const created = await repos.computeNodes.save(svc.id, nodeReport());
        assert.equal(typeof created.id, 'number');
        assert.match(created.uuid, /^[0-9a-f-]{36}$/);
        assert.equal(created.service_id, svc.id);
        assert.equal(created.memory_mb_used, 512);
        assert.equal(created.cpu_allocation_ratio, 16);
        assert.equal(created.ram_allocation_ratio, 1.5);
        assert.equal(created.hypervisor_version, 1_002_003);
        assert.equal(created.created_at, clock.now().toISOString());

        clock.advance(MINUTE);
        const updated = await repos.computeNodes.save(svc.id, nodeReport({ memory_mb_used: 4608, vcpus_used: 4, running_vms: 2, disk_allocation_ratio: 1.1 }));
        assert.equal(updated.id, created.id);
        assert.equal(updated.uuid, created.uuid);
        assert.equal(updated.memory_mb_used, 4608);
        assert.equal(updated.vcpus_used, 4);
        assert.equal(updated.running_vms, 2);
        assert.equal(updated.disk_allocation_ratio, 1.1);
        assert.equal(updated.created_at, created.created_at);
        assert.equal(updated.updated_at, clock.now().toISOString());
        assert.deepEqual((await repos.computeNodes.list({ host: 'cn-host-1' })).map((n) => n.id), [created.id]);

        const second = await repos.computeNodes.save(svc.id, nodeReport({ hypervisor_hostname: 'cn-host-1-b.example' }));
        assert.notEqual(second.id, created.id);
        assert.equal((await repos.computeNodes.list({ host: 'cn-host-1' })).length, 2);
      });
    });

    describe('instances', () => {
      it('creates an instance and reads it back with its JSON and 0/1 columns decoded', async () => {
        const { repos } = h();
        const old = makeFlavor({ flavorid: '2', name: 'm1.small', memory_mb: 2048, extra_specs: { 'hw:cpu_policy': 'dedicated' } });
        const instance = makeInstance(h(), { old_flavor: old, metadata: { a: '1', b: 'two' }, system_metadata: { image_os_type: 'linux' }, locked: true, locked_by: 'admin', key_name: 'key-1', user_data: 'I2Nsb3VkLWNvbmZpZw==' });
        const created = await repos.instances.create(instance);
        assert.equal(typeof created.id, 'number');
        assert.ok(created.id > 0);
        assert.deepEqual(created, { ...instance, id: created.id });
        assert.deepEqual(await repos.instances.get(instance.uuid), created);
        assert.deepEqual(await repos.instances.find(instance.uuid), created);
        assert.equal(await repos.instances.find(h().ids.uuid()), undefined);
        await assert.rejects(repos.instances.get(h().ids.uuid()), (err: unknown) => err instanceof NotFoundError && err.code === 'compute.instance_not_found');
        await assert.rejects(repos.instances.create(instance), 'a second instance with the same uuid is refused');
      });

      it('updates with compare-and-swap on task_state: the second of two racing updates gets a 409', async () => {
        const { repos, clock } = h();
        const instance = await repos.instances.create(makeInstance(h()));
        clock.advance(MINUTE);

        const stopping = await repos.instances.update(instance.uuid, { task_state: TaskState.POWERING_OFF }, { taskState: [null] });
        assert.equal(stopping.task_state, 'powering-off');
        assert.equal(stopping.updated_at, clock.now().toISOString());

        await assert.rejects(repos.instances.update(instance.uuid, { task_state: TaskState.REBOOTING }, { taskState: [null] }), (err: unknown) => {
          assert.ok(err instanceof ConflictError);
          assert.equal(err.status, 409);
          assert.equal(err.code, 'compute.unexpected_state');
          assert.equal(err.details?.['actual_task_state'], 'powering-off');
          return true;
        });
        assert.equal((await repos.instances.get(instance.uuid)).task_state, 'powering-off', 'the loser changed nothing');

        const stopped = await repos.instances.update(instance.uuid, { vm_state: VmState.STOPPED, task_state: null, power_state: PowerState.SHUTDOWN }, { taskState: [TaskState.POWERING_OFF], vmState: [VmState.ACTIVE] });
        assert.equal(stopped.vm_state, 'stopped');
        assert.equal(stopped.task_state, null);
        assert.equal(stopped.power_state, 4);
        await assert.rejects(repos.instances.update(instance.uuid, { task_state: TaskState.POWERING_ON }, { taskState: [null], vmState: [VmState.ACTIVE] }), ConflictError);
        const starting = await repos.instances.update(instance.uuid, { task_state: TaskState.POWERING_ON }, { taskState: [null, TaskState.REBOOTING], vmState: [VmState.STOPPED] });
        assert.equal(starting.task_state, 'powering-on');
      });

      it('lets exactly one of two concurrent updates expecting the same task_state win', async () => {
        const { repos } = h();
        const instance = await repos.instances.create(makeInstance(h()));
        const results = await Promise.allSettled([
          repos.instances.update(instance.uuid, { task_state: TaskState.POWERING_OFF }, { taskState: [null] }),
          repos.instances.update(instance.uuid, { task_state: TaskState.REBOOTING_HARD }, { taskState: [null] }),
        ]);
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        assert.equal(won.length, 1);
        assert.equal(lost.length, 1);
        assert.ok(lost[0]?.reason instanceof ConflictError);
        const winner = won[0]?.status === 'fulfilled' ? won[0].value.task_state : undefined;
        assert.equal((await repos.instances.get(instance.uuid)).task_state, winner);
      });

      it('encodes metadata, locked and hidden on update', async () => {
        const { repos } = h();
        const instance = await repos.instances.create(makeInstance(h()));
        const updated = await repos.instances.update(instance.uuid, { metadata: { tier: 'db' }, locked: true, hidden: true, host: 'compute-2', node: 'compute-2', progress: 40 });
        assert.deepEqual(updated.metadata, { tier: 'db' });
        assert.equal(updated.locked, true);
        assert.equal(updated.hidden, true);
        assert.equal(updated.host, 'compute-2');
        assert.equal(updated.progress, 40);
        const back = await repos.instances.update(instance.uuid, { locked: false, hidden: false });
        assert.equal(back.locked, false);
        assert.equal(back.hidden, false);
        await assert.rejects(repos.instances.update(h().ids.uuid(), { progress: 1 }), NotFoundError);
      });

      it('lists by project, hosts, vm states and changes-since, never showing hidden copies', async () => {
        const { repos, clock } = h();
        const project = `p-list-${h().ids.uuid().slice(0, 8)}`;
        const createdAt = clock.now().toISOString();
        const onH1 = await repos.instances.create(makeInstance(h(), { project_id: project, host: 'list-h1' }));
        const onH2 = await repos.instances.create(makeInstance(h(), { project_id: project, host: 'list-h2', vm_state: VmState.STOPPED, power_state: PowerState.SHUTDOWN }));
        const hidden = await repos.instances.create(makeInstance(h(), { project_id: project, host: 'list-h1', hidden: true }));
        const elsewhere = await repos.instances.create(makeInstance(h(), { project_id: `${project}-other`, host: 'list-h1' }));
        const uuids = (list: { uuid: string }[]): string[] => list.map((i) => i.uuid);

        assert.deepEqual(uuids(await repos.instances.list({ projectId: project })), [onH1.uuid, onH2.uuid]);
        assert.deepEqual(uuids(await repos.instances.list({ projectId: project, hosts: ['list-h1'] })), [onH1.uuid]);
        assert.deepEqual(uuids(await repos.instances.list({ hosts: ['list-h1'] })), [onH1.uuid, elsewhere.uuid]);
        assert.deepEqual(uuids(await repos.instances.list({ projectId: project, hosts: ['list-h1', 'list-h2'] })), [onH1.uuid, onH2.uuid]);
        assert.deepEqual(uuids(await repos.instances.list({ projectId: project, hosts: [] })), []);
        assert.deepEqual(uuids(await repos.instances.list({ projectId: project, vmStates: ['stopped'] })), [onH2.uuid]);
        assert.deepEqual(uuids(await repos.instances.list({ projectId: project, vmStates: ['active', 'stopped'] })), [onH1.uuid, onH2.uuid]);
        assert.deepEqual(uuids(await repos.instances.list({ uuids: [hidden.uuid, onH2.uuid] })), [onH2.uuid]);
        assert.deepEqual(uuids(await repos.instances.onHost('list-h2')), [onH2.uuid]);

        clock.advance(MINUTE);
        const since = clock.now().toISOString();
        assert.deepEqual(uuids(await repos.instances.list({ projectId: project, changesSince: since })), []);
        await repos.instances.update(onH2.uuid, { progress: 10 });
        assert.deepEqual(uuids(await repos.instances.list({ projectId: project, changesSince: since })), [onH2.uuid]);
        clock.advance(MINUTE);
        const created = await repos.instances.create(makeInstance(h(), { project_id: project, host: 'list-h1' }));
        assert.deepEqual(uuids(await repos.instances.list({ projectId: project, changesSince: since })), [onH2.uuid, created.uuid]);
        // Bounds are inclusive, as in Nova; onH2's update at `since` moved it past `createdAt`.
        assert.deepEqual(uuids(await repos.instances.list({ projectId: project, changesBefore: since })), [onH1.uuid, onH2.uuid]);
        assert.deepEqual(uuids(await repos.instances.list({ projectId: project, changesBefore: createdAt })), [onH1.uuid]);
      });

      it('sums what a project\'s countable rows hold in SQL; the sums follow the current flavor; hidden copies come one by one', async () => {
        const { repos } = h();
        const project = `p-quota-${h().ids.uuid().slice(0, 8)}`;
        const small = makeFlavor({ vcpus: 1, memory_mb: 512 });
        const large = makeFlavor({ id: 4, flavorid: '4', name: 'm1.large', vcpus: 4, memory_mb: 8192 });
        const a = await repos.instances.create(makeInstance(h(), { project_id: project, user_id: 'u1', flavor: small }));
        await repos.instances.create(makeInstance(h(), { project_id: project, user_id: 'u2', flavor: small }));
        const copy = await repos.instances.create(makeInstance(h(), { project_id: project, user_id: 'u1', flavor: large, hidden: true }));
        await repos.instances.create(makeInstance(h(), { project_id: project, flavor: large, vm_state: VmState.SOFT_DELETED }));
        await repos.instances.create(makeInstance(h(), { project_id: project, flavor: large, task_state: TaskState.DELETING }));
        const gone = await repos.instances.create(makeInstance(h(), { project_id: project, flavor: large }));
        await repos.instances.softDelete(gone.uuid);
        await repos.instances.create(makeInstance(h(), { project_id: `${project}-other`, flavor: large }));

        const usage = await repos.instances.quotaUsage(project);
        assert.deepEqual(usage.visible, { instances: 2, cores: 2, ram: 1024 });
        assert.deepEqual(usage.hidden, [{ uuid: copy.uuid, instances: 1, cores: 4, ram: 8192 }]);
        assert.deepEqual((await repos.instances.quotaUsage(project, { userId: 'u2' })).visible, { instances: 1, cores: 1, ram: 512 });
        // Excluded: an instance still counted from its build request (the conductor is placing it).
        const placing = await repos.instances.create(makeInstance(h(), { project_id: project, user_id: 'u1', flavor: large, vm_state: VmState.BUILDING, task_state: TaskState.SCHEDULING }));
        assert.deepEqual((await repos.instances.quotaUsage(project)).visible, { instances: 3, cores: 6, ram: 9216 });
        assert.deepEqual((await repos.instances.quotaUsage(project, { exclude: [placing.uuid, h().ids.uuid()] })).visible, { instances: 2, cores: 2, ram: 1024 });
        // Another user's count, and another project's, leave out only their own excluded rows.
        assert.deepEqual((await repos.instances.quotaUsage(project, { userId: 'u2', exclude: [placing.uuid] })).visible, { instances: 1, cores: 1, ram: 512 });
        assert.deepEqual((await repos.instances.quotaUsage(`${project}-other`, { exclude: [placing.uuid] })).visible, { instances: 1, cores: 4, ram: 8192 });
        await repos.instances.softDelete(placing.uuid);
        assert.deepEqual((await repos.instances.quotaUsage(`${project}-none`)).visible, { instances: 0, cores: 0, ram: 0 });

        await repos.instances.update(a.uuid, { flavor: large, old_flavor: small });
        assert.deepEqual((await repos.instances.quotaUsage(project)).visible, { instances: 2, cores: 5, ram: 8704 });
        assert.deepEqual(await repos.instances.countedResources([a.uuid, copy.uuid, gone.uuid]), new Map([[a.uuid, { instances: 1, cores: 4, ram: 8192 }]]));
      });

      it('keeps the sums (database triggers) equal to a count of the rows through every kind of change', async () => {
        const { repos, database } = h();
        const project = `p-trig-${h().ids.uuid().slice(0, 8)}`;
        const small = makeFlavor({ vcpus: 1, memory_mb: 512 });
        const large = makeFlavor({ id: 4, flavorid: '4', name: 'm1.large', vcpus: 4, memory_mb: 8192 });
        // What the rows say, counted the slow way, to compare the triggers' sums with.
        const rowCount = async (userId?: string) => {
          let q = database.db.selectFrom('instances').select(['vcpus', 'memory_mb', 'vm_state', 'task_state', 'hidden', 'deleted']).where('project_id', '=', project);
          if (userId !== undefined) q = q.where('user_id', '=', userId);
          const rows = (await q.execute()).filter((r) => r.deleted === 0 && r.hidden === 0 && r.vm_state !== null && r.vm_state !== VmState.SOFT_DELETED
            && (r.task_state === null || (r.task_state !== TaskState.DELETING && r.task_state !== TaskState.SOFT_DELETING)));
          return { instances: rows.length, cores: rows.reduce((n, r) => n + r.vcpus, 0), ram: rows.reduce((n, r) => n + r.memory_mb, 0) };
        };
        const check = async (step: string, expected: { instances: number; cores: number; ram: number }) => {
          assert.deepEqual((await repos.instances.quotaUsage(project)).visible, expected, step);
          assert.deepEqual((await repos.instances.quotaUsage(project)).visible, await rowCount(), `${step}: as the rows say`);
          assert.deepEqual((await repos.instances.quotaUsage(project, { userId: 'u2' })).visible, await rowCount('u2'), `${step}: u2 as the rows say`);
        };
        await check('nothing yet', { instances: 0, cores: 0, ram: 0 });
        const a = await repos.instances.create(makeInstance(h(), { project_id: project, user_id: 'u1', flavor: small, vm_state: VmState.BUILDING, task_state: TaskState.SCHEDULING }));
        const b = await repos.instances.create(makeInstance(h(), { project_id: project, user_id: 'u2', flavor: large }));
        await check('two created', { instances: 2, cores: 5, ram: 8704 });
        await repos.instances.update(a.uuid, { task_state: TaskState.SPAWNING });
        await repos.instances.update(a.uuid, { vm_state: VmState.ACTIVE, task_state: null });
        await check('a build that moves on changes nothing', { instances: 2, cores: 5, ram: 8704 });
        await repos.instances.update(b.uuid, { flavor: small, old_flavor: large });
        await check('b resized down', { instances: 2, cores: 2, ram: 1024 });
        await repos.instances.update(b.uuid, { task_state: TaskState.DELETING });
        await check('b being deleted', { instances: 1, cores: 1, ram: 512 });
        await repos.instances.update(b.uuid, { task_state: null });
        await check('b delete failed', { instances: 2, cores: 2, ram: 1024 });
        await repos.instances.update(a.uuid, { vm_state: VmState.SOFT_DELETED });
        await check('a soft-deleted', { instances: 1, cores: 1, ram: 512 });
        await repos.instances.update(a.uuid, { vm_state: VmState.ACTIVE });
        await check('a restored', { instances: 2, cores: 2, ram: 1024 });
        await repos.instances.update(a.uuid, { hidden: true });
        await check('a hidden (a cross-cell move holds it elsewhere)', { instances: 1, cores: 1, ram: 512 });
        await repos.instances.update(a.uuid, { hidden: false });
        await check('a visible again', { instances: 2, cores: 2, ram: 1024 });
        await repos.instances.softDelete(a.uuid);
        await check('a deleted', { instances: 1, cores: 1, ram: 512 });
        await repos.instances.hardDelete(b.uuid);
        await check('b removed outright while it counted', { instances: 0, cores: 0, ram: 0 });
        const c = await repos.instances.create(makeInstance(h(), { project_id: project, user_id: 'u2', flavor: large, hidden: true }));
        await check('a hidden copy never counts', { instances: 0, cores: 0, ram: 0 });
        await repos.instances.hardDelete(c.uuid);
        await check('nor does removing it', { instances: 0, cores: 0, ram: 0 });
      });

      it('soft-deletes: the instance leaves the list, and onlyDeleted finds it', async () => {
        const { repos, clock } = h();
        const project = `p-del-${h().ids.uuid().slice(0, 8)}`;
        const kept = await repos.instances.create(makeInstance(h(), { project_id: project }));
        const gone = await repos.instances.create(makeInstance(h(), { project_id: project, task_state: TaskState.DELETING }));
        clock.advance(MINUTE);
        await repos.instances.softDelete(gone.uuid);

        assert.deepEqual((await repos.instances.list({ projectId: project })).map((i) => i.uuid), [kept.uuid]);
        assert.equal(await repos.instances.find(gone.uuid), undefined);
        await assert.rejects(repos.instances.get(gone.uuid), NotFoundError);
        const deleted = await repos.instances.list({ projectId: project, onlyDeleted: true });
        assert.deepEqual(deleted.map((i) => i.uuid), [gone.uuid]);
        const row = deleted[0];
        assert.ok(row);
        assert.equal(row.deleted, true);
        assert.equal(row.vm_state, 'deleted');
        assert.equal(row.task_state, null);
        assert.equal(row.deleted_at, clock.now().toISOString());
        assert.equal(row.terminated_at, clock.now().toISOString());
        assert.deepEqual(await repos.instances.find(gone.uuid, { includeDeleted: true }), row);
        assert.deepEqual((await repos.instances.list({ projectId: project, includeDeleted: true })).map((i) => i.uuid), [kept.uuid, gone.uuid]);
        await assert.rejects(repos.instances.update(gone.uuid, { progress: 5 }), NotFoundError, 'a deleted instance cannot be updated');
      });
    });

    describe('instance faults', () => {
      it('records faults and returns the newest per instance', async () => {
        const { repos, clock, ids } = h();
        const a = ids.uuid();
        const b = ids.uuid();
        await repos.faults.record({ instance_uuid: a, code: 500, message: 'first', details: 'trace 1', host: 'compute-1' });
        clock.advance(MINUTE);
        await repos.faults.record({ instance_uuid: b, code: 400, message: 'other', details: null, host: null });
        clock.advance(MINUTE);
        await repos.faults.record({ instance_uuid: a, code: 500, message: 'second', details: 'trace 2', host: 'compute-2' });

        const latest = await repos.faults.latestFor([a, b, ids.uuid()]);
        assert.equal(latest.size, 2);
        assert.deepEqual(latest.get(a), { instance_uuid: a, code: 500, message: 'second', details: 'trace 2', host: 'compute-2', created_at: clock.now().toISOString() });
        assert.equal(latest.get(b)?.message, 'other');
        assert.equal((await repos.faults.latestFor([])).size, 0);
      });
    });

    describe('instance actions', () => {
      it('starts an action and records its events; an error marks the action', async () => {
        const { repos, clock, ids } = h();
        const instanceUuid = ids.uuid();
        const requestId = ids.requestId();
        await repos.actions.start({ action: 'stop', instanceUuid, requestId, userId: 'user-a', projectId: 'project-a' });
        const startTime = clock.now().toISOString();
        clock.advance(MINUTE);
        await repos.actions.recordEvent({ instanceUuid, requestId, event: 'compute_stop_instance', startTime, result: 'Success', host: 'compute-1' });

        const action = await repos.db.selectFrom('instance_actions').selectAll().where('request_id', '=', requestId).executeTakeFirstOrThrow();
        assert.equal(action.action, 'stop');
        assert.equal(action.instance_uuid, instanceUuid);
        assert.equal(action.start_time, startTime);
        assert.equal(action.message, null);
        const events = await repos.db.selectFrom('instance_actions_events').selectAll().where('action_id', '=', action.id).orderBy('id').execute();
        assert.equal(events.length, 1);
        assert.deepEqual(
          events.map((e) => ({ event: e.event, start: e.start_time, finish: e.finish_time, result: e.result, host: e.host })),
          [{ event: 'compute_stop_instance', start: startTime, finish: clock.now().toISOString(), result: 'Success', host: 'compute-1' }],
        );

        await repos.actions.recordEvent({ instanceUuid, requestId, event: 'conductor_fail', startTime, result: 'Error', host: null, traceback: 'Traceback: boom' });
        const failed = await repos.db.selectFrom('instance_actions').selectAll().where('id', '=', action.id).executeTakeFirstOrThrow();
        assert.equal(failed.message, 'Error');
        const all = await repos.db.selectFrom('instance_actions_events').select(['event', 'result', 'traceback']).where('action_id', '=', action.id).orderBy('id').execute();
        assert.deepEqual(all, [
          { event: 'compute_stop_instance', result: 'Success', traceback: null },
          { event: 'conductor_fail', result: 'Error', traceback: 'Traceback: boom' },
        ]);
      });

      it('lists an instance\'s actions newest first, paged after a marker and filtered by updated_at; events newest first', async () => {
        const { repos, clock, ids } = h();
        const instanceUuid = ids.uuid();
        const start = (requestId: string) => repos.actions.start({ action: 'stop', instanceUuid, requestId, userId: 'u', projectId: 'p' });
        await start('req-a');
        await start('req-b');
        clock.advance(MINUTE);
        await start('req-c');
        const since = clock.now().toISOString();
        const listed = async (q: Parameters<CellRepos['actions']['list']>[1] = {}) => (await repos.actions.list(instanceUuid, q)).map((a) => a.request_id);
        assert.deepEqual(await listed(), ['req-c', 'req-b', 'req-a']);
        const marker = await repos.actions.findByRequestId(instanceUuid, 'req-b');
        assert.ok(marker);
        assert.deepEqual(await listed({ marker, limit: 5 }), ['req-a']);
        assert.deepEqual(await listed({ changesSince: since }), ['req-c']);
        assert.deepEqual(await listed({ changesBefore: since, limit: 1 }), ['req-c']);
        await repos.actions.recordEvent({ instanceUuid, requestId: 'req-c', event: 'one', startTime: since, result: 'Success', host: 'h' });
        clock.advance(1);
        await repos.actions.recordEvent({ instanceUuid, requestId: 'req-c', event: 'two', startTime: since, result: 'Error', host: 'h', traceback: 't', details: 'd' });
        const events = await repos.actions.events((await repos.actions.findByRequestId(instanceUuid, 'req-c'))?.id ?? -1);
        assert.deepEqual(events.map((e) => [e.event, e.details]), [['two', 'd'], ['one', null]]);
      });

      it('ignores an event for a request that has no action', async () => {
        const { repos, ids } = h();
        const instanceUuid = ids.uuid();
        await repos.actions.recordEvent({ instanceUuid, requestId: ids.requestId(), event: 'orphan', startTime: h().clock.now().toISOString(), result: 'Success', host: null });
        const rows = await repos.db.selectFrom('instance_actions_events').select('id').where('event', '=', 'orphan').execute();
        assert.deepEqual(rows, []);
      });
    });

    describe('migrations', () => {
      it('pages the listing after a sort key, ties broken by uuid as the merge comparator does', async () => {
        const { repos, ids } = h();
        const row = (uuid: string) => ({
          uuid, instance_uuid: ids.uuid(), source_compute: 'h1', source_node: 'h1', dest_compute: 'h2', dest_node: 'h2', dest_host: null,
          old_instance_type_id: 1, new_instance_type_id: 2, status: 'migrating', migration_type: 'resize' as const, user_id: 'u', project_id: 'p',
        });
        const a = await repos.migrations.create(row('0a000000-0000-4000-8000-000000000000'));
        const b = await repos.migrations.create(row('0b000000-0000-4000-8000-000000000000'));
        const all = await repos.migrations.list();
        assert.deepEqual(all.map((m) => m.uuid), [b.uuid, a.uuid]);
        assert.deepEqual((await repos.migrations.list({ after: b, limit: 5 })).map((m) => m.uuid), [a.uuid]);
        // Both share created_at here: after (that time, b's id, a uuid above b's) comes b itself, then a.
        assert.deepEqual((await repos.migrations.list({ after: { created_at: b.created_at, id: b.id, uuid: 'ffffffff-0000-4000-8000-000000000000' } })).map((m) => m.uuid), [b.uuid, a.uuid]);
        assert.deepEqual(await repos.migrations.list({ limit: 0 }), []);
      });
    });

    describe('tags', () => {
      it('creates an instance with its tags, replaces, adds and removes them, and deletes them with the instance', async () => {
        const { repos } = h();
        const i = await repos.instances.create(makeInstance(h(), { tags: ['b', 'a', 'b'] }));
        assert.deepEqual(await repos.tags.list(i.uuid), ['a', 'b']);
        assert.equal(await repos.tags.add(i.uuid, 'c', { max: 50 }), 'created');
        assert.equal(await repos.tags.add(i.uuid, 'c', { max: 50 }), 'existed');
        assert.equal(await repos.tags.has(i.uuid, 'c'), true);
        await assert.rejects(repos.tags.add(i.uuid, 'd', { max: 3 }), (err: unknown) => err instanceof Error && /per-server limit 3/.test(err.message));
        assert.deepEqual(await repos.tags.replace(i.uuid, ['z', 'y', 'z']), ['y', 'z']);
        assert.equal(await repos.tags.remove(i.uuid, 'y'), true);
        assert.equal(await repos.tags.remove(i.uuid, 'y'), false);
        assert.deepEqual((await repos.tags.listFor([i.uuid, 'no-such'])).get('no-such'), []);
        await repos.instances.softDelete(i.uuid);
        assert.deepEqual(await repos.tags.list(i.uuid), []);
        await assert.rejects(repos.tags.add(i.uuid, 'late', { max: 50 }), NotFoundError, 'a deleted server takes no tags');
        await assert.rejects(repos.tags.replace(i.uuid, ['late']), NotFoundError);
      });

      it('filters lists by tags, tags-any, not-tags and not-tags-any as Nova does', async () => {
        const { repos } = h();
        const project = `p-tags-${h().ids.uuid().slice(0, 8)}`;
        const make = async (tags: string[]) => (await repos.instances.create(makeInstance(h(), { project_id: project, tags }))).uuid;
        const ab = await make(['a', 'b']);
        const a = await make(['a']);
        const c = await make(['c']);
        const none = await make([]);
        const ids = async (f: Parameters<typeof repos.instances.list>[0]) => new Set((await repos.instances.list({ projectId: project, ...f })).map((i) => i.uuid));
        assert.deepEqual(await ids({ tags: ['a', 'b'] }), new Set([ab]));
        assert.deepEqual(await ids({ tags: ['a'] }), new Set([ab, a]));
        assert.deepEqual(await ids({ tagsAny: ['b', 'c'] }), new Set([ab, c]));
        assert.deepEqual(await ids({ notTags: ['a', 'b'] }), new Set([a, c, none]));
        assert.deepEqual(await ids({ notTagsAny: ['a', 'c'] }), new Set([none]));
        assert.deepEqual(await ids({ tags: ['a'], notTagsAny: ['b'] }), new Set([a]));
        assert.deepEqual(await ids({ tags: [] }), new Set([ab, a, c, none]), 'an empty list filters nothing');
      });

      it('removes the tags of a hard-deleted instance', async () => {
        const { repos } = h();
        const i = await repos.instances.create(makeInstance(h(), { tags: ['x'] }));
        await repos.instances.hardDelete(i.uuid);
        assert.deepEqual(await repos.db.selectFrom('tags').selectAll().where('resource_id', '=', i.uuid).execute(), []);
      });
    });

    describe('block device mappings and virtual interfaces', () => {
      it('creates, orders by boot index, updates and destroys mappings', async () => {
        const { repos } = h();
        const i = await repos.instances.create(makeInstance(h()));
        const data = await repos.bdms.create({ instance_uuid: i.uuid, source_type: 'volume', destination_type: 'volume', volume_id: 'vol-data', boot_index: null, tag: 'data' });
        const root = await repos.bdms.create({ instance_uuid: i.uuid, source_type: 'image', destination_type: 'volume', image_id: 'img', volume_size: 1, boot_index: 0, delete_on_termination: true });
        assert.deepEqual((await repos.bdms.list(i.uuid)).map((b) => b.uuid), [root.uuid, data.uuid], 'the boot device first');
        assert.equal(root.delete_on_termination, true);
        const updated = await repos.bdms.update(root.uuid, { volume_id: 'vol-root', attachment_id: 'att-1', connection_info: { driver_volume_type: 'fake', data: { n: 1 } } });
        assert.deepEqual(updated.connection_info, { driver_volume_type: 'fake', data: { n: 1 } });
        assert.equal((await repos.bdms.findByVolume(i.uuid, 'vol-root'))?.attachment_id, 'att-1');
        assert.equal(await repos.bdms.destroy(data.uuid), true);
        assert.equal(await repos.bdms.destroy(data.uuid), false);
        await assert.rejects(repos.bdms.update(data.uuid, { tag: 'x' }), NotFoundError);
        assert.deepEqual((await repos.bdms.list(i.uuid)).map((b) => b.volume_id), ['vol-root']);
        // A rollback removes rows for good, deleted or not, and leaves the others.
        const other = await repos.bdms.create({ instance_uuid: i.uuid, source_type: 'blank', destination_type: 'volume', volume_size: 1, uuid: 'bdm-kept' });
        await repos.bdms.purge([root.uuid, data.uuid]);
        await repos.bdms.purge([]);
        assert.deepEqual(await repos.db.selectFrom('block_device_mapping').select('uuid').where('instance_uuid', '=', i.uuid).execute(), [{ uuid: other.uuid }]);
      });

      it('keeps interfaces and the network info cache, and the instance takes them along when deleted', async () => {
        const { repos } = h();
        const i = await repos.instances.create(makeInstance(h()));
        await repos.vifs.create({ uuid: 'port-1', instance_uuid: i.uuid, network_id: 'net-1', address: 'fa:16:3e:00:00:01', tag: 'nic1' });
        await repos.vifs.create({ uuid: 'port-2', instance_uuid: i.uuid, network_id: 'net-1', address: 'fa:16:3e:00:00:02', tag: null });
        const entry = { port_id: 'port-1', network_id: 'net-1', network_name: 'private', mac_address: 'fa:16:3e:00:00:01', fixed_ips: [{ ip_address: '10.0.0.5', version: 4 as const }] };
        await repos.vifs.setNetworkInfo(i.uuid, [entry]);
        await repos.vifs.setNetworkInfo(i.uuid, [entry, { ...entry, port_id: 'port-2' }]);
        assert.equal((await repos.vifs.networkInfoFor([i.uuid])).get(i.uuid)?.length, 2, 'the cache is replaced, not duplicated');
        assert.equal(await repos.vifs.destroy(i.uuid, 'port-2'), true);
        assert.deepEqual((await repos.vifs.list(i.uuid)).map((v) => [v.uuid, v.tag]), [['port-1', 'nic1']]);
        await repos.bdms.create({ instance_uuid: i.uuid, source_type: 'volume', destination_type: 'volume', volume_id: 'v', boot_index: 0 });
        await repos.instances.softDelete(i.uuid);
        assert.deepEqual(await repos.vifs.list(i.uuid), []);
        assert.deepEqual(await repos.bdms.list(i.uuid), []);
        assert.deepEqual((await repos.vifs.networkInfoFor([i.uuid])).get(i.uuid), []);
        // A port can be bound to another instance after the first one is gone.
        const j = await repos.instances.create(makeInstance(h()));
        await repos.vifs.create({ uuid: 'port-1', instance_uuid: j.uuid, network_id: 'net-1', address: 'fa:16:3e:00:00:01', tag: null });
        await repos.instances.hardDelete(j.uuid);
        assert.deepEqual(await repos.db.selectFrom('virtual_interfaces').selectAll().where('instance_uuid', '=', j.uuid).execute(), []);
      });

    });
  },
);
