import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type Generated } from 'kysely';
import { columnsOf, definedColumns, listOf, preparedFamily, prepareQuery, type AnyPlaceholders, type Placeholders } from './prepared-query.js';

interface TestSchema {
  things: { id: Generated<number>; name: string; size: number | null; deleted: Generated<number> };
}

describe('PreparedQuery', () => {
  let db: Kysely<TestSchema>;
  let executed: string[];

  beforeEach(async () => {
    executed = [];
    db = new Kysely<TestSchema>({
      dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }),
      log: (e) => void executed.push(`${e.query.sql} ${JSON.stringify(e.query.parameters)}`),
    });
    await sql`create table things (id integer primary key, name text not null, size integer, deleted integer not null default 0)`.execute(db);
  });
  afterEach(async () => db.destroy());

  const insert = prepareQuery((d: Kysely<TestSchema>, p: Placeholders<{ name: string; size: number | null }>) => d.insertInto('things').values({ name: p.name, size: p.size }).returningAll());
  const byName = prepareQuery((d: Kysely<TestSchema>, p: Placeholders<{ name: string }>) => d.selectFrom('things').selectAll().where('name', '=', p.name).where('deleted', '=', 0).orderBy('id'));
  const resize = prepareQuery((d: Kysely<TestSchema>, p: Placeholders<{ name: string; size: number }>) => d.updateTable('things').set({ size: p.size }).where('name', '=', p.name).where('deleted', '=', 0));

  it('runs with the values of each call, and keeps the constants of the query', async () => {
    assert.equal((await insert.takeFirst(db, { name: 'a', size: 1 }))?.name, 'a');
    await insert.run(db, { name: 'b', size: null });
    await db.insertInto('things').values({ name: 'a', size: 9, deleted: 1 }).execute();
    assert.deepEqual((await byName.rows(db, { name: 'a' })).map((r) => r.size), [1]);
    assert.deepEqual(await byName.rows(db, { name: 'b' }), [{ id: 2, name: 'b', size: null, deleted: 0 }]);
    assert.equal(await byName.takeFirst(db, { name: 'none' }), undefined);
    const res = await resize.run(db, { name: 'a', size: 5 });
    assert.equal(res.numAffectedRows, 1n);
    assert.deepEqual((await byName.rows(db, { name: 'a' })).map((r) => r.size), [5]);
  });

  it('runs in a transaction on the transaction', async () => {
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await insert.run(trx, { name: 'in-trx', size: 1 });
        assert.equal((await byName.rows(trx, { name: 'in-trx' })).length, 1);
        throw new Error('roll back');
      }),
      /roll back/,
    );
    assert.deepEqual(await byName.rows(db, { name: 'in-trx' }), []);
  });

  it('gives the same SQL as Kysely builds each time', async () => {
    const built = db.selectFrom('things').selectAll().where('name', '=', 'x').where('deleted', '=', 0).orderBy('id').compile();
    executed = [];
    await byName.run(db, { name: 'x' });
    await byName.run(db, { name: 'y' });
    assert.deepEqual(executed, [`${built.sql} ${JSON.stringify(built.parameters)}`, `${built.sql} ${JSON.stringify(['y', 0])}`]);
  });

  it('refuses a placeholder used inside a value', () => {
    const bad = prepareQuery((d: Kysely<TestSchema>, p: Placeholders<{ name: string }>) => d.selectFrom('things').selectAll().where('name', 'like', `%${p.name}%`));
    assert.throws(() => bad.run(db, { name: 'x' }), /placeholder was used inside a value/);
  });

  describe('families', () => {
    const byNames = preparedFamily(
      (n: number) => String(n),
      (d: Kysely<TestSchema>, p: AnyPlaceholders, n: number) => d.selectFrom('things').select('name').where('name', 'in', listOf<string>(p, 'n', n)).where('deleted', '=', 0).orderBy('name'),
      2,
    );
    const setColumns = preparedFamily(
      (columns: readonly string[]) => columns.join(','),
      (d: Kysely<TestSchema>, p: AnyPlaceholders, columns: readonly string[]) => d.updateTable('things').set(columnsOf(p, columns)).where('id', '=', p['id'] as number),
    );

    it('prepares one query per shape, each run with its own values', async () => {
      for (const name of ['a', 'b', 'c']) await insert.run(db, { name, size: 1 });
      assert.deepEqual((await byNames.of(1).rows(db, { n: ['b'] })).map((r) => r.name), ['b']);
      assert.deepEqual((await byNames.of(2).rows(db, { n: ['c', 'a'] })).map((r) => r.name), ['a', 'c']);
      assert.deepEqual((await byNames.of(2).rows(db, { n: ['x', 'b'] })).map((r) => r.name), ['b']);
      await setColumns.of(['size']).run(db, { id: 1, columns: [7] });
      const changes = definedColumns({ name: 'bb', size: 8, deleted: undefined });
      assert.deepEqual(changes, { columns: ['name', 'size'], values: ['bb', 8] }, 'undefined values are left out, as Kysely does');
      await setColumns.of(changes.columns).run(db, { id: 2, columns: changes.values });
      assert.deepEqual(await byName.rows(db, { name: 'a' }), [{ id: 1, name: 'a', size: 7, deleted: 0 }]);
      assert.deepEqual(await byName.rows(db, { name: 'bb' }), [{ id: 2, name: 'bb', size: 8, deleted: 0 }]);
    });

    it('reuses a shape and keeps only the most recent ones', () => {
      const one = byNames.of(1);
      assert.equal(byNames.of(1), one);
      byNames.of(2);
      byNames.of(3); // the third shape pushes out the oldest
      assert.notEqual(byNames.of(1), one);
    });
  });
});
