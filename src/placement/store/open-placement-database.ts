import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type SqliteDatabase, type SqliteStatement } from 'kysely';
import { openDatabase, parseDatabaseUrl, type Database } from '../../db/connection.js';
import type { PlacementSchema } from '../placement-schema.js';

/** Distinct SQL texts kept prepared; placement issues a few dozen shapes (IN lists vary in length). */
const STATEMENT_CACHE_SIZE = 512;

/**
 * Opens the placement database. PostgreSQL goes through the shared `openDatabase`. SQLite is
 * opened here, with the same pragmas, for two reasons that matter at 500 claims a second:
 * prepared statements are cached by SQL text (Kysely's driver prepares every statement anew,
 * which was a third of the CPU time of a claim), and, once started (see preferAsyncLockWaits),
 * a writer waiting for another process's lock waits asynchronously rather than inside the
 * synchronous driver, which would stall the whole process.
 */
export function openPlacementDatabase(url: string): Database<PlacementSchema> {
  const parsed = parseDatabaseUrl(url);
  if (parsed.dialect !== 'sqlite') return openDatabase<PlacementSchema>(url);
  if (parsed.path !== ':memory:') mkdirSync(dirname(parsed.path), { recursive: true });
  const sqlite = new BetterSqlite3(parsed.path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  // Start-up (migrations, catalog sync) may wait in the driver, as the other databases do.
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const db = new Kysely<PlacementSchema>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite, STATEMENT_CACHE_SIZE) }) });
  return { db, dialect: 'sqlite', displayUrl: url, close: () => db.destroy() };
}

/**
 * From now on SQLite answers "busy" at once when another process holds the write lock, and
 * inWriteTransaction waits with an async back-off instead of blocking the event loop.
 */
export async function preferAsyncLockWaits(database: Database<PlacementSchema>): Promise<void> {
  if (database.dialect === 'sqlite') await sql`pragma busy_timeout = 0`.execute(database.db);
}

/** A better-sqlite3 connection whose `prepare` reuses statements, least recently used out first. */
function withStatementCache(sqlite: BetterSqlite3.Database, size: number): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string): SqliteStatement {
      let stmt = cache.get(sql);
      if (stmt !== undefined) {
        // Re-insert to mark it most recently used.
        cache.delete(sql);
      } else {
        stmt = sqlite.prepare(sql) as unknown as SqliteStatement;
        if (cache.size >= size) {
          const oldest = cache.keys().next();
          if (oldest.done !== true) cache.delete(oldest.value);
        }
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}
