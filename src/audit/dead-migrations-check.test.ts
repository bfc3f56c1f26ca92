import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TaskState } from '../objects/task-state.js';
import { HOSTS, openAuditHarness, type AuditHarness } from './audit-harness.test.js';
import { DeadMigrationsCheck } from './dead-migrations-check.js';

describe('DeadMigrationsCheck', () => {
  let h: AuditHarness;
  before(async () => {
    h = await openAuditHarness();
  });
  after(async () => h?.close());

  it('marks error the moves whose flow died and frees their consumer; running and finished moves are left', async () => {
    const running = await h.instance(h.cell1, { task_state: TaskState.RESIZE_MIGRATING });
    await h.migration(h.cell1, running.uuid, 'migrating');
    const verify = await h.instance(h.cell1, { host: HOSTS.b });
    await h.migration(h.cell1, verify.uuid, 'finished');
    assert.deepEqual(await new DeadMigrationsCheck(h.deps).find(), [], 'healthy');

    // Died after the allocation swap, still on the source: the source goes back to the instance.
    const onSource = await h.instance(h.cell1);
    const m1 = await h.migration(h.cell1, onSource.uuid, 'pre-migrating');
    await h.allocate(m1.uuid, 'a');
    await h.allocate(onSource.uuid, 'b');
    // Died on the destination: the migration's allocation goes.
    const atDest = await h.instance(h.cell1, { host: HOSTS.b });
    const m2 = await h.migration(h.cell1, atDest.uuid, 'post-migrating');
    await h.allocate(m2.uuid, 'a');

    const check = new DeadMigrationsCheck(h.deps);
    const found = await check.find();
    assert.deepEqual(found.map((f) => f.ids['migration']).sort(), [m1.uuid, m2.uuid].sort());
    for (const f of found) await check.fix(f);
    assert.equal((await h.repos(h.cell1).migrations.get(m1.uuid)).status, 'error');
    assert.equal((await h.repos(h.cell1).migrations.get(m2.uuid)).status, 'error');
    const placement = h.placement.client();
    assert.deepEqual(Object.keys((await placement.getAllocations(onSource.uuid)).allocations), [h.providers.a], 'back on the source only');
    assert.equal((await placement.getAllocations(m1.uuid)).consumer_generation, null);
    assert.equal((await placement.getAllocations(m2.uuid)).consumer_generation, null);
    assert.deepEqual(await check.find(), []);
  });
});
