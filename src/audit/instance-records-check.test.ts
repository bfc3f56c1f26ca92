import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openAuditHarness, type AuditHarness } from './audit-harness.test.js';
import { InstanceRecordsCheck } from './instance-records-check.js';

describe('InstanceRecordsCheck', () => {
  let h: AuditHarness;
  before(async () => {
    h = await openAuditHarness();
  });
  after(async () => h?.close());

  it('hard-deletes rows without a mapping and copies nothing keeps, hides a moving copy shown twice; leaves live instances and hidden move copies', async () => {
    const live = await h.instance(h.cell1);
    const moving = await h.instance(h.cell1);
    await h.instance(h.cell2, { uuid: moving.uuid, hidden: true });
    await h.migration(h.cell1, moving.uuid, 'migrating');
    assert.deepEqual(await new InstanceRecordsCheck(h.deps).find(), [], 'healthy');

    const unmapped = await h.instance(h.cell2, {}, null);
    await h.repos(h.cell2).actions.start({ action: 'create', instanceUuid: unmapped.uuid, requestId: 'req-x', userId: 'u', projectId: 'p' });
    const copied = await h.instance(h.cell1);
    await h.instance(h.cell2, { uuid: copied.uuid });
    const leftover = await h.instance(h.cell1);
    await h.instance(h.cell2, { uuid: leftover.uuid, hidden: true });
    const shownTwice = await h.instance(h.cell1);
    await h.instance(h.cell2, { uuid: shownTwice.uuid });
    await h.migration(h.cell1, shownTwice.uuid, 'finished');

    const check = new InstanceRecordsCheck(h.deps);
    const found = await check.find();
    const summary = found.map((f) => `${f.kind} ${f.ids['instance']} ${f.cell} ${f.action}`).sort();
    assert.deepEqual(summary, [
      `duplicate_instance_row ${copied.uuid} cell2 hard_delete`,
      `duplicate_instance_row ${shownTwice.uuid} cell2 hide`,
      `orphan_instance_row ${leftover.uuid} cell2 hard_delete`,
      `orphan_instance_row ${unmapped.uuid} cell2 hard_delete`,
    ].sort());
    for (const f of found) await check.fix(f);
    assert.deepEqual(await check.find(), []);
    const cell2 = h.repos(h.cell2);
    assert.equal(await cell2.instances.find(unmapped.uuid, { includeDeleted: true }), undefined);
    assert.deepEqual(await cell2.actions.list(unmapped.uuid), [], 'child rows go with it');
    assert.equal(await cell2.instances.find(copied.uuid), undefined);
    assert.equal((await cell2.instances.listCopies()).find((c) => c.uuid === shownTwice.uuid)?.hidden, true);
    assert.ok(await h.repos(h.cell1).instances.find(live.uuid));
    assert.ok(await h.repos(h.cell1).instances.find(copied.uuid), 'the mapped row stays');
  });
});
