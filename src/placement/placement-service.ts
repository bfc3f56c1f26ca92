import type { ApiModule } from '../api/app.js';
import type { Clock } from '../common/clock.js';
import type { FaultInjector } from '../common/fault-injector.js';
import type { IdGenerator } from '../common/ids.js';
import type { Logger } from '../common/logger.js';
import type { Config } from '../config/index.js';
import type { Database } from '../db/connection.js';
import { migrateToLatest } from '../db/migrator.js';
import { registerPlacementRoutes } from './http/placement-routes.js';
import type { PolicyAuthorizer } from './http/route-support.js';
import { LocalPlacementClient } from './local-placement-client.js';
import { PlacementReadModel } from './model/placement-read-model.js';
import type { PlacementClient } from './placement-client.js';
import { placementMigrations } from './placement-migrations.js';
import type { PlacementSchema } from './placement-schema.js';
import type { ConsumerSummary } from './store/allocation-reader.js';
import { AllocationStore } from './store/allocation-store.js';
import { Catalog, syncStandardCatalog } from './store/catalog.js';
import { openPlacementDatabase, preferAsyncLockWaits } from './store/open-placement-database.js';
import { CatalogStore } from './store/catalog-store.js';
import { ProviderStore } from './store/provider-store.js';
import { ReadModelSync, type CommittedWrite } from './store/read-model-sync.js';
import type { StoreContext } from './store/store-context.js';

export interface PlacementServiceDeps {
  config: Config;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  /** Checks the `placement:*` rules on HTTP routes (register `placementRuleDefaults` with it). */
  policy: PolicyAuthorizer;
  /** Overrides `[placement_database] connection` (tests use `sqlite://`). */
  databaseUrl?: string;
  /** Makes `placement.allocations.write` / `placement.inventories.write` fail before commit. */
  faults?: FaultInjector;
}

/**
 * Tessera's placement service: its own database, Placement's REST API under `/placement`, and
 * the in-process {@link PlacementClient}.
 *
 * **The read model.** The database is the authority; every write (provider, inventory,
 * aggregates, traits, allocations) is one transaction that re-reads what it depends on, checks
 * capacity (used + requested <= (total - reserved) * allocation_ratio, min_unit, max_unit,
 * step_size) and bumps each provider's generation with compare-and-swap
 * (`UPDATE ... WHERE generation = <read>`), so it stays correct with concurrent requests and with
 * several processes sharing the database. Beside it, this process keeps every provider in memory
 * ({@link PlacementReadModel}): uuid, name, generation, tree (parent, root), per resource class
 * the inventory with its usage total and capacity, aggregates and traits, indexed by name, id,
 * aggregate and tree. It is loaded once at start; after each committed write of this process
 * the change is applied in place, but only onto exactly the generation the write started from;
 * otherwise (another process wrote, or writes overtook one another) the provider is reloaded
 * from a consistent snapshot. A write that fails on a generation or capacity conflict reloads
 * the providers involved, so the next reader and the retry see the database's state. Allocation
 * writes that lose a provider generation race are retried up to 10 times, as in Placement.
 *
 * Reads that decide nothing are served from the model: GET /allocation_candidates (a single
 * pass over the providers, or over the smallest index set a filter gives, stopping at `limit`),
 * provider lists, shows, inventories, aggregates, traits and usages. Allocations by consumer or
 * provider and project usages are read from the database. What another process writes shows up
 * here when this process next touches the provider (or `refresh()`); a candidate that turned out
 * full merely fails its claim, which then refreshes it.
 *
 * Deviations from Placement: every write bumps the generations of the providers it touches
 * (Placement does not on DELETE /allocations); shrinking an inventory below its usage is refused
 * with 409 `placement.inventory.inuse` (Placement allows it); a candidate is always a single
 * provider (no spreading over nested trees, no sharing providers, no numbered request groups).
 *
 * @example
 * const placement = await PlacementService.create({ config, clock, ids, logger, policy });
 * const app = await buildApp({ ..., modules: [placement.module()] });
 * const client = placement.client();
 * await client.claim(instanceUuid, { [rpUuid]: { resources: { VCPU: 1 } } }, { projectId, userId, consumerGeneration: null });
 * await placement.close();
 */
export class PlacementService {
  private readonly localClient: LocalPlacementClient;

  private constructor(
    private readonly deps: {
      database: Database<PlacementSchema>;
      ctx: StoreContext;
      providers: ProviderStore;
      allocations: AllocationStore;
      catalog: CatalogStore;
      policy: PolicyAuthorizer;
      ids: IdGenerator;
    },
  ) {
    this.localClient = new LocalPlacementClient({ model: deps.ctx.model, providers: deps.providers, allocations: deps.allocations, catalog: deps.catalog });
  }

  /** Opens and migrates the database, syncs the standard classes and traits, and loads the read model. */
  static async create(deps: PlacementServiceDeps): Promise<PlacementService> {
    const database = openPlacementDatabase(deps.databaseUrl ?? deps.config.placement_database.connection);
    const logger = deps.logger.child({ service: 'placement' });
    try {
      const applied = await migrateToLatest(database as Database<unknown>, placementMigrations);
      if (applied.length > 0) logger.info({ migrations: applied, database: database.displayUrl }, 'placement database migrated');
      await syncStandardCatalog(database.db, deps.clock);
      await preferAsyncLockWaits(database);
      const catalog = new Catalog();
      await catalog.refresh(database.db);
      const model = new PlacementReadModel();
      const sync = new ReadModelSync({ database, model, logger });
      const started = Date.now();
      const loaded = await sync.loadAll();
      logger.info({ providers: loaded, ms: Date.now() - started }, 'placement read model loaded');
      const ctx: StoreContext = { database, catalog, model, sync, clock: deps.clock, logger, faults: deps.faults };
      return new PlacementService({
        database,
        ctx,
        providers: new ProviderStore(ctx),
        allocations: new AllocationStore(ctx),
        catalog: new CatalogStore(ctx),
        policy: deps.policy,
        ids: deps.ids,
      });
    } catch (err) {
      await database.close();
      throw err;
    }
  }

  /** Placement's REST API, mounted at `/placement`. */
  module(): ApiModule {
    const prefix = '/placement';
    return {
      prefix,
      face: 'placement',
      register: (app) =>
        registerPlacementRoutes(app, {
          providers: this.deps.providers,
          allocations: this.deps.allocations,
          catalog: this.deps.catalog,
          model: this.deps.ctx.model,
          policy: this.deps.policy,
          ids: this.deps.ids,
          prefix,
        }),
    };
  }

  /** The in-process client for the scheduler, conductor and compute. */
  client(): PlacementClient {
    return this.localClient;
  }

  /**
   * Every consumer holding allocations, read from the database. Not part of {@link PlacementClient}
   * (Placement's API has no such listing): `tessera audit` asks the service itself.
   */
  listConsumers(): Promise<ConsumerSummary[]> {
    return this.deps.allocations.consumers();
  }

  /** How many providers the read model holds. */
  get providerCount(): number {
    return this.deps.ctx.model.size;
  }

  /**
   * Tells `listener` what each committed write of this service changed, for another service on
   * the same database to apply with `applyPeerCommits` (the scheduler thread and the cloud's
   * thread follow each other this way); returns how to stop.
   */
  followCommits(listener: (committed: CommittedWrite) => void): () => void {
    return this.deps.ctx.sync.follow(listener);
  }

  /** Applies what another service on the same database committed (see `followCommits`). */
  applyPeerCommits(committed: CommittedWrite): Promise<void> {
    return this.deps.ctx.sync.applyPeer(committed);
  }

  /** Reloads every provider from the database (after other processes wrote a lot, or for tests). */
  async refresh(): Promise<void> {
    await this.deps.ctx.catalog.refresh(this.deps.database.db);
    await this.deps.ctx.sync.loadAll();
  }

  async close(): Promise<void> {
    await this.deps.database.close();
  }
}
