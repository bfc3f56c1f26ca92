import type { ApiModule } from '../api/app.js';
import type { Clock } from '../common/clock.js';
import type { FaultInjector } from '../common/fault-injector.js';
import type { IdGenerator } from '../common/ids.js';
import type { Logger } from '../common/logger.js';
import type { Config } from '../config/index.js';
import { openDatabase, type Database } from '../db/connection.js';
import { migrateToLatest } from '../db/migrator.js';
import type { PolicyEngine } from '../policy/index.js';
import { seedDefaultNetwork } from './default-network.js';
import { LocalNetworkClient } from './local-network-client.js';
import type { NetworkClient } from './network-client.js';
import { networkMigrations } from './network-migrations.js';
import { NetworkOperations } from './network-operations.js';
import { NetworkRepo } from './network-repo.js';
import { registerNetworkRoutes, type NetworkOperationSet } from './network-routes.js';
import type { NetworkSchema } from './network-schema.js';
import { PortBindingOperations } from './port-binding-operations.js';
import { PortBindingRepo } from './port-binding-repo.js';
import { PortOperations } from './port-operations.js';
import { PortRepo } from './port-repo.js';
import { SubnetOperations } from './subnet-operations.js';
import { SubnetRepo } from './subnet-repo.js';
import { TagOperations } from './tag-operations.js';

export interface NetworkServiceDeps {
  config: Config;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  /** Decides the network rules; register `networkRuleDefaults` (and the base rules) with it. */
  policy: PolicyEngine;
  /** The project that owns the default network (the admin project). */
  defaultNetworkProjectId: string;
  /** Fails `network.<operation>` calls of the client on demand. */
  faults?: FaultInjector;
  /** Overrides `[neutron] connection` (tests use `sqlite://`). */
  databaseUrl?: string;
}

/**
 * Tessera's built-in network service (a subset of Neutron v2): its own database, Neutron's routes
 * under `/network`, and the {@link NetworkClient} that the compute side uses in process.
 *
 * @example
 * const network = await NetworkService.create({ config, clock, ids, logger, policy, defaultNetworkProjectId, faults });
 * const app = await buildApp({ ..., modules: [network.module()] });
 * await network.client().createPort(ctx, { network_id, device_id: instanceUuid, device_owner: 'compute:nova' });
 * await network.close();
 */
export class NetworkService {
  private constructor(
    private readonly deps: { database: Database<NetworkSchema>; operations: NetworkOperationSet; client: NetworkClient },
  ) {}

  /** Opens and migrates the database, and creates the default network on first start. */
  static async create(deps: NetworkServiceDeps): Promise<NetworkService> {
    const database = openDatabase<NetworkSchema>(deps.databaseUrl ?? deps.config.neutron.connection);
    const log = deps.logger.child({ service: 'network' });
    try {
      // Kysely<T> is invariant in T; the migrator works on any schema.
      const applied = await migrateToLatest(database as Database<unknown>, networkMigrations);
      if (applied.length > 0) log.info({ migrations: applied, database: database.displayUrl }, 'network database migrated');
      const { db, dialect } = database;
      const { clock, ids, policy } = deps;
      const networkRepo = new NetworkRepo({ db, clock, dialect });
      const subnetRepo = new SubnetRepo({ db, clock, dialect });
      const portRepo = new PortRepo({ db, clock, dialect });
      const neutron = deps.config.neutron;
      const seeded = await seedDefaultNetwork(
        { db, networks: networkRepo, subnets: subnetRepo, clock },
        { name: neutron.default_network_name, cidr: neutron.default_subnet_cidr, mtu: neutron.default_network_mtu, projectId: deps.defaultNetworkProjectId },
      );
      if (seeded !== undefined) log.info({ network_id: seeded.networkId, subnet_id: seeded.subnetId, cidr: neutron.default_subnet_cidr }, 'default network created');
      const networks = new NetworkOperations({ networks: networkRepo, policy, ids, logger: log, defaultMtu: neutron.default_network_mtu });
      const subnets = new SubnetOperations({ networks: networkRepo, subnets: subnetRepo, policy, ids, logger: log });
      const ports = new PortOperations({ networks: networkRepo, subnets: subnetRepo, ports: portRepo, policy, ids, logger: log });
      const bindings = new PortBindingOperations({ ports, bindings: new PortBindingRepo({ db, clock, dialect }), policy, logger: log });
      const tags = new TagOperations({ db, networks: networkRepo, subnets: subnetRepo, ports, policy });
      const client = new LocalNetworkClient({ networks, ports, bindings, logger: log, ...(deps.faults === undefined ? {} : { faults: deps.faults }) });
      return new NetworkService({ database, operations: { networks, subnets, ports, bindings, tags }, client });
    } catch (err) {
      await database.close();
      throw err;
    }
  }

  /** The Neutron v2.0 routes, mounted at `/network`. */
  module(): ApiModule {
    const prefix = '/network';
    return { prefix, face: 'network', register: (app) => registerNetworkRoutes(app, { ...this.deps.operations, prefix }) };
  }

  /**
   * The operations behind the routes, for in-process callers that need more of Neutron than the
   * client offers (creating networks and subnets: tests, simulator scenarios). They have no fault
   * points; the compute side uses `client()`.
   */
  get operations(): NetworkOperationSet {
    return this.deps.operations;
  }

  /** The in-process client for the compute side; every call passes its fault point. */
  client(): NetworkClient {
    return this.deps.client;
  }

  async close(): Promise<void> {
    await this.deps.database.close();
  }
}
