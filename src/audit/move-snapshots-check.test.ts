import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MOVE_SNAPSHOT_MIGRATION, MOVE_SNAPSHOT_OF } from '../objects/move-snapshot.js';
import { ADMIN, openAuditHarness, type AuditHarness } from './audit-harness.test.js';
import { MoveSnapshotsCheck } from './move-snapshots-check.js';

describe('MoveSnapshotsCheck', () => {
  let h: AuditHarness;
  before(async () => {
    h = await openAuditHarness();
  });
  after(async () => h?.close());

  it('deletes move snapshots whose migration is missing or done; an open move\'s snapshot and other images stay', async () => {
    const moving = await h.instance(h.cell1);
    const open = await h.migration(h.cell1, moving.uuid, 'migrating');
    const snap = (migration: string, osHidden = false) =>
      h.images.create(ADMIN, { name: 'move', visibility: 'private', os_hidden: osHidden, owner: 'someone-else', properties: { [MOVE_SNAPSHOT_OF]: moving.uuid, [MOVE_SNAPSHOT_MIGRATION]: migration } });
    const kept = await snap(open.uuid, true);
    const plain = await h.images.create(ADMIN, { name: 'a user snapshot', properties: { image_type: 'snapshot' } });
    assert.deepEqual(await new MoveSnapshotsCheck(h.deps).find(), [], 'healthy');

    const done = await h.migration(h.cell1, moving.uuid, 'reverted');
    const ofDone = await snap(done.uuid);
    const ofMissing = await snap(h.ids.uuid(), true);
    const check = new MoveSnapshotsCheck(h.deps);
    const found = await check.find();
    assert.deepEqual(found.map((f) => f.ids['image']).sort(), [ofDone.id, ofMissing.id].sort());
    assert.deepEqual(found.find((f) => f.ids['image'] === ofDone.id)?.ids, { image: ofDone.id, instance: moving.uuid, migration: done.uuid });
    for (const f of found) await check.fix(f);
    assert.deepEqual(await check.find(), []);
    for (const id of [kept.id, plain.id]) assert.equal((await h.images.get(ADMIN, id)).id, id);
    await assert.rejects(h.images.get(ADMIN, ofDone.id), { code: 'image.not_found' });
  });
});
