import { badRequest, notFound } from '../placement-errors.js';
import {
  readConsumerAllocations, readConsumersWithAllocations, readProjectUsages, readProviderAllocations, type ConsumerAllocationsView, type ConsumerSummary, type ProjectUsages,
  type ProviderAllocationsView,
} from './allocation-reader.js';
import { writeAllocations, type ConsumerAllocations } from './allocation-writer.js';
import { writeAndSync, type StoreContext } from './store-context.js';

/**
 * Allocations by consumer. Every write is one transaction that re-checks capacity in the
 * database (the read model only proposes candidates), so it is correct under concurrency and
 * with other processes sharing the database.
 */
export class AllocationStore {
  constructor(private readonly ctx: StoreContext) {}

  /**
   * Replaces the allocations of every consumer in `writes`, all or nothing.
   * @throws AllocationRejectedError (409) when an amount does not fit; ConflictError
   *   `placement.concurrent_update` on a stale consumer generation or after too many provider
   *   generation conflicts; BadRequestError for an unknown provider or resource class.
   */
  async write(writes: readonly ConsumerAllocations[]): Promise<void> {
    const classes = new Set<string>();
    const providers = new Set<string>();
    for (const w of writes) {
      for (const [uuid, resources] of Object.entries(w.allocations)) {
        providers.add(uuid);
        for (const rc of Object.keys(resources)) classes.add(rc);
      }
    }
    const missing = await this.ctx.catalog.missingClasses(this.ctx.database.db, classes);
    if (missing.length > 0) {
      const consumers = writes.map((w) => w.consumerUuid).join(', ');
      throw badRequest(`Unable to allocate inventory for consumer ${consumers}: No such resource class ${missing.join(', ')}.`);
    }
    await writeAndSync(this.ctx, [...providers], async (trx, now) => {
      const changes = await writeAllocations(trx, this.ctx.catalog, writes, now);
      // Everything is written but not committed: an injected failure here proves the rollback.
      this.ctx.faults?.check('placement.allocations.write');
      return { result: undefined, changes };
    });
  }

  /**
   * Removes every allocation of a consumer (and the consumer).
   * @throws NotFoundError when it has none.
   */
  async deleteConsumer(consumerUuid: string): Promise<void> {
    const current = await this.consumer(consumerUuid);
    if (Object.keys(current.allocations).length === 0) throw notFound(`No allocations for consumer '${consumerUuid}'`);
    await writeAndSync(this.ctx, Object.keys(current.allocations), async (trx, now) => ({
      result: undefined,
      changes: await writeAllocations(trx, this.ctx.catalog, [{ consumerUuid, allocations: {}, projectId: '', userId: '', consumerGeneration: undefined }], now),
    }));
  }

  consumer(consumerUuid: string): Promise<ConsumerAllocationsView> {
    return readConsumerAllocations(this.ctx.database.db, consumerUuid);
  }

  /** Every consumer that holds allocations, with its providers. */
  consumers(): Promise<ConsumerSummary[]> {
    return readConsumersWithAllocations(this.ctx.database.db);
  }

  provider(providerUuid: string): Promise<ProviderAllocationsView> {
    return readProviderAllocations(this.ctx.database.db, providerUuid);
  }

  projectUsages(projectId: string, userId?: string): Promise<ProjectUsages> {
    return readProjectUsages(this.ctx.database.db, { projectId, userId });
  }
}
