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

/** The handle to run on directly now, or undefined: not a registered SQLite database, or a transaction is open on it. */
export function idleSqliteHandle(db: object): BetterSqlite3.Database | undefined {
  const handle = handles.get(db);
  return handle === undefined || handle.inTransaction ? undefined : handle;
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
