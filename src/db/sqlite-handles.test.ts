import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type Generated } from 'kysely';
import { prepareQuery, type Placeholders } from './prepared-query.js';
import { directSqliteHandle, registerSqliteHandle } from './sqlite-handles.js';
import { inTransaction } from './transaction.js';

interface TestSchema {
  things: { id: Generated<number>; name: string };
}

const insert = prepareQuery((d: Kysely<TestSchema>, p: Placeholders<{ name: string }>) => d.insertInto('things').values({ name: p.name }));
const insertReturning = prepareQuery((d: Kysely<TestSchema>, p: Placeholders<{ name: string }>) => d.insertInto('things').values({ name: p.name }).returning(['id', 'name']));
const names = prepareQuery((d: Kysely<TestSchema>, _p: Placeholders<Record<string, never>>) => d.selectFrom('things').select('name').orderBy('id'));

describe('prepared queries on a registered SQLite handle', () => {
  let handle: BetterSqlite3.Database;
  let db: Kysely<TestSchema>;
  let throughKysely: string[];

  beforeEach(async () => {
    throughKysely = [];
    handle = new BetterSqlite3(':memory:');
    db = new Kysely<TestSchema>({ dialect: new SqliteDialect({ database: handle }), log: (e) => void throughKysely.push(e.query.sql) });
    registerSqliteHandle(db, handle);
    await sql`create table things (id integer primary key, name text not null unique)`.execute(db);
    throughKysely = [];
  });
  afterEach(async () => db.destroy());

  it('run on the handle, with the results Kysely would give', async () => {
    const res = await insert.run(db, { name: 'a' });
    assert.equal(res.numAffectedRows, 1n);
    assert.equal(res.insertId, 1n);
    assert.deepEqual(res.rows, []);
    assert.deepEqual(await insertReturning.rows(db, { name: 'b' }), [{ id: 2, name: 'b' }]);
    assert.deepEqual(await names.rows(db, {}), [{ name: 'a' }, { name: 'b' }]);
    assert.deepEqual(throughKysely, [], 'none went through Kysely');
  });

  it('go through Kysely inside a transaction', async () => {
    await db.transaction().execute(async (trx) => {
      await insert.run(trx, { name: 'in' });
      assert.equal(directSqliteHandle(db), undefined, 'the handle is busy while the transaction is open');
    });
    assert.equal(throughKysely.filter((q) => q.startsWith('insert')).length, 1);
    assert.ok(directSqliteHandle(db));
  });

  it('never land in another flow’s open transaction: that one rolls back alone', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let opened!: () => void;
    const isOpen = new Promise<void>((resolve) => (opened = resolve));
    const failing = db.transaction().execute(async (trx) => {
      await insert.run(trx, { name: 'rolled-back' });
      opened();
      await held;
      throw new Error('the transaction fails');
    });
    await isOpen;
    const outside = insert.run(db, { name: 'kept' }); // waits for the transaction to end
    release();
    await assert.rejects(failing, /the transaction fails/);
    await outside;
    assert.deepEqual(await names.rows(db, {}), [{ name: 'kept' }]);
  });

  it('run directly inside inTransaction, and commit or roll back with it', async () => {
    let during: Kysely<TestSchema> | undefined;
    await inTransaction(db, async (trx) => {
      during = trx;
      await insert.run(trx, { name: 'committed' });
      assert.equal(directSqliteHandle(trx), handle);
    });
    await assert.rejects(
      inTransaction(db, async (trx) => {
        await insert.run(trx, { name: 'rolled-back' });
        throw new Error('fails');
      }),
      /fails/,
    );
    assert.deepEqual(await names.rows(db, {}), [{ name: 'committed' }]);
    assert.deepEqual(throughKysely.filter((q) => q.startsWith('insert')), [], 'the inserts ran on the handle');
    assert.equal(directSqliteHandle(during as object), undefined, 'a finished transaction runs nothing directly');
  });

  it('keep a query on the database out of an inTransaction that is open: it waits, and stays when that one rolls back', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let opened!: () => void;
    const isOpen = new Promise<void>((resolve) => (opened = resolve));
    const failing = inTransaction(db, async (trx) => {
      await insert.run(trx, { name: 'rolled-back' });
      opened();
      await held;
      await insert.run(trx, { name: 'also-rolled-back' });
      throw new Error('the transaction fails');
    });
    await isOpen;
    const outside = insert.run(db, { name: 'kept' });
    release();
    await assert.rejects(failing, /the transaction fails/);
    await outside;
    assert.deepEqual(await names.rows(db, {}), [{ name: 'kept' }]);
  });

  it('reject when the statement fails, as through Kysely', async () => {
    await insert.run(db, { name: 'a' });
    const second = insert.run(db, { name: 'a' });
    assert.ok(second instanceof Promise);
    await assert.rejects(second, (err: { code?: string }) => err.code === 'SQLITE_CONSTRAINT_UNIQUE');
  });
});
