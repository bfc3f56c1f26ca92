import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeFlavor, makeInstance } from '../../../test/integration/db/instance-fixture.js';
import { startHarness, type Harness } from '../../api/routes/compute/compute-route-harness.test.js';
import { OverLimitError } from '../../common/errors.js';
import type { CellMapping } from '../../objects/cell-mapping.js';
import { allowedInstances, checkInstanceQuota, checkResizeQuota, resizeDeltas } from './instance-quota.js';

const tiny = makeFlavor({ vcpus: 1, memory_mb: 512 });
const medium = makeFlavor({ id: 3, flavorid: '3', vcpus: 2, memory_mb: 4096 });
const xlarge = makeFlavor({ id: 5, flavorid: '5', vcpus: 8, memory_mb: 16384 });
const defaults = { instances: 10, cores: 20, ram: 51200 };

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof OverLimitError, String(err));
    assert.equal(err.status, 403);
    assert.equal(err.code, 'compute.quota_exceeded');
    return err.message;
  }
  assert.fail('not refused');
}

describe('instance quota of a boot', () => {
  it('allows the whole request when it fits', () => {
    assert.equal(allowedInstances(defaults, { instances: 0, cores: 0, ram: 0 }, tiny, 1, 10), 10);
    assert.equal(allowedInstances(defaults, { instances: 9, cores: 9, ram: 4608 }, tiny, 1, 1), 1);
  });

  it('refuses with Nova\'s message when even min_count does not fit', () => {
    assert.equal(
      refusal(() => allowedInstances(defaults, { instances: 9, cores: 9, ram: 4608 }, tiny, 2, 2)),
      'Quota exceeded for instances: Requested 2, but already used 9 of 10 instances',
    );
    assert.equal(
      refusal(() => allowedInstances(defaults, { instances: 9, cores: 9, ram: 4608 }, tiny, 2, 4)),
      'Quota exceeded for instances: Requested 2-4, but already used 9 of 10 instances',
    );
    assert.equal(
      refusal(() => allowedInstances(defaults, { instances: 1, cores: 8, ram: 16384 }, xlarge, 2, 2)),
      'Quota exceeded for cores: Requested 16, but already used 8 of 20 cores',
    );
    assert.equal(
      refusal(() => allowedInstances({ instances: 2, cores: 4, ram: 51200 }, { instances: 2, cores: 4, ram: 1024 }, medium, 1, 1)),
      'Quota exceeded for cores, instances: Requested 2, 1, but already used 4, 2 of 4, 2 cores, instances',
    );
  });

  it('builds as many as fit, down to min_count', () => {
    assert.equal(allowedInstances(defaults, { instances: 7, cores: 7, ram: 3584 }, tiny, 1, 5), 3);
    assert.equal(allowedInstances(defaults, { instances: 0, cores: 8, ram: 0 }, xlarge, 1, 3), 1);
    assert.equal(allowedInstances({ instances: 10, cores: 20, ram: 10000 }, { instances: 0, cores: 0, ram: 0 }, medium, 1, 5), 2);
    assert.match(refusal(() => allowedInstances(defaults, { instances: 7, cores: 7, ram: 3584 }, tiny, 4, 5)), /^Quota exceeded for instances: Requested 4-5, but already used 7 of 10 instances$/);
  });

  it('treats -1 as unlimited and counts a usage already past a lowered limit as full', () => {
    assert.equal(allowedInstances({ instances: -1, cores: -1, ram: -1 }, { instances: 500, cores: 4000, ram: 1e7 }, xlarge, 1, 100), 100);
    assert.equal(allowedInstances({ instances: -1, cores: 20, ram: -1 }, { instances: 3, cores: 12, ram: 0 }, xlarge, 1, 3), 1);
    assert.equal(
      refusal(() => allowedInstances({ instances: 2, cores: 20, ram: 51200 }, { instances: 5, cores: 5, ram: 2560 }, tiny, 1, 1)),
      'Quota exceeded for instances: Requested 1, but already used 5 of 2 instances',
    );
  });
});

describe('resize quota', () => {
  let h: Harness;
  let cell: CellMapping;

  before(async () => {
    h = await startHarness();
    cell = h.cells[0] as CellMapping;
    for (let i = 0; i < 2; i++) {
      const instance = makeInstance(h.deps, { project_id: 'p1', user_id: 'u1', flavor: xlarge });
      await h.deps.cells.repos(cell).instances.create(instance);
      await h.deps.api.instanceMappings.create({ instanceUuid: instance.uuid, projectId: 'p1', userId: 'u1', cellId: cell.id });
    }
  });
  after(async () => h.close());

  it('counts only the growth: no instance, new minus old cores and ram, nothing for a downsize', () => {
    assert.deepEqual(resizeDeltas(tiny, medium), { instances: 0, cores: 1, ram: 3584 });
    assert.deepEqual(resizeDeltas(xlarge, tiny), { instances: 0, cores: 0, ram: 0 });
    assert.deepEqual(resizeDeltas(makeFlavor({ vcpus: 4, memory_mb: 512 }), makeFlavor({ vcpus: 2, memory_mb: 1024 })), { instances: 0, cores: 0, ram: 512 });
  });

  it('lets a resize through when the growth fits, and refuses it with the delta in the message when not', async () => {
    // 16 of 20 cores used: +4 fits, +7 does not; a downsize always fits.
    await checkResizeQuota(h.deps, 'p1', tiny, makeFlavor({ vcpus: 5, memory_mb: 512 }));
    await checkResizeQuota(h.deps, 'p1', xlarge, tiny);
    await assert.rejects(checkResizeQuota(h.deps, 'p1', tiny, xlarge), (err: unknown) => {
      assert.ok(err instanceof OverLimitError);
      assert.equal(err.message, 'Quota exceeded for cores: Requested 7, but already used 16 of 20 cores');
      return true;
    });
    // Another project has room.
    await checkResizeQuota(h.deps, 'p2', tiny, xlarge);
  });

  it('uses the project\'s own limits over the defaults', async () => {
    await h.deps.api.quotas.set('p1', { cores: -1, ram: 50000 });
    await checkResizeQuota(h.deps, 'p1', tiny, xlarge);
    await assert.rejects(checkResizeQuota(h.deps, 'p1', makeFlavor({ memory_mb: 512 }), makeFlavor({ memory_mb: 20000 })), /^OverLimitError: Quota exceeded for ram: Requested 19488, but already used 32768 of 50000 ram$/);
    assert.equal(await checkInstanceQuota(h.deps, 'p1', tiny, 1, 20), 8);
    await h.deps.api.quotas.deleteProject('p1');
    assert.equal(await checkInstanceQuota(h.deps, 'p1', tiny, 1, 20), 4);
  });
});

describe('instance quota of a boot, counted', () => {
  let h: Harness;
  let cell: CellMapping;

  before(async () => {
    h = await startHarness();
    cell = h.cells[0] as CellMapping;
  });
  after(async () => h.close());

  it('decides on the exact count when the bound (an instance counted twice) would refuse', async () => {
    await h.deps.api.quotas.set('p1', { instances: 3 });
    const placed = makeInstance(h.deps, { project_id: 'p1', user_id: 'u1', flavor: tiny });
    await h.deps.cells.repos(cell).instances.create(placed);
    await h.deps.api.instanceMappings.create({ instanceUuid: placed.uuid, projectId: 'p1', userId: 'u1', cellId: cell.id });
    // Created in its cell, its build request not yet gone: 1 instance, 2 on the bound.
    const placing = makeInstance(h.deps, { project_id: 'p1', user_id: 'u1', flavor: tiny });
    await h.deps.api.buildRequests.create(placing);
    await h.deps.api.instanceMappings.create({ instanceUuid: placing.uuid, projectId: 'p1', userId: 'u1' });
    await h.deps.cells.repos(cell).instances.create(placing);
    assert.equal(await checkInstanceQuota(h.deps, 'p1', tiny, 1, 1), 1);
    assert.equal(await checkInstanceQuota(h.deps, 'p1', tiny, 1, 2), 1);
    await assert.rejects(checkInstanceQuota(h.deps, 'p1', tiny, 2, 2), /^OverLimitError: Quota exceeded for instances: Requested 2, but already used 2 of 3 instances$/);
  });
});
