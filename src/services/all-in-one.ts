import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../api/app.js';
import { computeModule } from '../api/routes/compute/compute-module.js';
import { runAudit, type AuditResult } from '../audit/index.js';
import { SystemClock, type Clock } from '../common/clock.js';
import { TesseraError } from '../common/errors.js';
import { FaultInjector } from '../common/fault-injector.js';
import { RandomIdGenerator, type IdGenerator } from '../common/ids.js';
import type { Logger } from '../common/logger.js';
import type { Metrics } from '../common/metrics.js';
import { ComputeService } from '../compute/compute-service.js';
import { ConductorService } from '../conductor/conductor-service.js';
import type { Config } from '../config/index.js';
import { createApiRepos, type ApiRepos } from '../db/api/api-repos.js';
import type { ApiSchema } from '../db/api/api-schema.js';
import { CellDatabases } from '../db/cell/cell-databases.js';
import { openDatabase, type Database } from '../db/connection.js';
import { IdentityService, type IdentityCredentials } from '../identity/index.js';
import { ImageService } from '../image/index.js';
import { NetworkService, networkRuleDefaults } from '../network/index.js';
import { instanceNotifierFromConfig, notifierFromConfig, type Notifier } from '../notifications/index.js';
import { CELL0_UUID } from '../objects/cell-mapping.js';
import { PlacementService, placementRuleDefaults } from '../placement/index.js';
import { PolicyEngine, allRuleDefaults } from '../policy/index.js';
import { ComputeRpcClient } from '../rpc/contracts/compute-rpc.js';
import { ConductorRpcClient } from '../rpc/contracts/conductor-rpc.js';
import { SchedulerRpcClient } from '../rpc/contracts/scheduler-rpc.js';
import { InprocBus } from '../rpc/inproc/inproc-bus.js';
import { schedulerFromConfig } from '../scheduler/scheduler-from-config.js';
import { FakeDriver, createDriver, type VirtDriver } from '../virt/index.js';
import { VolumeService, volumeRuleDefaults } from '../volume/index.js';
import { discoverHosts } from './discover-hosts.js';
import { SchedulerThread } from './scheduler-thread/scheduler-thread-host.js';
import { ServiceHeartbeat } from './service-heartbeat.js';
import { syncDatabases } from './sync-databases.js';

export interface AllInOneOptions {
  config: Config;
  logger: Logger;
  clock?: Clock;
  ids?: IdGenerator;
  /** Keep generated passwords under the data directory (default true). */
  persistCredentials?: boolean;
  /** Receives service timings (benchmarks, simulator). */
  metrics?: Metrics;
}

/**
 * The whole cloud in one process: identity, image, network, compute API, conductor, scheduler and one
 * compute with the fake driver per simulated host, over the in-process bus, on the configured
 * databases. This is the composition root: the only place that picks concrete classes.
 */
export class AllInOne {
  private readonly stoppers: (() => Promise<void> | void)[] = [];
  url = '';
  credentials!: IdentityCredentials;
  readonly faults = new FaultInjector();
  readonly drivers = new Map<string, VirtDriver>();
  app!: FastifyInstance;
  api!: ApiRepos;
  cells!: CellDatabases;
  /** The built-in volume service; also the compute side's VolumeClient. */
  volumes!: VolumeService;
  /** The built-in network service; `network.client()` is what the compute side calls. */
  network!: NetworkService;
  /** The built-in image service; also the compute side's ImageClient. */
  images!: ImageService;
  /** The built-in placement service; `placement.client()` is what the scheduler, conductor and computes call. */
  placement!: PlacementService;
  /** Every versioned notification the services emit; `notifier.subscribe(listener)` to collect them. */
  notifier!: Notifier;

  private constructor(private readonly opts: AllInOneOptions) {}

  static async start(opts: AllInOneOptions): Promise<AllInOne> {
    const cloud = new AllInOne(opts);
    try {
      await cloud.boot();
    } catch (err) {
      await cloud.stop();
      throw err;
    }
    return cloud;
  }

  private async boot(): Promise<void> {
    const { config, logger } = this.opts;
    const clock = this.opts.clock ?? new SystemClock();
    const ids = this.opts.ids ?? new RandomIdGenerator();
    const bus = new InprocBus({ logger: logger.child({ service: 'bus' }), ids, clock, faults: this.faults, defaultTimeoutMs: config.DEFAULT.rpc_response_timeout * 1000 });
    this.stoppers.push(() => bus.close());
    this.notifier = notifierFromConfig(config, { clock, ids, logger });
    // Closed last, so that what the services emit while they stop still reaches the file.
    this.stoppers.push(() => this.notifier.close());
    const notifierOf = (source: 'nova-compute' | 'nova-api' | 'nova-conductor') => instanceNotifierFromConfig(config, { notifier: this.notifier, source, clock, logger });
    const policy = await PolicyEngine.create({
      defaults: [...allRuleDefaults(), ...placementRuleDefaults, ...volumeRuleDefaults, ...networkRuleDefaults],
      ...(config.oslo_policy.policy_file ? { policyFile: config.oslo_policy.policy_file } : {}),
    });

    const apiDatabase: Database<ApiSchema> = openDatabase<ApiSchema>(config.api_database.connection);
    this.stoppers.push(() => apiDatabase.close());
    this.api = createApiRepos({ db: apiDatabase.db, clock, ids });
    this.cells = new CellDatabases({ clock, ids });
    this.stoppers.push(() => this.cells.closeAll());
    const cellMappings = await syncDatabases({ config, apiDatabase, api: this.api, cells: this.cells, ids, clock, logger });
    const cell0 = cellMappings.find((c) => c.uuid === CELL0_UUID);
    if (cell0 === undefined) throw new Error('cell0 missing after sync');
    const cell0Repos = this.cells.repos(cell0);

    const identity = await IdentityService.create({
      config, clock, ids, logger,
      persistCredentials: this.opts.persistCredentials ?? true,
      catalogServices: [
        { type: 'identity', name: 'keystone', path: '/identity' },
        { type: 'compute', name: 'nova', path: '/compute/v2.1' },
        { type: 'image', name: 'glance', path: '/image' },
        { type: 'placement', name: 'placement', path: '/placement' },
        // Cinder's project-less URLs (3.67); the project-scoped form is served too.
        { type: 'volumev3', name: 'cinderv3', path: '/volume/v3' },
        { type: 'block-storage', name: 'cinder', path: '/volume/v3' },
        { type: 'network', name: 'neutron', path: '/network' },
      ],
      isAdmin: (roles) => policy.isAdmin([...roles]),
    });
    this.stoppers.push(() => identity.close());
    this.credentials = identity.credentials();
    const purge = setInterval(() => void identity.purgeExpired().catch((err: unknown) => logger.error({ err }, 'token purge failed')), 600_000);
    purge.unref();
    this.stoppers.push(() => clearInterval(purge));
    const images = await ImageService.create({ config, clock, ids, logger, policy, faults: this.faults });
    this.images = images;
    this.stoppers.push(() => images.close());
    this.volumes = await VolumeService.create({ config, clock, ids, logger, policy, images, faults: this.faults });
    this.stoppers.push(() => this.volumes.close());
    const adminProject = identity.directory.findProject({ name: config.identity.admin_project, domain: { name: 'Default' } });
    if (adminProject === undefined) throw new Error(`admin project ${config.identity.admin_project} missing after identity start`);
    this.network = await NetworkService.create({ config, clock, ids, logger, policy, defaultNetworkProjectId: adminProject.id, faults: this.faults });
    this.stoppers.push(() => this.network.close());
    const placementService = await PlacementService.create({ config, clock, ids, logger, policy, faults: this.faults });
    this.placement = placementService;
    this.stoppers.push(() => placementService.close());
    const placement = placementService.client();

    const host = config.DEFAULT.host;
    const interval = config.DEFAULT.report_interval;
    if (config.scheduler.in_worker_thread) {
      // Decisions on a second core: the thread has its own connections and its own placement
      // service on the same databases, and serves the scheduler topic of this bus.
      const thread = await SchedulerThread.start({ config, bus, logger, placement: placementService, ...(this.opts.metrics === undefined ? {} : { metrics: this.opts.metrics }) });
      this.stoppers.push(() => thread.stop());
    } else {
      const scheduler = schedulerFromConfig({ config, bus, api: this.api, cells: this.cells, placement, clock, logger, ...(this.opts.metrics === undefined ? {} : { metrics: this.opts.metrics }) });
      await scheduler.start();
      this.stoppers.push(() => scheduler.stop());
    }
    const compute = new ComputeRpcClient({ bus, longTimeoutMs: config.DEFAULT.long_rpc_timeout * 1000 });
    const conductorClient = new ConductorRpcClient({ bus });
    const conductor = new ConductorService({
      bus, api: this.api, cells: this.cells, placement, scheduler: new SchedulerRpcClient({ bus }), compute, volumes: this.volumes, network: this.network.client(), images, faults: this.faults, notifier: notifierOf('nova-conductor'), clock, ids,
      allowResizeToSameHost: config.DEFAULT.allow_resize_to_same_host, reclaimInstanceIntervalSeconds: config.DEFAULT.reclaim_instance_interval, logger: logger.child({ service: 'nova-conductor' }),
    });
    await conductor.start();
    this.stoppers.push(() => conductor.stop());
    for (const binary of ['nova-scheduler', 'nova-conductor']) {
      const hb = new ServiceHeartbeat({ services: cell0Repos.services, host, binary, topic: binary.replace('nova-', ''), intervalSeconds: interval, logger });
      await hb.start();
      this.stoppers.push(() => hb.stop());
    }

    const computeNotifier = notifierOf('nova-compute');
    for (const cell of cellMappings.filter((c) => c.uuid !== CELL0_UUID)) {
      for (let n = 1; n <= config.cells.hosts_per_cell; n++) {
        const computeHost = config.cells.host_name_template.replaceAll('{cell}', cell.name).replaceAll('{n}', String(n));
        const { delay_ms: delayMs, ...capacity } = config.fake_driver;
        const driver = createDriver(config.DEFAULT.compute_driver, { ...capacity, delayMs, host_ip: config.DEFAULT.my_ip, logger, faults: this.faults });
        this.drivers.set(computeHost, driver);
        const service = await ComputeService.create({
          host: computeHost, cellName: cell.name, cellUuid: cell.uuid, placement, conductor: conductorClient, repos: this.cells.repos(cell), driver, images,
          volumes: this.volumes, network: this.network.client(), notifier: computeNotifier, bus, clock, logger,
          tracker: {
            cpu_allocation_ratio: config.DEFAULT.cpu_allocation_ratio, ram_allocation_ratio: config.DEFAULT.ram_allocation_ratio,
            disk_allocation_ratio: config.DEFAULT.disk_allocation_ratio, reserved_host_memory_mb: config.DEFAULT.reserved_host_memory_mb,
            reserved_host_disk_mb: config.DEFAULT.reserved_host_disk_mb, reserved_host_cpus: config.DEFAULT.reserved_host_cpus,
          },
          reportIntervalSeconds: interval,
          resourceIntervalSeconds: config.DEFAULT.update_resources_interval,
          resizeConfirmWindowSeconds: config.DEFAULT.resize_confirm_window,
          ids,
          reclaimInstanceIntervalSeconds: config.DEFAULT.reclaim_instance_interval,
        });
        await service.start();
        this.stoppers.push(() => service.stop());
      }
    }
    await discoverHosts({ api: this.api, cells: this.cells, logger });
    const every = config.scheduler.discover_hosts_in_cells_interval;
    if (every > 0) {
      const t = setInterval(() => void discoverHosts({ api: this.api, cells: this.cells, logger }).catch((err: unknown) => logger.error({ err }, 'host discovery failed')), every * 1000);
      t.unref();
      this.stoppers.push(() => clearInterval(t));
    }

    this.app = await buildApp({
      logger,
      ids,
      authenticator: identity,
      modules: [identity.module(), images.module(), this.volumes.module(), this.network.module(), placementService.module(), computeModule({ api: this.api, cells: this.cells, conductor: conductorClient, scheduler: new SchedulerRpcClient({ bus }), compute, images, volumes: this.volumes, network: this.network.client(), policy, notifier: notifierOf('nova-api'), config, clock, ids, logger })],
    });
    this.stoppers.push(() => this.app.close());
    let address: string;
    try {
      address = await this.app.listen({ host: config.api.listen, port: config.api.port });
    } catch (err) {
      const code = (err as { code?: string }).code;
      const why = code === 'EADDRINUSE' ? 'the address is already in use' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
      throw new TesseraError('api.listen_failed', 500, `Cannot listen on ${config.api.listen}:${config.api.port}: ${why} (choose another with --port)`, { cause: err });
    }
    this.url = address.replace('://[::1]', '://localhost');
  }

  /**
   * `tessera audit` on this cloud's own databases and services: what failed or interrupted flows
   * left behind (see `runAudit`), repaired with `fix`. Tests of the flows assert it finds nothing.
   *
   * @example
   * assert.deepEqual(await t.cloud.audit(), []);
   */
  audit(options: { fix?: boolean } = {}): Promise<AuditResult[]> {
    return runAudit(
      {
        api: this.api, cells: this.cells, placement: this.placement.client(), placementConsumers: this.placement, volumes: this.volumes,
        network: this.network.client(), images: this.images, logger: this.opts.logger.child({ service: 'audit' }), requestId: `req-audit-${randomUUID()}`,
      },
      { fix: options.fix === true },
    );
  }

  /** The fake driver of a host, for simulator scenarios and tests. */
  fakeDriver(host: string): FakeDriver {
    const d = this.drivers.get(host);
    if (!(d instanceof FakeDriver)) throw new Error(`No fake driver on ${host}`);
    return d;
  }

  /** Stops everything in the reverse order of start; safe to call twice. */
  async stop(): Promise<void> {
    while (this.stoppers.length > 0) {
      const stop = this.stoppers.pop() as () => Promise<void> | void;
      try {
        await stop();
      } catch (err) {
        this.opts.logger.error({ err }, 'error while stopping');
      }
    }
  }
}
