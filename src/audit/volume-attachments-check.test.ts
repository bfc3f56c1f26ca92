import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN, openAuditHarness, type AuditHarness } from './audit-harness.test.js';
import { VolumeAttachmentsCheck } from './volume-attachments-check.js';

describe('VolumeAttachmentsCheck', () => {
  let h: AuditHarness;
  before(async () => {
    h = await openAuditHarness();
  });
  after(async () => h?.close());

  it('deletes attachments of missing or deleted instances and unreferenced ones; a move\'s second attachment and a build\'s reservation are kept', async () => {
    const live = await h.instance(h.cell1);
    const used = await h.attachment(live.uuid, h.cell1);
    // A cross-cell move: the target cell's hidden copy references the destination's attachment,
    // and an open migration explains a third one not yet recorded anywhere.
    const moving = await h.instance(h.cell1);
    await h.instance(h.cell2, { uuid: moving.uuid, hidden: true });
    await h.migration(h.cell1, moving.uuid, 'migrating');
    const source = await h.attachment(moving.uuid, h.cell1);
    const dest = await h.volumes.attachmentCreate(ADMIN, source.volumeId, moving.uuid);
    await h.repos(h.cell2).bdms.create({ instance_uuid: moving.uuid, source_type: 'volume', destination_type: 'volume', volume_id: source.volumeId, attachment_id: dest.id });
    const building = h.ids.uuid();
    await h.api.buildRequests.create({ ...live, uuid: building });
    await h.attachment(building);
    assert.deepEqual(await new VolumeAttachmentsCheck(h.deps).find(), [], 'healthy');

    const deleted = await h.instance(h.cell2);
    const ofDeleted = await h.attachment(deleted.uuid, h.cell2);
    await h.repos(h.cell2).instances.softDelete(deleted.uuid);
    const ofMissing = await h.attachment(h.ids.uuid());
    // Left by a failed attach: the live instance has it, no mapping records it.
    const strayId = (await h.attachment(live.uuid)).attachmentId;

    const check = new VolumeAttachmentsCheck(h.deps);
    const found = await check.find();
    assert.deepEqual(found.map((f) => f.ids['attachment']).sort(), [ofDeleted.attachmentId, ofMissing.attachmentId, strayId].sort());
    assert.match(found.find((f) => f.ids['attachment'] === strayId)?.reason ?? '', /no block device mapping/);
    for (const f of found) await check.fix(f);
    assert.deepEqual(await check.find(), []);
    assert.deepEqual(await h.volumes.attachmentList(ADMIN, { instanceUuid: deleted.uuid }), []);
    assert.equal((await h.volumes.get(ADMIN, ofDeleted.volumeId)).status, 'available');
    assert.deepEqual((await h.volumes.attachmentList(ADMIN, { instanceUuid: live.uuid })).map((a) => a.id), [used.attachmentId]);
  });
});
