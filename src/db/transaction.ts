import type { Kysely } from 'kysely';
import { withOwnedHandle } from './sqlite-handles.js';

/**
 * `db.transaction().execute(fn)`: commits when `fn` resolves, rolls back when it throws. On SQLite
 * the transaction's prepared queries run on the connection directly (see sqlite-handles.ts).
 *
 * @example
 * await inTransaction(api.db, async (trx) => { await a.run(trx, ...); await b.run(trx, ...); });
 */
export function inTransaction<DB, T>(db: Kysely<DB>, fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  return db.transaction().execute((trx) => withOwnedHandle(db, trx, () => fn(trx)));
}
