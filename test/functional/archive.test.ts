import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { makeInstance } from '../integration/db/instance-fixture.js';
import { SystemClock } from '../../src/common/clock.js';
import { RandomIdGenerator } from '../../src/common/ids.js';
import { silentLogger } from '../../src/common/logger.js';
import { createCellRepos } from '../../src/db/cell/cell-repos.js';
import type { CellSchema } from '../../src/db/cell/cell-schema.js';
import { openDatabase } from '../../src/db/connection.js';
import { archiveDatabases, purgeDatabases, type DbMaintenanceDeps } from '../../src/services/archive-databases.js';
import { runTessera } from '../fixtures/tessera-cli.js';
import { startTestCloud, waitForStatus, type TestCloud } from '../fixtures/test-cloud.js';
import { C, createServer, imageId, waitForGone } from './helpers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function count(db: Kysely<any>, table: string, uuids: string[], column = 'instance_uuid'): Promise<number> {
  const row = (await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where(column, 'in', uuids).executeTakeFirstOrThrow()) as { n: number };
  return Number(row.n);
}

describe('tessera db archive and purge on a running cloud', () => {
  let t: TestCloud;
  let image: string;
  let deps: DbMaintenanceDeps;

  before(async () => {
    t = await startTestCloud();
    image = await imageId(t.admin);
    // The cloud's own open databases: its in-memory cells exist nowhere else.
    deps = { config: { database: { connection: 'unused when all cells are chosen' } }, api: t.cloud.api, cells: t.cloud.cells, logger: silentLogger() };
  });
  after(async () => {
    await t?.stop();
  });

  it('moves deleted servers and everything about them to the shadow tables; live servers stay; purge empties the shadows', async () => {
    const live = await createServer(t.member, { name: 'arch-live', imageRef: image, zone: 'cell1' });
    const gone = [await createServer(t.member, { name: 'arch-gone-1', imageRef: image, zone: 'cell1' }), await createServer(t.member, { name: 'arch-gone-2', imageRef: image, zone: 'cell2' })];
    for (const id of [live, ...gone]) await waitForStatus(t.member, id, 'ACTIVE');
    assert.equal((await t.member.post(`${C}/servers/${live}/action`, { 'os-stop': null })).status, 202);
    await waitForStatus(t.member, live, 'SHUTOFF');
    for (const id of gone) {
      assert.equal((await t.member.delete(`${C}/servers/${id}`)).status, 204);
      await waitForGone(t.member, id);
    }
    const cell1 = await t.cloud.api.cells.getByName('cell1');
    const cell2 = await t.cloud.api.cells.getByName('cell2');
    assert.ok(cell1 && cell2);
    const dbs = [t.cloud.cells.database(cell1).db, t.cloud.cells.database(cell2).db] as const;
    // os-instance-actions is not served yet: read the rows. A deleted server's actions stay until archived.
    const actionsBefore = (await count(dbs[0], 'instance_actions', gone)) + (await count(dbs[1], 'instance_actions', gone));
    assert.equal(actionsBefore, 4, 'create and delete of each');
    assert.ok(await t.cloud.api.instanceMappings.find(gone[0] as string));

    const { report } = await archiveDatabases(deps, { cells: { kind: 'all' }, maxRows: 1, untilComplete: true, purge: false });
    assert.equal(report.tables.get('cell1.instances'), 1);
    assert.equal(report.tables.get('cell2.instances'), 1);
    assert.equal(report.tables.get('cell1.instance_actions'), 2);
    assert.equal(report.tables.get('API_DB.instance_mappings'), 2);
    assert.equal(report.tables.get('API_DB.request_specs'), 2);

    for (const db of dbs) {
      assert.equal(await count(db, 'instances', gone, 'uuid'), 0);
      assert.equal(await count(db, 'instance_actions', gone), 0, 'the archive is what removes a deleted server\'s actions');
    }
    assert.equal(await count(dbs[0], 'shadow_instances', gone, 'uuid'), 1);
    assert.equal(await count(dbs[1], 'shadow_instance_actions', gone), 2);
    for (const id of gone) {
      assert.equal((await t.member.get(`${C}/servers/${id}`)).status, 404);
      assert.equal(await t.cloud.api.instanceMappings.find(id), undefined);
    }
    const kept = await waitForStatus(t.member, live, 'SHUTOFF');
    assert.equal(kept.name, 'arch-live');
    assert.equal(await count(dbs[0], 'instance_actions', [live]), 2, 'create and stop of the live server stay');

    const again = await archiveDatabases(deps, { cells: { kind: 'all' }, maxRows: 1000, untilComplete: false, purge: false });
    assert.equal(again.report.tables.size, 0);

    const purged = await purgeDatabases(deps, { cells: { kind: 'all' }, before: undefined });
    assert.ok(purged.some((p) => p.tables.length > 0));
    for (const db of dbs) assert.equal(await count(db, 'shadow_instances', gone, 'uuid'), 0);
    assert.equal((await t.member.get(`${C}/servers/${live}`)).status, 200);
  });
});

describe('the tessera command against a data directory', () => {
  let dir: string;
  const cli = (...args: string[]) => runTessera(dir, ...args);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tessera-archive-cli-'));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('db sync, then db archive --all-cells answers 1 with the table, then 0; db purge --all answers 0, then 3', async () => {
    assert.equal((await cli('db', 'sync')).code, 0);
    const cell = openDatabase<CellSchema>(`sqlite:///${join(dir, 'cell1.sqlite')}`);
    const clock = new SystemClock();
    const ids = new RandomIdGenerator();
    const repos = createCellRepos({ db: cell.db, clock, ids });
    const i = await repos.instances.create(makeInstance({ clock, ids }));
    await repos.instances.softDelete(i.uuid);
    await cell.close();

    const archived = await cli('db', 'archive', '--all-cells', '--verbose', '--until-complete');
    assert.equal(archived.code, 1, archived.stdout);
    assert.match(archived.stdout, /\| cell1\.instances +\| 1 +\|/);
    assert.equal((await cli('db', 'archive', '--all-cells')).code, 0);
    assert.equal((await cli('db', 'archive')).code, 2, 'one database per cell: a cell must be chosen');
    const purged = await cli('db', 'purge', '--all', '--all-cells', '--verbose');
    assert.equal(purged.code, 0, purged.stdout);
    assert.match(purged.stdout, /Cell cell1: Deleted 1 rows from shadow_instances/);
    assert.equal((await cli('db', 'purge', '--all', '--all-cells')).code, 3);
    assert.equal((await cli('db', 'purge', '--all-cells')).code, 1);
  });
});
