import type BetterSqlite3 from 'better-sqlite3';
import type { QueryResult } from 'kysely';

/**
 * The better-sqlite3 handle behind each SQLite database that `openDatabase` opened, keyed by its
 * Kysely instance (a transaction or a single-connection Kysely is a different object, so it is
 * never found here).
 *
 * Why: a query through Kysely takes its connection mutex and several promise hops, about 5 µs a
 * statement on top of SQLite's own work. A prepared query on the database itself can run on the
 * handle directly, as long as no transaction is open on it: the statement is then atomic on its
 * own and could not have landed inside anybody's transaction (see `runOnSqliteHandle`).
 */
const handles = new WeakMap<object, BetterSqlite3.Database>();

export function registerSqliteHandle(db: object, handle: BetterSqlite3.Database): void {
  handles.set(db, handle);
}

/**
 * Connection and transaction Kyselys of a registered database, while they hold its one
 * connection (Kysely's mutex): statements through them may run on the handle directly too.
 */
const owners = new WeakMap<object, BetterSqlite3.Database>();

/**
 * The handle a prepared query on `db` may run on directly now, or undefined (then it goes through
 * Kysely): `db` is a registered database with no transaction open on it, or a transaction or
 * connection of one that `withOwnedHandle` is running.
 */
export function directSqliteHandle(db: object): BetterSqlite3.Database | undefined {
  const owned = owners.get(db);
  if (owned !== undefined) return owned;
  const handle = handles.get(db);
  return handle === undefined || handle.inTransaction ? undefined : handle;
}

/**
 * Runs `fn` with `holder` (a transaction or connection Kysely of `db`, holding its connection for
 * as long as `fn` runs) allowed to run prepared queries on the handle directly. Nothing else can:
 * Kysely queries wait for the connection, and direct ones on `db` see the open transaction and
 * wait too. On anything but a registered SQLite database it only runs `fn`.
 */
export async function withOwnedHandle<T>(db: object, holder: object, fn: () => Promise<T>): Promise<T> {
  const handle = handles.get(db);
  if (handle === undefined) return fn();
  owners.set(holder, handle);
  try {
    return await fn();
  } finally {
    owners.delete(holder);
  }
}

/**
 * Runs `sql` on the handle and answers as Kysely's SQLite driver does: the rows of a statement
 * that returns rows, otherwise the affected-row count and the last inserted rowid. The statement
 * is prepared once per handle and kept in `statements`. A statement that fails to prepare or to
 * run rejects, as it would through Kysely.
 */
export function runOnSqliteHandle<O>(
  handle: BetterSqlite3.Database,
  sql: string,
  statements: WeakMap<BetterSqlite3.Database, BetterSqlite3.Statement>,
  parameters: readonly unknown[],
): Promise<QueryResult<O>> {
  try {
    let stmt = statements.get(handle);
    if (stmt === undefined) {
      stmt = handle.prepare(sql);
      statements.set(handle, stmt);
    }
    if (stmt.reader) return Promise.resolve({ rows: stmt.all(parameters) as O[] });
    const { changes, lastInsertRowid } = stmt.run(parameters);
    return Promise.resolve({ numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] });
  } catch (err) {
    return Promise.reject(err);
  }
}
