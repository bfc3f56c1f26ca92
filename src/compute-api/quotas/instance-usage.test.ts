import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeFlavor, makeInstance } from '../../../test/integration/db/instance-fixture.js';
import { startHarness, type Harness } from '../../api/routes/compute/compute-route-harness.test.js';
import type { CellMapping } from '../../objects/cell-mapping.js';
import type { Instance } from '../../objects/instance.js';
import type { BuildRequestRepo } from '../../db/api/build-request-repo.js';
import { countInstanceUsage, type InstanceUsageDeps } from './instance-usage.js';
import { quotaUsage } from './quota-usage.js';

const small = makeFlavor({ vcpus: 1, memory_mb: 512 });
const large = makeFlavor({ id: 4, flavorid: '4', name: 'm1.large', vcpus: 4, memory_mb: 8192 });

describe('counting the instances of a project', () => {
  let h: Harness;
  let cell1: CellMapping;
  let cell2: CellMapping;

  const inCell = async (cell: CellMapping, overrides: Partial<Instance>, mapped: CellMapping | null = cell): Promise<Instance> => {
    const instance = makeInstance(h.deps, { project_id: 'p1', user_id: 'u1', ...overrides });
    await h.deps.cells.repos(cell).instances.create(instance);
    if (mapped !== null && overrides.uuid === undefined) {
      await h.deps.api.instanceMappings.create({ instanceUuid: instance.uuid, projectId: instance.project_id, userId: instance.user_id, cellId: mapped.id });
    }
    return instance;
  };

  before(async () => {
    h = await startHarness();
    [cell1, cell2] = h.cells as [CellMapping, CellMapping];
  });
  after(async () => h.close());

  it('counts nothing for a project without instances', async () => {
    assert.deepEqual(await countInstanceUsage(h.deps, 'p1'), { instances: 0, cores: 0, ram: 0 });
  });

  it('counts a build request with its flavor, and a scheduled instance from its cell', async () => {
    const pending = makeInstance(h.deps, { project_id: 'p1', user_id: 'u1', flavor: large, host: null });
    await h.deps.api.buildRequests.create(pending);
    await h.deps.api.instanceMappings.create({ instanceUuid: pending.uuid, projectId: 'p1', userId: 'u1' });
    await inCell(cell1, { flavor: small });
    assert.deepEqual(await countInstanceUsage(h.deps, 'p1'), { instances: 2, cores: 5, ram: 8704 });
  });

  it('counts an instance once while its build request and its cell copy both exist', async () => {
    const instance = await inCell(cell2, { flavor: small });
    await h.deps.api.buildRequests.create(instance);
    assert.deepEqual(await countInstanceUsage(h.deps, 'p1'), { instances: 3, cores: 6, ram: 9216 });
    await h.deps.api.buildRequests.delete(instance.uuid);
    assert.deepEqual(await countInstanceUsage(h.deps, 'p1'), { instances: 3, cores: 6, ram: 9216 });
  });

  it('bounds the count without the probe of the cells: an instance placed but still waiting counts twice, never less', async () => {
    const before = await countInstanceUsage(h.deps, 'p1');
    const placing = makeInstance(h.deps, { project_id: 'p1', user_id: 'u1', flavor: small });
    await h.deps.api.buildRequests.create(placing);
    await h.deps.api.instanceMappings.create({ instanceUuid: placing.uuid, projectId: 'p1', userId: 'u1' });
    const plus = (n: number) => ({ instances: before.instances + n, cores: before.cores + n, ram: before.ram + 512 * n });
    assert.deepEqual(await countInstanceUsage(h.deps, 'p1', undefined, { exact: false }), plus(1));
    // The conductor has created it in its cell and not yet moved the mapping.
    await h.deps.cells.repos(cell1).instances.create(placing);
    assert.deepEqual(await countInstanceUsage(h.deps, 'p1'), plus(1));
    assert.deepEqual(await countInstanceUsage(h.deps, 'p1', undefined, { exact: false }), plus(2));
    await h.deps.api.instanceMappings.setCell(placing.uuid, cell1.id);
    await h.deps.api.buildRequests.delete(placing.uuid);
    assert.deepEqual(await countInstanceUsage(h.deps, 'p1', undefined, { exact: false }), plus(1));
    assert.deepEqual(await countInstanceUsage(h.deps, 'p1'), plus(1));
    await h.deps.cells.repos(cell1).instances.softDelete(placing.uuid);
    assert.deepEqual(await countInstanceUsage(h.deps, 'p1'), before);
  });

  it('counts a cross-cell copy once: the one its mapping points at, hidden or not, with that copy\'s flavor', async () => {
    // Source copy in cell1 (visible, small); target copy in cell2 (hidden, already large).
    const source = await inCell(cell1, { flavor: small });
    await inCell(cell2, { uuid: source.uuid, flavor: large, hidden: true }, null);
    assert.deepEqual(await countInstanceUsage(h.deps, 'p1'), { instances: 4, cores: 7, ram: 9728 });
    // The mapping moved to the target before the copies swapped visibility: still once, now large.
    await h.deps.api.instanceMappings.setCell(source.uuid, cell2.id);
    assert.deepEqual(await countInstanceUsage(h.deps, 'p1'), { instances: 4, cores: 10, ram: 17408 });
    await h.deps.cells.repos(cell2).instances.update(source.uuid, { hidden: false });
    await h.deps.cells.repos(cell1).instances.update(source.uuid, { hidden: true });
    assert.deepEqual(await countInstanceUsage(h.deps, 'p1'), { instances: 4, cores: 10, ram: 17408 });
  });

  it('leaves out instances queued for deletion, deleted ones, and other projects and users', async () => {
    // A delete queues the mapping and marks the row deleting; a soft delete the row soft-deleted.
    const queued = await inCell(cell1, { flavor: large });
    await h.deps.api.instanceMappings.markQueuedForDelete(queued.uuid);
    await h.deps.cells.repos(cell1).instances.update(queued.uuid, { task_state: 'deleting' });
    const softDeleted = await inCell(cell2, { flavor: large });
    await h.deps.api.instanceMappings.markQueuedForDelete(softDeleted.uuid);
    await h.deps.cells.repos(cell2).instances.update(softDeleted.uuid, { vm_state: 'soft-delete' });
    const deleted = await inCell(cell2, { flavor: large });
    await h.deps.cells.repos(cell2).instances.softDelete(deleted.uuid);
    await inCell(cell1, { project_id: 'p2', flavor: large });
    await inCell(cell1, { user_id: 'u2', flavor: large });
    assert.deepEqual(await countInstanceUsage(h.deps, 'p1'), { instances: 5, cores: 14, ram: 25600 });
    assert.deepEqual(await countInstanceUsage(h.deps, 'p1', 'u2'), { instances: 1, cores: 4, ram: 8192 });
    assert.deepEqual(await countInstanceUsage(h.deps, 'p2'), { instances: 1, cores: 4, ram: 8192 });
  });

  it('counts a server whose delete failed, whether or not the project has another server in its cell', async () => {
    // The delete queued the mapping; the compute failed and left the row in ERROR with no task.
    const failed = makeInstance(h.deps, { project_id: 'p5', user_id: 'u1', flavor: large, vm_state: 'error', task_state: null });
    await h.deps.cells.repos(cell2).instances.create(failed);
    await h.deps.api.instanceMappings.create({ instanceUuid: failed.uuid, projectId: 'p5', userId: 'u1', cellId: cell2.id });
    await h.deps.api.instanceMappings.markQueuedForDelete(failed.uuid);
    assert.deepEqual(await countInstanceUsage(h.deps, 'p5'), { instances: 1, cores: 4, ram: 8192 });
    await inCell(cell2, { project_id: 'p5', flavor: small });
    assert.deepEqual(await countInstanceUsage(h.deps, 'p5'), { instances: 2, cores: 5, ram: 8704 });
    await h.deps.cells.repos(cell2).instances.softDelete(failed.uuid);
    assert.deepEqual(await countInstanceUsage(h.deps, 'p5'), { instances: 1, cores: 1, ram: 512 });
  });

  it('counts an instance once while the conductor has created its row but not yet mapped it', async () => {
    const placing = makeInstance(h.deps, { project_id: 'p4', user_id: 'u1', flavor: large, vm_state: 'building', task_state: 'scheduling' });
    await h.deps.api.buildRequests.create(placing);
    await h.deps.api.instanceMappings.create({ instanceUuid: placing.uuid, projectId: 'p4', userId: 'u1' });
    await inCell(cell1, { project_id: 'p4', flavor: small });
    await h.deps.cells.repos(cell1).instances.create(placing);
    assert.deepEqual(await countInstanceUsage(h.deps, 'p4'), { instances: 2, cores: 5, ram: 8704 });
    await h.deps.api.instanceMappings.setCell(placing.uuid, cell1.id);
    assert.deepEqual(await countInstanceUsage(h.deps, 'p4'), { instances: 2, cores: 5, ram: 8704 });
  });

  it('counts an instance once when it was read as waiting and its build started before its cell was read', async () => {
    // The count reads the waiting build requests first; meanwhile the conductor maps the instance
    // and the compute starts it (task spawning), then the count reads the cell.
    const started = makeInstance(h.deps, { project_id: 'p6', user_id: 'u1', flavor: large, vm_state: 'building', task_state: 'spawning' });
    await h.deps.api.buildRequests.create(started);
    await h.deps.api.instanceMappings.create({ instanceUuid: started.uuid, projectId: 'p6', userId: 'u1' });
    await inCell(cell1, { project_id: 'p6', flavor: small });
    const waiting = await h.deps.api.buildRequests.waitingOf('p6');
    await h.deps.cells.repos(cell1).instances.create(started);
    await h.deps.api.instanceMappings.setCell(started.uuid, cell1.id);
    await h.deps.api.buildRequests.delete(started.uuid);
    const buildRequests: BuildRequestRepo = Object.assign(Object.create(h.deps.api.buildRequests) as BuildRequestRepo, { waitingOf: () => Promise.resolve(waiting) });
    const readBefore: InstanceUsageDeps = { cells: h.deps.cells, api: { instanceMappings: h.deps.api.instanceMappings, cells: h.deps.api.cells, buildRequests } };
    assert.deepEqual(await countInstanceUsage(readBefore, 'p6'), { instances: 2, cores: 5, ram: 8704 });
  });

  it('counts an instance once when the conductor places it between the reads, in a cell the project had no instance in', async () => {
    const moved = makeInstance(h.deps, { project_id: 'p3', user_id: 'u1', flavor: large, vm_state: 'building', task_state: 'scheduling' });
    await h.deps.api.buildRequests.create(moved);
    await h.deps.api.instanceMappings.create({ instanceUuid: moved.uuid, projectId: 'p3', userId: 'u1' });
    const { instanceMappings } = h.deps.api;
    // The conductor's three steps (row in the cell, mapping, build request gone) between the
    // read of the waiting instances and the read of the cells.
    const racing = {
      ...h.deps.api,
      instanceMappings: {
        ...instanceMappings,
        cellsOfProject: async (projectId: string, userId?: string) => {
          await h.deps.cells.repos(cell1).instances.create(moved);
          await instanceMappings.setCell(moved.uuid, cell1.id);
          await h.deps.api.buildRequests.delete(moved.uuid);
          return instanceMappings.cellsOfProject(projectId, userId);
        },
        findMany: (uuids: readonly string[]) => instanceMappings.findMany(uuids),
      },
    } as typeof h.deps.api;
    assert.deepEqual(await countInstanceUsage({ ...h.deps, api: racing }, 'p3'), { instances: 1, cores: 4, ram: 8192 });
    assert.deepEqual(await countInstanceUsage(h.deps, 'p3'), { instances: 1, cores: 4, ram: 8192 });
  });

  it('adds the project\'s server groups to the usage; everything else shows 0', async () => {
    await h.deps.api.serverGroups.create({ name: 'g1', projectId: 'p1', userId: 'u1', policy: 'affinity', rules: {} });
    await h.deps.api.serverGroups.create({ name: 'g2', projectId: 'p1', userId: 'u2', policy: 'affinity', rules: {} });
    const usage = await quotaUsage(h.deps, 'p1');
    assert.equal(usage.server_groups, 2);
    assert.equal(usage.instances, 5);
    assert.equal(usage.key_pairs, 0);
    assert.equal(usage.server_group_members, 0);
    assert.equal(usage.metadata_items, 0);
    assert.equal((await quotaUsage(h.deps, 'p1', 'u2')).server_groups, 1);
  });
});
