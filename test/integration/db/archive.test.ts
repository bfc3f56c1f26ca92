import assert from 'node:assert/strict';
import { it } from 'node:test';
import { silentLogger } from '../../../src/common/logger.js';
import type { ApiSchema } from '../../../src/db/api/api-schema.js';
import { archiveDeletedRows } from '../../../src/db/archive/archive-deleted-rows.js';
import { countRows, seedInstance, SEEDED_ROWS, times, type ArchiveHarness } from '../../../src/db/archive/archive-harness.test.js';
import { purgeShadowTables } from '../../../src/db/archive/purge-shadow-tables.js';
import { shadowColumnDrift } from '../../../src/db/archive/shadow-drift.js';
import { readTableColumns } from '../../../src/db/archive/shadow-tables.js';
import { createCellRepos, type CellRepos } from '../../../src/db/cell/cell-repos.js';
import type { CellSchema } from '../../../src/db/cell/cell-schema.js';
import type { Database } from '../../../src/db/connection.js';
import { cellMigrations } from '../../../src/db/migrations/cell/index.js';
import { describeEachDialect, type DialectHarness } from './describe-each-dialect.js';
import { dialectTargets } from './dialect-targets.js';

const targets = await dialectTargets();

// The seeding helpers want the unit tests' harness; the API database is not used by them.
function asArchiveHarness(h: DialectHarness<CellSchema, CellRepos>): ArchiveHarness {
  return { cell: h.database, api: undefined as unknown as Database<ApiSchema>, repos: h.repos, clock: h.clock, ids: h.ids, close: () => Promise.resolve() };
}

describeEachDialect<CellSchema, CellRepos>(targets, {
  title: 'Archive and purge of a cell database',
  prefix: 'archive',
  migrations: cellMigrations,
  repos: ({ database, clock, ids }) => createCellRepos({ db: database.db, clock, ids }),
}, (harness) => {
  it('creates a shadow with the same columns for every soft-deleted table', async () => {
    assert.deepEqual(shadowColumnDrift(await readTableColumns(harness().database.db)), []);
  });

  it('archives deleted instances with their rows in batches, then purges by age and all', async () => {
    const h = asArchiveHarness(harness());
    const live = await seedInstance(h);
    await seedInstance(h, { deleted: true });
    h.clock.advance(86_400_000);
    const cutoff = h.clock.now();
    h.clock.advance(1000);
    await seedInstance(h, { deleted: true });
    const logger = silentLogger();

    const first = await archiveDeletedRows({ db: h.cell.db, logger }, { maxRows: 1 });
    assert.equal(first.instanceUuids.length, 1);
    assert.deepEqual(Object.fromEntries(first.tables), SEEDED_ROWS);
    const second = await archiveDeletedRows({ db: h.cell.db, logger }, { maxRows: 1000 });
    assert.equal(second.instanceUuids.length, 1);
    assert.deepEqual(await countRows(h), times(1));
    assert.deepEqual(await countRows(h, 'shadow_'), times(2));
    assert.ok(await h.repos.instances.find(live));

    await purgeShadowTables(h.cell.db, cutoff);
    assert.deepEqual(await countRows(h, 'shadow_'), times(1));
    await purgeShadowTables(h.cell.db, undefined);
    assert.deepEqual(await countRows(h, 'shadow_'), times(0));
    assert.deepEqual(await countRows(h), times(1));
  });
});
