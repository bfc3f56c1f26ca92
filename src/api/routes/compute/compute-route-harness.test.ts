// Shared set-up for the compute route tests (flavors, services, zones, versions); no tests here.
import type { FastifyInstance } from 'fastify';
import { ManualClock } from '../../../common/clock.js';
import { UnauthorizedError } from '../../../common/errors.js';
import { RandomIdGenerator } from '../../../common/ids.js';
import { silentLogger } from '../../../common/logger.js';
import type { ComputeApiDeps } from '../../../compute-api/compute-api-deps.js';
import { parseConfigText, type ConfigOverrides } from '../../../config/index.js';
import { createApiRepos } from '../../../db/api/api-repos.js';
import type { ApiSchema } from '../../../db/api/api-schema.js';
import { CellDatabases } from '../../../db/cell/cell-databases.js';
import { openDatabase } from '../../../db/connection.js';
import { apiMigrations } from '../../../db/migrations/api/index.js';
import { cellMigrations } from '../../../db/migrations/cell/index.js';
import { migrateToLatest } from '../../../db/migrator.js';
import { NoopInstanceNotifier } from '../../../notifications/index.js';
import type { ServiceRecord } from '../../../db/cell/service-repo.js';
import type { CellMapping } from '../../../objects/cell-mapping.js';
import { allRuleDefaults, PolicyEngine } from '../../../policy/index.js';
import { buildApp, type ApiModule } from '../../app.js';
import type { Authenticator, Identity } from '../../auth/authenticator.js';
import { echoMicroversion, negotiateMicroversion } from '../../microversion.js';
import { availabilityZoneRoutes } from './availability-zone-routes.js';
import { flavorRoutes } from './flavor-routes.js';
import { serviceRoutes } from './service-routes.js';
import { versionRoutes } from './version-routes.js';

const IDENTITIES: Record<string, Identity> = {
  admin: { userId: 'u-admin', projectId: 'p-admin', roles: ['admin', 'member', 'reader'], isAdmin: true },
  member: { userId: 'u-m', projectId: 'p-m', roles: ['member', 'reader'], isAdmin: false },
};

class FakeAuthenticator implements Authenticator {
  authenticate(token: string): Promise<Identity> {
    const identity = IDENTITIES[token];
    if (identity === undefined) return Promise.reject(new UnauthorizedError('identity.unauthorized', 'The request you have made requires authentication.'));
    return Promise.resolve(identity);
  }
}

export interface CallOptions {
  token?: string | null;
  mv?: string;
  body?: unknown;
}

export interface CallResult {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  headers: Record<string, unknown>;
}

export interface Harness {
  app: FastifyInstance;
  deps: ComputeApiDeps;
  clock: ManualClock;
  cells: CellMapping[];
  call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, options?: CallOptions): Promise<CallResult>;
  close(): Promise<void>;
}

/**
 * An app serving only the routes of this folder under `/compute` (and `/compute/v2.1`, `/v2`), on
 * an in-memory API database and two in-memory cell databases (cell1, cell2).
 */
export async function startHarness(overrides: ConfigOverrides = {}): Promise<Harness> {
  const clock = new ManualClock(new Date('2026-11-24T10:00:00Z'));
  const ids = new RandomIdGenerator();
  const logger = silentLogger();
  const apiDb = openDatabase<ApiSchema>('sqlite://');
  await migrateToLatest(apiDb, apiMigrations);
  const api = createApiRepos({ db: apiDb.db, clock, ids });
  const cellDbs = new CellDatabases({ clock, ids });
  const cells: CellMapping[] = [];
  for (const name of ['cell1', 'cell2']) {
    const cell = await api.cells.upsert({ uuid: ids.uuid(), name, transportUrl: 'inproc://', databaseConnection: `sqlite:///:memory:?cell=${name}` });
    await migrateToLatest({ db: cellDbs.repos(cell).db, dialect: 'sqlite', displayUrl: name, close: async () => {} }, cellMigrations);
    cells.push(cell);
  }
  const deps: ComputeApiDeps = {
    api,
    cells: cellDbs,
    conductor: undefined as never,
    scheduler: undefined as never,
    compute: undefined as never,
    images: undefined as never,
    volumes: undefined as never,
    network: undefined as never,
    notifier: new NoopInstanceNotifier(),
    policy: await PolicyEngine.create({ defaults: allRuleDefaults() }),
    config: parseConfigText('', '<test>', overrides),
    clock,
    ids,
    logger,
  };
  const module: ApiModule = {
    prefix: '/compute',
    face: 'compute',
    register: async (app) => {
      await versionRoutes(app);
      for (const prefix of ['/v2.1', '/v2']) {
        await app.register(
          async (v2) => {
            v2.addHook('onRequest', async (request, reply) => {
              request.microversion = negotiateMicroversion(request);
              echoMicroversion(reply, request.microversion);
            });
            await flavorRoutes(v2, deps);
            await serviceRoutes(v2, deps);
            await availabilityZoneRoutes(v2, deps);
          },
          { prefix },
        );
      }
    },
  };
  const app = await buildApp({ logger, ids, authenticator: new FakeAuthenticator(), modules: [module] });

  const call: Harness['call'] = async (method, url, options = {}) => {
    const headers: Record<string, string> = {};
    const token = options.token === undefined ? 'admin' : options.token;
    if (token !== null) headers['x-auth-token'] = token;
    if (options.mv !== undefined) headers['openstack-api-version'] = `compute ${options.mv}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const res = await app.inject({ method, url, headers, ...(options.body === undefined ? {} : { payload: JSON.stringify(options.body) }) });
    return { status: res.statusCode, body: res.body === '' ? undefined : JSON.parse(res.body), headers: res.headers };
  };

  return {
    app,
    deps,
    clock,
    cells,
    call,
    close: async () => {
      await app.close();
      await cellDbs.closeAll();
      await apiDb.close();
    },
  };
}

/**
 * cell1: cell1-compute1 (zone az1, up), cell1-compute2 (default zone, up), controller's
 * nova-conductor (internal, up); cell2: cell2-compute1 (zone az2, down).
 */
export async function seedServices(h: Harness): Promise<Record<string, ServiceRecord>> {
  const [cell1, cell2] = h.cells as [(typeof h.cells)[0], (typeof h.cells)[0]];
  const s1 = h.deps.cells.repos(cell1).services;
  const s2 = h.deps.cells.repos(cell2).services;
  const out = {
    c1: await s1.register('cell1-compute1', 'nova-compute', 'compute'),
    c2: await s1.register('cell1-compute2', 'nova-compute', 'compute'),
    cond: await s1.register('controller', 'nova-conductor', 'conductor'),
    c3: await s2.register('cell2-compute1', 'nova-compute', 'compute'),
  };
  await h.deps.api.aggregates.ensureZone('agg1', 'az1', ['cell1-compute1']);
  await h.deps.api.aggregates.ensureZone('agg2', 'az2', ['cell2-compute1']);
  await h.deps.api.aggregates.ensureZone('agg3', 'az-empty', []);
  h.clock.advance(120_000);
  for (const s of [out.c1, out.c2, out.cond]) await s1.heartbeat(s.id);
  return out;
}
