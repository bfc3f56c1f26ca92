import { setTimeout as sleep } from 'node:timers/promises';
import { sql, type Kysely } from 'kysely';
import { TesseraError } from '../../common/errors.js';
import type { Database } from '../../db/connection.js';
import { withOwnedHandle } from '../../db/sqlite-handles.js';
import type { PlacementSchema } from '../placement-schema.js';

export type PlacementDb = Kysely<PlacementSchema>;

/** How long a writer waits for another process's SQLite write lock before giving up. */
const SQLITE_LOCK_WAIT_MS = 10_000;
const BUSY = Symbol('busy');


/**
 * Runs `fn` in a write transaction. On SQLite the transaction begins IMMEDIATE, so it holds the
 * write lock from its first read: another process sharing the file makes it wait (the connection
 * answers busy at once, see preferAsyncLockWaits, and the wait is an async back-off here)
 * rather than fail on a stale snapshot, and in this process Kysely's single connection serialises
 * writers. On PostgreSQL it is READ COMMITTED; the compare-and-swap on generations (an UPDATE
 * that expects the generation read earlier) detects a concurrent writer there.
 */
export async function inWriteTransaction<T>(database: Database<PlacementSchema>, fn: (trx: PlacementDb) => Promise<T>): Promise<T> {
  if (database.dialect === 'postgres') return database.db.transaction().execute(fn);
  const deadline = Date.now() + SQLITE_LOCK_WAIT_MS;
  for (let wait = 1; ; wait = Math.min(wait * 2, 25)) {
    const outcome = await database.db.connection().execute(async (conn) => {
      try {
        await sql`begin immediate`.execute(conn);
      } catch (err) {
        if (isBusy(err)) return BUSY;
        throw err;
      }
      try {
        const result = await withOwnedHandle(database.db, conn, () => fn(conn));
        await sql`commit`.execute(conn);
        return { result };
      } catch (err) {
        await sql`rollback`.execute(conn).catch(() => undefined);
        throw err;
      }
    });
    if (outcome !== BUSY) return outcome.result;
    if (Date.now() > deadline) throw new TesseraError('database_busy', 503, `The placement database stayed locked by another writer for ${SQLITE_LOCK_WAIT_MS} ms`);
    // Another process (or connection) holds the write lock: wait without blocking the event loop.
    await sleep(wait);
  }
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/**
 * Runs `fn` over one consistent snapshot (REPEATABLE READ on PostgreSQL, a deferred read
 * transaction on SQLite): a provider's generation, inventories and usage read together agree.
 */
export async function inReadSnapshot<T>(database: Database<PlacementSchema>, fn: (trx: PlacementDb) => Promise<T>): Promise<T> {
  if (database.dialect === 'postgres') return database.db.transaction().setIsolationLevel('repeatable read').execute(fn);
  return database.db.connection().execute(async (conn) => {
    await sql`begin`.execute(conn);
    try {
      return await fn(conn);
    } finally {
      await sql`commit`.execute(conn).catch(() => undefined);
    }
  });
}

/** PostgreSQL returns SUM() and bigint as text; SQLite as numbers. */
export function num(value: number | string | bigint | null | undefined): number {
  return value === null || value === undefined ? 0 : Number(value);
}
