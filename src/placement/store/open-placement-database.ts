import { sql } from 'kysely';
import { openDatabase, type Database } from '../../db/connection.js';
import type { PlacementSchema } from '../placement-schema.js';

/**
 * Opens the placement database through the shared `openDatabase` (which caches SQLite's prepared
 * statements; preparing was a third of the CPU time of a claim). Once started, see
 * preferAsyncLockWaits: at 500 claims a second a writer waiting for another process's lock must
 * wait asynchronously rather than inside the synchronous driver, which would stall the process.
 */
export function openPlacementDatabase(url: string): Database<PlacementSchema> {
  return openDatabase<PlacementSchema>(url);
}

/**
 * From now on SQLite answers "busy" at once when another process holds the write lock, and
 * inWriteTransaction waits with an async back-off instead of blocking the event loop.
 */
export async function preferAsyncLockWaits(database: Database<PlacementSchema>): Promise<void> {
  if (database.dialect === 'sqlite') await sql`pragma busy_timeout = 0`.execute(database.db);
}
