import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConflictError, NotFoundError } from '../../../src/common/errors.js';
import { createApiRepos, type ApiRepos } from '../../../src/db/api/api-repos.js';
import type { ApiSchema } from '../../../src/db/api/api-schema.js';
import { apiMigrations } from '../../../src/db/migrations/api/index.js';
import { migrateToLatest } from '../../../src/db/migrator.js';
import { describeEachDialect } from './describe-each-dialect.js';
import { dialectTargets } from './dialect-targets.js';
import { makeInstance, makeNewFlavor, makeRequestSpec } from './instance-fixture.js';

const targets = await dialectTargets();

describeEachDialect<ApiSchema, ApiRepos>(
  targets,
  {
    title: 'API database repositories',
    prefix: 'api',
    migrations: apiMigrations,
    repos: ({ database, clock, ids }) => createApiRepos({ db: database.db, clock, ids }),
  },
  (h) => {
    it('migrates to the latest schema, and migrating again applies nothing', async () => {
      assert.deepEqual(h().migrated.first, apiMigrations.map((m) => m.name));
      assert.deepEqual(h().migrated.second, []);
      assert.deepEqual(await migrateToLatest(h().database, apiMigrations), []);
    });

    describe('cell mappings', () => {
      it('creates a mapping, then updates its URLs on a second upsert of the same name', async () => {
        const { repos, ids } = h();
        const uuid = ids.uuid();
        const created = await repos.cells.upsert({ uuid, name: 'cell1', transportUrl: 'none:///', databaseConnection: 'sqlite:///cell1.db' });
        assert.equal(typeof created.id, 'number');
        assert.deepEqual(created, { id: created.id, uuid, name: 'cell1', transport_url: 'none:///', database_connection: 'sqlite:///cell1.db', disabled: false });

        const updated = await repos.cells.upsert({ uuid: ids.uuid(), name: 'cell1', transportUrl: 'rabbit://mq/', databaseConnection: 'postgresql://db/cell1' });
        assert.equal(updated.id, created.id);
        assert.equal(updated.uuid, uuid, 'an upsert keeps the original uuid');
        assert.deepEqual(await repos.cells.getById(created.id), { ...created, transport_url: 'rabbit://mq/', database_connection: 'postgresql://db/cell1' });
        assert.deepEqual(await repos.cells.getByName('cell1'), updated);
        assert.deepEqual(await repos.cells.findByUuid(uuid), updated);
        assert.equal((await repos.cells.list()).filter((c) => c.name === 'cell1').length, 1);
      });

      it('reports a missing cell', async () => {
        assert.equal(await h().repos.cells.getByName('no-such-cell'), undefined);
        assert.equal(await h().repos.cells.findByUuid(h().ids.uuid()), undefined);
        await assert.rejects(h().repos.cells.getById(987654), (err: unknown) => err instanceof NotFoundError && err.status === 404);
      });
    });

    describe('host mappings', () => {
      it('maps a host once; ensuring it again changes nothing', async () => {
        const { repos, ids } = h();
        const cell = await repos.cells.upsert({ uuid: ids.uuid(), name: 'cell-hosts', transportUrl: 'none:///', databaseConnection: 'sqlite://' });
        const other = await repos.cells.upsert({ uuid: ids.uuid(), name: 'cell-hosts-2', transportUrl: 'none:///', databaseConnection: 'sqlite://' });
        assert.equal(await repos.hostMappings.cellIdOf('hm-host-1'), undefined);
        assert.equal(await repos.hostMappings.ensure('hm-host-1', cell.id), true);
        assert.equal(await repos.hostMappings.ensure('hm-host-1', cell.id), false);
        assert.equal(await repos.hostMappings.ensure('hm-host-1', other.id), false, 'an existing mapping is not moved');
        assert.equal(await repos.hostMappings.cellIdOf('hm-host-1'), cell.id);
        const listed = (await repos.hostMappings.list()).filter((m) => m.host === 'hm-host-1');
        assert.deepEqual(listed, [{ host: 'hm-host-1', cell_id: cell.id }]);
      });
    });

    describe('host mappings under concurrency', () => {
      it('creates one mapping when two callers ensure the same host at once', async () => {
        const { repos, ids } = h();
        const cell = await repos.cells.upsert({ uuid: ids.uuid(), name: 'cell-hosts-race', transportUrl: 'none:///', databaseConnection: 'sqlite://' });
        const results = await Promise.all([repos.hostMappings.ensure('hm-race', cell.id), repos.hostMappings.ensure('hm-race', cell.id)]);
        assert.deepEqual(results.sort(), [false, true]);
        assert.equal((await repos.hostMappings.list()).filter((m) => m.host === 'hm-race').length, 1);
      });
    });

    describe('instance mappings', () => {
      it('creates a mapping without a cell, sets the cell, queues it for delete and deletes it', async () => {
        const { repos, ids } = h();
        const cell = await repos.cells.upsert({ uuid: ids.uuid(), name: 'cell-im', transportUrl: 'none:///', databaseConnection: 'sqlite://' });
        const uuid = ids.uuid();
        await repos.instanceMappings.create({ instanceUuid: uuid, projectId: 'p-im', userId: 'u-im' });
        assert.deepEqual(await repos.instanceMappings.find(uuid), { instance_uuid: uuid, cell_id: null, project_id: 'p-im', user_id: 'u-im', queued_for_delete: false });

        await repos.instanceMappings.setCell(uuid, cell.id);
        assert.equal((await repos.instanceMappings.get(uuid)).cell_id, cell.id);

        await repos.instanceMappings.markQueuedForDelete(uuid);
        assert.equal((await repos.instanceMappings.get(uuid)).queued_for_delete, true);

        await repos.instanceMappings.delete(uuid);
        assert.equal(await repos.instanceMappings.find(uuid), undefined);
        await assert.rejects(repos.instanceMappings.get(uuid), NotFoundError);
      });

      it('creates a mapping directly in a cell', async () => {
        const { repos, ids } = h();
        const cell = await repos.cells.upsert({ uuid: ids.uuid(), name: 'cell-im-2', transportUrl: 'none:///', databaseConnection: 'sqlite://' });
        const uuid = ids.uuid();
        await repos.instanceMappings.create({ instanceUuid: uuid, projectId: 'p', userId: 'u', cellId: cell.id });
        assert.equal((await repos.instanceMappings.get(uuid)).cell_id, cell.id);
      });
    });

    describe('request specs', () => {
      it('round-trips a spec unchanged, and forgets it on delete', async () => {
        const { repos } = h();
        const instance = makeInstance(h());
        const spec = makeRequestSpec(instance, { requested_destination: { cell: 'cell1' }, ignore_hosts: ['compute-9'] });
        await repos.requestSpecs.create(spec);
        assert.deepEqual(await repos.requestSpecs.get(instance.uuid), spec);
        await repos.requestSpecs.delete(instance.uuid);
        await assert.rejects(repos.requestSpecs.get(instance.uuid), (err: unknown) => err instanceof NotFoundError && err.code === 'compute.request_spec_not_found');
      });
    });

    describe('build requests', () => {
      it('lists by project, finds one, and deletes it once', async () => {
        const { repos } = h();
        const a1 = makeInstance(h(), { project_id: 'p-br-a' });
        const a2 = makeInstance(h(), { project_id: 'p-br-a' });
        const b1 = makeInstance(h(), { project_id: 'p-br-b' });
        for (const i of [a1, a2, b1]) await repos.buildRequests.create(i);

        assert.deepEqual((await repos.buildRequests.list('p-br-a')).map((i) => i.uuid).sort(), [a1.uuid, a2.uuid].sort());
        assert.deepEqual((await repos.buildRequests.list('p-br-b')).map((i) => i.uuid), [b1.uuid]);
        const all = (await repos.buildRequests.list(undefined)).map((i) => i.uuid);
        for (const i of [a1, a2, b1]) assert.ok(all.includes(i.uuid));
        assert.deepEqual(await repos.buildRequests.find(a1.uuid), a1);

        assert.equal(await repos.buildRequests.delete(a1.uuid), true);
        assert.equal(await repos.buildRequests.delete(a1.uuid), false);
        assert.equal(await repos.buildRequests.find(a1.uuid), undefined);
        assert.deepEqual((await repos.buildRequests.list('p-br-a')).map((i) => i.uuid), [a2.uuid]);
      });

      it('tells which instances of a project wait for a cell and count: mapped to none, not queued for deletion, with their vCPUs and RAM', async () => {
        const { repos } = h();
        const project = `p-wait-${h().ids.uuid().slice(0, 8)}`;
        const big = { ...makeInstance(h()).flavor, vcpus: 4, memory_mb: 8192 };
        const waiting = makeInstance(h(), { project_id: project, user_id: 'u1' });
        const other = makeInstance(h(), { project_id: project, user_id: 'u2', flavor: big });
        const queued = makeInstance(h(), { project_id: project, user_id: 'u1' });
        const placed = makeInstance(h(), { project_id: project, user_id: 'u1' });
        for (const i of [waiting, other, queued, placed]) {
          await repos.buildRequests.create(i);
          await repos.instanceMappings.create({ instanceUuid: i.uuid, projectId: project, userId: i.user_id });
        }
        await repos.instanceMappings.markQueuedForDelete(queued.uuid);
        const cell = await repos.cells.upsert({ uuid: h().ids.uuid(), name: `wait-${project}`, transportUrl: 'inproc://', databaseConnection: 'sqlite://' });
        await repos.instanceMappings.setCell(placed.uuid, cell.id);

        const all = await repos.buildRequests.waitingOf(project);
        assert.deepEqual(all.usage, { instances: 2, cores: waiting.flavor.vcpus + 4, ram: waiting.flavor.memory_mb + 8192 });
        assert.deepEqual([...all.uuids].sort(), [waiting.uuid, other.uuid].sort());
        assert.deepEqual(await repos.buildRequests.waitingOf(project, 'u2'), { usage: { instances: 1, cores: 4, ram: 8192 }, uuids: [other.uuid] });
        assert.deepEqual(await repos.buildRequests.waitingOf(`${project}-none`), { usage: { instances: 0, cores: 0, ram: 0 }, uuids: [] });
        // The sums alone: the same usage, no uuids.
        assert.deepEqual(await repos.buildRequests.waitingOf(project, undefined, { withUuids: false }), { usage: all.usage, uuids: [] });
        assert.deepEqual(await repos.buildRequests.waitingOf(project, 'u2', { withUuids: false }), { usage: { instances: 1, cores: 4, ram: 8192 }, uuids: [] });
      });

      it('carries the block device mappings asked for, with their reservations, until it is deleted', async () => {
        const { repos } = h();
        const plain = makeInstance(h());
        const bfv = makeInstance(h());
        const mappings = [
          { uuid: 'bdm-root', instance_uuid: bfv.uuid, source_type: 'volume' as const, destination_type: 'volume' as const, volume_id: 'vol-1', attachment_id: 'att-1', boot_index: 0, tag: 'root' },
          { uuid: 'bdm-data', instance_uuid: bfv.uuid, source_type: 'image' as const, destination_type: 'volume' as const, image_id: 'img', volume_size: 2, delete_on_termination: true },
        ];
        await repos.buildRequests.create(plain);
        await repos.buildRequests.create(bfv, mappings);
        assert.deepEqual(await repos.buildRequests.blockDeviceMappings(plain.uuid), []);
        assert.deepEqual(await repos.buildRequests.blockDeviceMappings(bfv.uuid), mappings);
        assert.deepEqual(await repos.buildRequests.find(bfv.uuid), bfv, 'the instance is unchanged');
        assert.deepEqual(await repos.buildRequests.findWithDevices(bfv.uuid), { instance: bfv, blockDeviceMappings: mappings });
        assert.deepEqual(await repos.buildRequests.findWithDevices(plain.uuid), { instance: plain, blockDeviceMappings: [] });
        assert.equal(await repos.buildRequests.delete(bfv.uuid), true);
        assert.equal(await repos.buildRequests.blockDeviceMappings(bfv.uuid), undefined);
        assert.equal(await repos.buildRequests.findWithDevices(bfv.uuid), undefined);
      });
    });

    describe('flavors', () => {
      it('creates flavors and lists them sorted, filtered by minRam, minDisk and visibility', async () => {
        const { repos } = h();
        await repos.flavors.create(makeNewFlavor({ flavorid: 'ls-c', name: 'ls-small', memory_mb: 512, root_gb: 1 }));
        await repos.flavors.create(makeNewFlavor({ flavorid: 'ls-a', name: 'ls-large', memory_mb: 4096, root_gb: 40 }));
        await repos.flavors.create(makeNewFlavor({ flavorid: 'ls-b', name: 'ls-medium', memory_mb: 2048, root_gb: 20, is_public: false }));
        const mine = <T extends { flavorid: string }>(list: T[]): string[] => list.map((f) => f.flavorid).filter((id) => id.startsWith('ls-'));

        assert.deepEqual(mine(await repos.flavors.list()), ['ls-a', 'ls-b', 'ls-c']);
        assert.deepEqual(mine(await repos.flavors.list({ sortKey: 'memory_mb', sortDir: 'desc' })), ['ls-a', 'ls-b', 'ls-c']);
        assert.deepEqual(mine(await repos.flavors.list({ sortKey: 'name' })), ['ls-a', 'ls-b', 'ls-c']);
        assert.deepEqual(mine(await repos.flavors.list({ sortKey: 'memory_mb' })), ['ls-c', 'ls-b', 'ls-a']);
        assert.deepEqual(mine(await repos.flavors.list({ minRam: 2048 })), ['ls-a', 'ls-b']);
        assert.deepEqual(mine(await repos.flavors.list({ minRam: 2048, sortKey: 'memory_mb' })), ['ls-b', 'ls-a']);
        assert.deepEqual(mine(await repos.flavors.list({ minDisk: 30 })), ['ls-a']);
        assert.deepEqual(mine(await repos.flavors.list({ isPublic: true })), ['ls-a', 'ls-c']);
        assert.deepEqual(mine(await repos.flavors.list({ isPublic: false })), ['ls-b']);
      });

      it('gets a flavor with its fields decoded', async () => {
        const { repos, clock } = h();
        const created = await repos.flavors.create(makeNewFlavor({ flavorid: 'get-1', name: 'get-one', memory_mb: 1024, vcpus: 2, root_gb: 10, ephemeral_gb: 5, swap: 256, rxtx_factor: 1.5, is_public: false, description: 'for tests' }));
        const got = await repos.flavors.get('get-1');
        assert.deepEqual(got, created);
        assert.deepEqual(got, {
          id: got.id, flavorid: 'get-1', name: 'get-one', memory_mb: 1024, vcpus: 2, root_gb: 10, ephemeral_gb: 5, swap: 256,
          rxtx_factor: 1.5, vcpu_weight: null, disabled: false, is_public: false, description: 'for tests', extra_specs: {},
          created_at: clock.now().toISOString(), updated_at: null,
        });
        assert.equal(typeof got.id, 'number');
        assert.equal(await repos.flavors.find('get-missing'), undefined);
        await assert.rejects(repos.flavors.get('get-missing'), (err: unknown) => err instanceof NotFoundError && err.code === 'compute.flavor_not_found');
      });

      it('keeps a fractional rxtx_factor exactly', async () => {
        const created = await h().repos.flavors.create(makeNewFlavor({ flavorid: 'rx-1', name: 'rx-one', rxtx_factor: 1.1 }));
        assert.equal(created.rxtx_factor, 1.1);
      });

      it('refuses a duplicate name or flavorid with a ConflictError', async () => {
        const { repos } = h();
        await repos.flavors.create(makeNewFlavor({ flavorid: 'dup-1', name: 'dup-one' }));
        await assert.rejects(repos.flavors.create(makeNewFlavor({ flavorid: 'dup-2', name: 'dup-one' })), (err: unknown) => err instanceof ConflictError && err.status === 409 && /name dup-one/.test(err.message));
        await assert.rejects(repos.flavors.create(makeNewFlavor({ flavorid: 'dup-1', name: 'dup-two' })), (err: unknown) => err instanceof ConflictError && err.status === 409 && /ID dup-1/.test(err.message));
        assert.equal(await repos.flavors.find('dup-2'), undefined);
      });

      it('sets, overwrites and deletes extra specs', async () => {
        const { repos } = h();
        await repos.flavors.create(makeNewFlavor({ flavorid: 'es-1', name: 'es-one' }));
        const set = await repos.flavors.setExtraSpecs('es-1', { 'hw:cpu_policy': 'dedicated', 'trait:HW_CPU_X86_AVX2': 'required' });
        assert.deepEqual(set.extra_specs, { 'hw:cpu_policy': 'dedicated', 'trait:HW_CPU_X86_AVX2': 'required' });
        const overwritten = await repos.flavors.setExtraSpecs('es-1', { 'hw:cpu_policy': 'shared' });
        assert.deepEqual(overwritten.extra_specs, { 'hw:cpu_policy': 'shared', 'trait:HW_CPU_X86_AVX2': 'required' });

        await repos.flavors.deleteExtraSpec('es-1', 'trait:HW_CPU_X86_AVX2');
        assert.deepEqual((await repos.flavors.get('es-1')).extra_specs, { 'hw:cpu_policy': 'shared' });
        assert.deepEqual((await repos.flavors.list()).find((f) => f.flavorid === 'es-1')?.extra_specs, { 'hw:cpu_policy': 'shared' });
        await assert.rejects(repos.flavors.deleteExtraSpec('es-1', 'trait:HW_CPU_X86_AVX2'), (err: unknown) => err instanceof NotFoundError && err.code === 'compute.flavor_extra_spec_not_found');
        await assert.rejects(repos.flavors.setExtraSpecs('es-missing', { a: 'b' }), NotFoundError);
      });

      it('deletes a flavor with its extra specs; deleting a missing one is NotFound', async () => {
        const { repos } = h();
        await repos.flavors.create(makeNewFlavor({ flavorid: 'del-1', name: 'del-one' }));
        await repos.flavors.setExtraSpecs('del-1', { 'hw:mem_page_size': 'large' });
        await repos.flavors.delete('del-1');
        assert.equal(await repos.flavors.find('del-1'), undefined);
        await assert.rejects(repos.flavors.delete('del-1'), (err: unknown) => err instanceof NotFoundError && err.status === 404);
        // The name and flavorid are free again.
        const again = await repos.flavors.create(makeNewFlavor({ flavorid: 'del-1', name: 'del-one' }));
        assert.deepEqual(again.extra_specs, {});
      });
    });

    describe('aggregates', () => {
      it('ensures a zone twice without duplicating it, adding the hosts it lacks', async () => {
        const { repos } = h();
        await repos.aggregates.ensureZone('agg-az1', 'az1', ['az-host-1', 'az-host-2']);
        await repos.aggregates.ensureZone('agg-az1', 'az1', ['az-host-2', 'az-host-3']);
        await repos.aggregates.ensureZone('agg-az2', 'az2', ['az-host-4']);

        const aggs = (await repos.aggregates.list()).filter((a) => a.name.startsWith('agg-az'));
        assert.deepEqual(aggs.map((a) => a.name), ['agg-az1', 'agg-az2']);
        const az1 = aggs[0];
        assert.ok(az1);
        assert.deepEqual(az1.hosts, ['az-host-1', 'az-host-2', 'az-host-3']);
        assert.deepEqual(az1.metadata, { availability_zone: 'az1' });

        assert.equal(await repos.aggregates.zoneOf('az-host-1'), 'az1');
        assert.equal(await repos.aggregates.zoneOf('az-host-3'), 'az1');
        assert.equal(await repos.aggregates.zoneOf('az-host-4'), 'az2');
        assert.equal(await repos.aggregates.zoneOf('az-host-unknown'), undefined);
        const names = await repos.aggregates.zoneNames();
        assert.ok(names.has('az1') && names.has('az2'));
      });
    });
  },
);
