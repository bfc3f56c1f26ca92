import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { silentLogger } from '../../common/logger.js';
import { archiveDeletedRows } from './archive-deleted-rows.js';
import { countRows, openArchiveHarness, SEEDED_ROWS, seedInstance, times, type ArchiveHarness } from './archive-harness.test.js';

const logger = silentLogger();
const total = Object.values(SEEDED_ROWS).reduce((a, b) => a + b, 0);

describe('archiveDeletedRows', () => {
  let h: ArchiveHarness;
  beforeEach(async () => {
    h = await openArchiveHarness();
  });
  afterEach(async () => h.close());

  it('moves a deleted instance with everything recorded about it, and leaves live instances alone', async () => {
    const live = await seedInstance(h);
    const gone = await seedInstance(h, { deleted: true });
    const result = await archiveDeletedRows({ db: h.cell.db, logger }, { maxRows: 1000 });
    assert.deepEqual(Object.fromEntries(result.tables), SEEDED_ROWS);
    assert.equal(result.total, total);
    assert.deepEqual(result.instanceUuids, [gone]);
    assert.deepEqual(await countRows(h), times(1));
    assert.deepEqual(await countRows(h, 'shadow_'), times(1));
    assert.ok(await h.repos.instances.find(live));
    const shadow = await h.cell.db.selectFrom('shadow_instances' as 'instances').selectAll().executeTakeFirstOrThrow();
    assert.equal(shadow.uuid, gone);
    assert.notEqual(shadow.deleted, 0, 'the row keeps its values, the deleted marker included');
    // The tags went with the soft delete; the live instance keeps its own.
    assert.deepEqual(await h.repos.tags.list(live), ['blue']);
    // Nothing is left to move.
    const again = await archiveDeletedRows({ db: h.cell.db, logger }, { maxRows: 1000 });
    assert.equal(again.total, 0);
  });

  it('moves at most max rows per pass, but always a whole instance with its rows', async () => {
    for (let n = 0; n < 3; n++) await seedInstance(h, { deleted: true });
    const first = await archiveDeletedRows({ db: h.cell.db, logger }, { maxRows: 1 });
    assert.equal(first.total, total, 'one instance and its rows, though that is more than 1');
    assert.equal(first.instanceUuids.length, 1);
    assert.deepEqual(await countRows(h, 'shadow_'), times(1));
    const second = await archiveDeletedRows({ db: h.cell.db, logger }, { maxRows: total + 1 });
    assert.equal(second.instanceUuids.length, 2, 'the second instance reached the limit, so a third tree started');
    assert.deepEqual(await countRows(h), times(0));
  });

  it('takes only rows deleted before --before, with their rows whatever their age', async () => {
    const old = await seedInstance(h, { deleted: true });
    h.clock.advance(3_600_000);
    const cutoff = h.clock.now();
    h.clock.advance(1000);
    const recent = await seedInstance(h, { deleted: true });
    const result = await archiveDeletedRows({ db: h.cell.db, logger }, { maxRows: 1000, before: cutoff });
    assert.deepEqual(result.instanceUuids, [old]);
    assert.deepEqual(await countRows(h), times(1));
    assert.ok(await h.repos.instances.find(recent, { includeDeleted: true }));
  });

  it('moves the deleted rows of a live instance on their own table turn', async () => {
    const live = await seedInstance(h);
    await h.cell.db.updateTable('block_device_mapping').set((eb) => ({ deleted: eb.ref('id'), deleted_at: h.clock.now().toISOString() })).where('instance_uuid', '=', live).execute();
    const result = await archiveDeletedRows({ db: h.cell.db, logger }, { maxRows: 1000 });
    assert.deepEqual(Object.fromEntries(result.tables), { block_device_mapping: 1 });
    assert.deepEqual(result.instanceUuids, []);
  });

  it('refuses to run when a table and its shadow differ in columns', async () => {
    await h.cell.db.schema.alterTable('instances').addColumn('new_thing', 'text').execute();
    await seedInstance(h, { deleted: true });
    await assert.rejects(archiveDeletedRows({ db: h.cell.db, logger }, { maxRows: 1000 }), /shadow_instances lacks new_thing/);
  });
});
