import type { Clock } from '../../common/clock.js';
import { TesseraError } from '../../common/errors.js';
import type { FaultInjector } from '../../common/fault-injector.js';
import type { Logger } from '../../common/logger.js';
import type { Database } from '../../db/connection.js';
import type { PlacementReadModel } from '../model/placement-read-model.js';
import type { ProviderChange } from '../model/provider-change.js';
import { AllocationRejectedError, PlacementCode, ProviderGenerationConflict } from '../placement-errors.js';
import type { PlacementSchema } from '../placement-schema.js';
import type { Catalog } from './catalog.js';
import { inWriteTransaction, type PlacementDb } from './placement-database.js';
import type { ReadModelSync } from './read-model-sync.js';

/** What the stores share: the database, the catalog cache, the read model and its sync. */
export interface StoreContext {
  database: Database<PlacementSchema>;
  catalog: Catalog;
  model: PlacementReadModel;
  sync: ReadModelSync;
  clock: Clock;
  logger: Logger;
  /** Fails `placement.allocations.write` or `placement.inventories.write` inside the transaction, before commit. */
  faults?: FaultInjector | undefined;
}

/** How often a write is retried after a provider generation conflict (`allocation_conflict_retry_count`). */
export const CONFLICT_RETRIES = 10;

/**
 * Runs a write transaction and feeds its changes to the read model once it committed. A provider
 * generation conflict (a concurrent writer, possibly another process) reloads the providers
 * concerned and retries, up to {@link CONFLICT_RETRIES} times; after that, and on any other
 * conflict or rejection, the providers named in `affected` are reloaded so that the next reader
 * and the caller's retry see the database's state, and the error is thrown.
 */
export async function writeAndSync<T>(
  ctx: StoreContext,
  affected: readonly string[],
  fn: (trx: PlacementDb, now: string) => Promise<{ result: T; changes: readonly ProviderChange[]; touched?: readonly string[] }>,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    let out: { result: T; changes: readonly ProviderChange[]; touched?: readonly string[] };
    try {
      const now = ctx.clock.now().toISOString();
      out = await inWriteTransaction(ctx.database, (trx) => fn(trx, now));
    } catch (err) {
      // A reload that fails must not hide why the write failed.
      const reload = (uuids: readonly string[]) => ctx.sync.reload(uuids).catch((e: unknown) => ctx.logger.error({ err: e }, 'placement could not reload providers'));
      if (err instanceof ProviderGenerationConflict) {
        await reload([...err.providerUuids, ...affected]);
        if (attempt < CONFLICT_RETRIES) continue;
        ctx.logger.warn({ attempts: attempt, providers: err.providerUuids }, 'placement write gave up after repeated generation conflicts');
      } else if (err instanceof AllocationRejectedError || (err instanceof TesseraError && err.code === PlacementCode.CONCURRENT_UPDATE)) {
        await reload(affected);
      }
      throw err;
    }
    // Committed: from here on a failure must not look like a failed write.
    await ctx.sync.commit(out.changes, out.touched).catch((err: unknown) => ctx.logger.error({ err }, 'placement read model could not follow a committed write; it reloads on the next conflict'));
    return out.result;
  }
}
