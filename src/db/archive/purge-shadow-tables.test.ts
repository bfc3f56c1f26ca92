import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { silentLogger } from '../../common/logger.js';
import { archiveDeletedRows } from './archive-deleted-rows.js';
import { countRows, openArchiveHarness, seedInstance, times, type ArchiveHarness } from './archive-harness.test.js';
import { purgeShadowTables } from './purge-shadow-tables.js';

describe('purgeShadowTables', () => {
  let h: ArchiveHarness;
  beforeEach(async () => {
    h = await openArchiveHarness();
  });
  afterEach(async () => h.close());

  it('deletes archived rows older than before, by deletion time (record time for actions and events), or all of them', async () => {
    await seedInstance(h, { deleted: true });
    h.clock.advance(86_400_000);
    const cutoff = h.clock.now();
    h.clock.advance(1000);
    await seedInstance(h, { deleted: true });
    await archiveDeletedRows({ db: h.cell.db, logger: silentLogger() }, { maxRows: 1000 });
    assert.deepEqual(await countRows(h, 'shadow_'), times(2));

    const purged = await purgeShadowTables(h.cell.db, cutoff);
    assert.deepEqual(await countRows(h, 'shadow_'), times(1), 'the older instance and all its rows went');
    assert.equal(purged.find((p) => p.table === 'shadow_instances')?.column, 'deleted_at|updated_at|created_at');
    assert.equal(purged.find((p) => p.table === 'shadow_instance_actions')?.column, 'created_at');

    assert.deepEqual(await purgeShadowTables(h.cell.db, cutoff), [], 'nothing more is that old');
    const all = await purgeShadowTables(h.cell.db, undefined);
    assert.equal(all.find((p) => p.table === 'shadow_instances')?.rows, 1);
    assert.deepEqual(await countRows(h, 'shadow_'), times(0));
    assert.deepEqual(await countRows(h), times(0), 'live tables untouched');
  });
});
