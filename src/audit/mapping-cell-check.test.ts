import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CellDatabases } from '../db/cell/cell-databases.js';
import { cellMigrations } from '../db/migrations/cell/index.js';
import { migrateToLatest } from '../db/migrator.js';
import { openAuditHarness, type AuditHarness } from './audit-harness.test.js';
import { MappingCellCheck } from './mapping-cell-check.js';

describe('MappingCellCheck', () => {
  let h: AuditHarness;
  before(async () => {
    h = await openAuditHarness();
  });
  after(async () => h?.close());

  it('points a mapping at the cell that shows the instance; leaves moves, deleted instances and ambiguous cases alone or reported', async () => {
    const moving = await h.instance(h.cell1);
    await h.instance(h.cell2, { uuid: moving.uuid, hidden: true });
    await h.migration(h.cell1, moving.uuid, 'finished');
    const deleted = await h.instance(h.cell1);
    await h.repos(h.cell1).instances.softDelete(deleted.uuid);
    assert.deepEqual(await new MappingCellCheck(h.deps).find(), [], 'healthy');

    // Mapped to cell2, which has only a hidden copy, while cell1 shows it.
    const wrong = await h.instance(h.cell1, {}, h.cell2);
    await h.instance(h.cell2, { uuid: wrong.uuid, hidden: true });
    // Mapped to cell1, which has nothing, while cell2 shows it.
    const nowhere = await h.instance(h.cell2, {}, h.cell1);
    // Mapped to cell1 (hidden there), shown by no one else: nothing to repoint to.
    const hiddenOnly = await h.instance(h.cell1, { hidden: true });

    const check = new MappingCellCheck(h.deps);
    const found = await check.find();
    assert.deepEqual(found.map((f) => `${f.ids['instance']} ${f.remedy}`).sort(), [`${wrong.uuid} point the mapping at cell1`, `${nowhere.uuid} point the mapping at cell2`].sort());
    assert.ok(found.every((f) => f.fixable));
    for (const f of found) await check.fix(f);
    assert.equal((await h.api.instanceMappings.get(wrong.uuid)).cell_id, h.cell1.id);
    assert.equal((await h.api.instanceMappings.get(nowhere.uuid)).cell_id, h.cell2.id);
    assert.equal((await h.api.instanceMappings.get(hiddenOnly.uuid)).cell_id, h.cell1.id);
    assert.deepEqual(await check.find(), []);
  });

  it('reports without fixing when two other cells show the instance', async () => {
    const h3 = await openAuditHarness();
    try {
      const cell3 = await h3.api.cells.upsert({ uuid: h3.ids.uuid(), name: 'cell3', transportUrl: 'none', databaseConnection: 'sqlite:///:memory:?cell=cell3' });
      await migrateToLatest((h3.deps.cells as CellDatabases).database(cell3), cellMigrations);
      const twice = await h3.instance(h3.cell1, { hidden: true });
      await h3.instance(h3.cell2, { uuid: twice.uuid });
      await h3.instance(cell3, { uuid: twice.uuid });
      const [f] = await new MappingCellCheck(h3.deps).find();
      assert.equal(f?.fixable, false);
      assert.equal(f?.reason, 'mapped to cell1, which does not show it; cell2, cell3 do');
      await new MappingCellCheck(h3.deps).fix(f as NonNullable<typeof f>);
      assert.equal((await h3.api.instanceMappings.get(twice.uuid)).cell_id, h3.cell1.id);
    } finally {
      await h3.close();
    }
  });
});
