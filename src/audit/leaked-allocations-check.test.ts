import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openAuditHarness, type AuditHarness } from './audit-harness.test.js';
import { LeakedAllocationsCheck } from './leaked-allocations-check.js';

describe('LeakedAllocationsCheck', () => {
  let h: AuditHarness;
  before(async () => {
    h = await openAuditHarness();
  });
  after(async () => h?.close());

  it('reports consumers nothing owns and deletes their allocations; live instances, open migrations, hidden move copies and builds are owned', async () => {
    const live = await h.instance(h.cell1);
    await h.allocate(live.uuid, 'a');
    // A cross-cell move under way: the source cell shows it, the target holds a hidden copy;
    // the migration holds the source node, the instance the destination.
    const moving = await h.instance(h.cell1);
    await h.instance(h.cell2, { uuid: moving.uuid, hidden: true, host: 'cell2-host1' });
    const move = await h.migration(h.cell1, moving.uuid, 'finished');
    await h.migration(h.cell2, moving.uuid, 'finished', { uuid: move.uuid });
    await h.allocate(move.uuid, 'a');
    await h.allocate(moving.uuid, 'c');
    const building = h.ids.uuid();
    await h.api.buildRequests.create({ ...live, uuid: building });
    await h.allocate(building, 'b');

    const ghost = h.ids.uuid();
    await h.allocate(ghost, 'b');
    const deleted = await h.instance(h.cell2);
    await h.allocate(deleted.uuid, 'c');
    await h.repos(h.cell2).instances.softDelete(deleted.uuid);
    const done = await h.migration(h.cell1, live.uuid, 'confirmed');
    await h.allocate(done.uuid, 'a');

    const check = new LeakedAllocationsCheck(h.deps);
    const found = await check.find();
    assert.deepEqual(found.map((f) => f.ids['consumer']).sort(), [ghost, deleted.uuid, done.uuid].sort());
    const ofDeleted = found.find((f) => f.ids['consumer'] === deleted.uuid);
    assert.equal(ofDeleted?.cell, 'cell2');
    assert.equal(ofDeleted?.ids['providers'], h.providers.c);
    for (const f of found) await check.fix(f);
    assert.deepEqual(await check.find(), []);
    for (const kept of [live.uuid, moving.uuid, move.uuid, building]) {
      assert.notEqual((await h.placement.client().getAllocations(kept)).consumer_generation, null, `${kept} keeps its allocations`);
    }
    assert.equal((await h.placement.client().getAllocations(ghost)).consumer_generation, null);
  });
});
