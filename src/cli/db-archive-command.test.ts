import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { makeInstance } from '../../test/integration/db/instance-fixture.js';
import { SystemClock } from '../common/clock.js';
import { RandomIdGenerator } from '../common/ids.js';
import { silentLogger } from '../common/logger.js';
import { cellDatabaseUrl, parseConfigText, type Config } from '../config/index.js';
import { createCellRepos } from '../db/cell/cell-repos.js';
import type { CellSchema } from '../db/cell/cell-schema.js';
import { openDatabase } from '../db/connection.js';
import type { DbMaintenanceFlags } from './cli-options.js';
import { ARCHIVE_EXIT, runDbArchive } from './db-archive-command.js';
import { PURGE_EXIT, runDbPurge } from './db-purge-command.js';
import { runDbSync } from './db-sync-command.js';

const logger = silentLogger();
const flags = (over: Partial<DbMaintenanceFlags> = {}): DbMaintenanceFlags => ({
  maxRows: undefined, before: undefined, allCells: false, cell: undefined, verbose: false, untilComplete: false, purge: false, all: false, ...over,
});

function capture(): { out: Writable; text: () => string } {
  let text = '';
  const out = new Writable({ write(chunk: Buffer, _enc, done) { text += chunk.toString(); done(); } });
  return { out, text: () => text };
}

describe('tessera db archive and db purge (exit codes and output)', () => {
  let dir: string;
  let config: Config;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tessera-archive-cli-'));
    config = parseConfigText(`[DEFAULT]\nstate_path = ${dir}\n[cells]\nnames = cell1\n`, 'test');
    const quiet = process.stdout.write;
    process.stdout.write = () => true; // db sync lists the cells it mapped
    try {
      await runDbSync(config, logger);
    } finally {
      process.stdout.write = quiet;
    }
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  async function deleteInstances(n: number): Promise<void> {
    const cell = openDatabase<CellSchema>(cellDatabaseUrl(config, 'cell1'));
    const clock = new SystemClock();
    const ids = new RandomIdGenerator();
    const repos = createCellRepos({ db: cell.db, clock, ids });
    for (let k = 0; k < n; k++) {
      const i = await repos.instances.create(makeInstance({ clock, ids }));
      await repos.actions.start({ action: 'create', instanceUuid: i.uuid, requestId: `req-${k}`, userId: 'u', projectId: 'p' });
      await repos.instances.softDelete(i.uuid);
    }
    await cell.close();
  }

  it('refuses bad arguments with Nova\'s codes', async () => {
    assert.equal(await runDbArchive(config, logger, flags({ maxRows: '0', allCells: true }), capture().out), ARCHIVE_EXIT.BAD_ARGUMENT);
    assert.equal(await runDbArchive(config, logger, flags({ maxRows: 'ten', allCells: true }), capture().out), ARCHIVE_EXIT.BAD_ARGUMENT);
    assert.equal(await runDbArchive(config, logger, flags({ before: 'someday', allCells: true }), capture().out), ARCHIVE_EXIT.BAD_DATE);
    const c = capture();
    assert.equal(await runDbArchive(config, logger, flags(), c.out), ARCHIVE_EXIT.BAD_ARGUMENT, 'the default [database] connection is one database per cell');
    assert.match(c.text(), /--all-cells or --cell NAME/);
    assert.equal(await runDbArchive(config, logger, flags({ cell: 'cell9' }), capture().out), ARCHIVE_EXIT.BAD_ARGUMENT);
    assert.equal(await runDbPurge(config, logger, flags({ allCells: true }), capture().out), PURGE_EXIT.MISSING_ARGUMENT);
    assert.equal(await runDbPurge(config, logger, flags({ before: 'someday', allCells: true }), capture().out), PURGE_EXIT.BAD_DATE);
  });

  it('answers 3 (archive) and 4 (purge) when the API database has no cells table', async () => {
    const empty = parseConfigText(`[DEFAULT]\nstate_path = ${dir}\n[api_database]\nconnection = sqlite:///${join(dir, 'empty-api.sqlite')}\n`, 'test');
    assert.equal(await runDbArchive(empty, logger, flags({ allCells: true }), capture().out), ARCHIVE_EXIT.NO_API_DATABASE);
    assert.equal(await runDbPurge(empty, logger, flags({ all: true, allCells: true }), capture().out), PURGE_EXIT.NO_CELLS);
  });

  it('archives (1 while it moved rows, 0 once nothing is left), until complete in batches, then purges (0, then 3)', async () => {
    const nothing = capture();
    assert.equal(await runDbArchive(config, logger, flags({ allCells: true, verbose: true }), nothing.out), ARCHIVE_EXIT.NOTHING);
    assert.match(nothing.text(), /Nothing was archived\./);

    await deleteInstances(3);
    const once = capture();
    assert.equal(await runDbArchive(config, logger, flags({ cell: 'cell1', maxRows: '1', verbose: true }), once.out), ARCHIVE_EXIT.ARCHIVED);
    assert.match(once.text(), /\| cell1\.instances +\| 1 +\|/);
    assert.match(once.text(), /\| cell1\.instance_actions +\| 1 +\|/);

    const rest = capture();
    assert.equal(await runDbArchive(config, logger, flags({ allCells: true, maxRows: '1', untilComplete: true, verbose: true }), rest.out), ARCHIVE_EXIT.ARCHIVED);
    assert.match(rest.text(), /^Archiving\.\.\.+complete\n/);
    assert.match(rest.text(), /\| cell1\.instances +\| 2 +\|/);
    assert.match(rest.text(), /\| API_DB\.instance_mappings +\| 0 +\|/);
    assert.equal(await runDbArchive(config, logger, flags({ allCells: true }), capture().out), ARCHIVE_EXIT.NOTHING);

    const purge = capture();
    assert.equal(await runDbPurge(config, logger, flags({ before: '2000-01-01', allCells: true }), purge.out), PURGE_EXIT.NOTHING, 'nothing is that old');
    assert.equal(await runDbPurge(config, logger, flags({ all: true, allCells: true, verbose: true }), purge.out), PURGE_EXIT.PURGED);
    assert.match(purge.text(), /Cell cell1: Deleted 3 rows from shadow_instances based on timestamp column \(n\/a\)/);
    assert.equal(await runDbPurge(config, logger, flags({ all: true, allCells: true }), capture().out), PURGE_EXIT.NOTHING);
  });

  it('archive --purge empties the shadow tables once it archived something', async () => {
    await deleteInstances(1);
    const c = capture();
    assert.equal(await runDbArchive(config, logger, flags({ allCells: true, purge: true, verbose: true }), c.out), ARCHIVE_EXIT.ARCHIVED);
    assert.match(c.text(), /Rows were archived, running purge\.\.\.\nCell cell1: Deleted 1 rows from shadow_instance_actions/);
    assert.equal(await runDbPurge(config, logger, flags({ all: true, allCells: true }), capture().out), PURGE_EXIT.NOTHING);
  });
});
