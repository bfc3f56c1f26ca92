// Shared set-up for the volume service's unit tests; no tests here.
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../api/app.js';
import type { Authenticator, Identity } from '../api/auth/authenticator.js';
import { ManualClock } from '../common/clock.js';
import { NotFoundError, TesseraError, UnauthorizedError } from '../common/errors.js';
import { FaultInjector } from '../common/fault-injector.js';
import { RandomIdGenerator } from '../common/ids.js';
import { silentLogger } from '../common/logger.js';
import type { RequestContext } from '../common/request-context.js';
import { openDatabase, type Database } from '../db/connection.js';
import { migrateToLatest } from '../db/migrator.js';
import type { ImageListFilter, ImageListPage, ImageView } from '../image/index.js';
import { PolicyEngine, allRuleDefaults } from '../policy/index.js';
import { AttachmentOperations } from './attachment-operations.js';
import type { ImageLookup } from './image-source.js';
import { LocalVolumeClient } from './local-volume-client.js';
import { registerVolumeApi } from './volume-api-routes.js';
import { FakeVolumeBackend } from './volume-backend.js';
import type { VolumeLimits } from './volume-limits.js';
import { volumeMigrations } from './volume-migrations.js';
import { VolumeOperations } from './volume-operations.js';
import { volumeRuleDefaults } from './volume-policy-rules.js';
import type { VolumeSchema } from './volume-schema.js';
import { VolumeStore } from './volume-store.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

const identity = (userId: string, projectId: string, roles: string[]): Identity => ({ userId, projectId, roles, isAdmin: roles.includes('admin') });

/** Who calls, by token: an admin, two members of two projects, and a reader of project p-a. */
export const IDENTITIES = {
  admin: identity('u-admin', 'p-admin', ['admin', 'member', 'reader']),
  alice: identity('u-alice', 'p-a', ['member', 'reader']),
  bob: identity('u-bob', 'p-b', ['member', 'reader']),
  reader: identity('u-reader', 'p-a', ['reader']),
} as const;
export type Who = keyof typeof IDENTITIES;

export function ctxOf(who: Who): RequestContext {
  return { ...IDENTITIES[who], requestId: `req-${who}` };
}

export const ADMIN = ctxOf('admin');
export const ALICE = ctxOf('alice');
export const BOB = ctxOf('bob');
export const READER = ctxOf('reader');

export const INSTANCE_1 = '11111111-1111-4111-8111-111111111111';
export const INSTANCE_2 = '22222222-2222-4222-8222-222222222222';

export const DEFAULT_LIMITS: VolumeLimits = { volumes: 10, gigabytes: 1000, snapshots: 10, backups: 10, backupGigabytes: 1000, perVolumeGigabytes: -1 };

/** An image as Glance shows it; everything not given is an active, public, 20 MiB image. */
export function imageView(values: Partial<ImageView> & { id: string }): ImageView {
  return {
    name: 'cirros',
    status: 'active',
    visibility: 'public',
    protected: false,
    os_hidden: false,
    checksum: 'abc',
    os_hash_algo: null,
    os_hash_value: null,
    owner: null,
    size: 20 * 1024 * 1024,
    virtual_size: null,
    min_ram: 0,
    min_disk: 0,
    container_format: 'bare',
    disk_format: 'qcow2',
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    tags: [],
    self: `/v2/images/${values.id}`,
    file: `/v2/images/${values.id}/file`,
    schema: '/v2/schemas/image',
    ...values,
  };
}

/**
 * A test double of the image service: the images put in it, each visible to everyone or to its
 * owner only.
 */
export class FakeImages implements ImageLookup {
  readonly images = new Map<string, ImageView>();

  add(image: ImageView): ImageView {
    this.images.set(image.id, image);
    return image;
  }

  get(ctx: RequestContext, id: string): Promise<ImageView> {
    const image = this.images.get(id);
    if (image === undefined || !visible(image, ctx)) return Promise.reject(new NotFoundError('image.not_found', `No image found with ID ${id}`));
    return Promise.resolve(image);
  }

  list(ctx: RequestContext, filter: ImageListFilter = {}): Promise<ImageListPage> {
    const images = [...this.images.values()].filter((i) => visible(i, ctx) && (filter.name === undefined || i.name === filter.name));
    return Promise.resolve({ images: filter.limit === undefined ? images : images.slice(0, filter.limit), nextMarker: undefined });
  }
}

function visible(image: ImageView, ctx: RequestContext): boolean {
  return image.visibility === 'public' || ctx.isAdmin || image.owner === ctx.projectId;
}

class FakeAuthenticator implements Authenticator {
  authenticate(token: string): Promise<Identity> {
    const found = (IDENTITIES as Record<string, Identity>)[token];
    if (found === undefined) return Promise.reject(new UnauthorizedError('identity.unauthorized', 'The request you have made requires authentication.'));
    return Promise.resolve(found);
  }
}

export interface CallResult {
  status: number;
  body: any;
  headers: Record<string, unknown>;
}

export interface VolumeHarness {
  database: Database<VolumeSchema>;
  store: VolumeStore;
  volumes: VolumeOperations;
  attachments: AttachmentOperations;
  client: LocalVolumeClient;
  images: FakeImages;
  faults: FaultInjector;
  clock: ManualClock;
  /** Builds the HTTP app on first use. */
  app(): Promise<FastifyInstance>;
  /** An HTTP call as `who` (null: no token) at a volume microversion (none: no header). */
  call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, options?: { who?: Who | null; mv?: string; body?: unknown }): Promise<CallResult>;
  close(): Promise<void>;
}

/**
 * The volume service's parts over a fresh in-memory SQLite database, or over `database` (which
 * the harness migrates but leaves open on close).
 */
export async function startVolumeHarness(options: { database?: Database<VolumeSchema>; limits?: Partial<VolumeLimits>; zone?: string } = {}): Promise<VolumeHarness> {
  const database = options.database ?? openDatabase<VolumeSchema>('sqlite://');
  await migrateToLatest(database as Database<unknown>, volumeMigrations);
  const clock = new ManualClock(new Date('2026-11-24T10:00:00Z'));
  const ids = new RandomIdGenerator();
  const logger = silentLogger();
  const faults = new FaultInjector();
  const policy = await PolicyEngine.create({ defaults: [...allRuleDefaults(), ...volumeRuleDefaults] });
  const images = new FakeImages();
  const store = new VolumeStore({ db: database.db, dialect: database.dialect, clock });
  const backend = new FakeVolumeBackend({ faults });
  const volumes = new VolumeOperations({
    store, backend, images, policy, ids, logger,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    zone: options.zone ?? 'nova',
    backendHost: 'testhost@fake#fake',
  });
  const attachments = new AttachmentOperations({ store, backend, policy, ids, logger });
  const client = new LocalVolumeClient({ volumes, attachments, faults, logger });
  let app: FastifyInstance | undefined;
  const getApp = async (): Promise<FastifyInstance> => {
    app ??= await buildApp({
      logger, ids, authenticator: new FakeAuthenticator(),
      modules: [{ prefix: '/volume', face: 'volume', register: (a) => registerVolumeApi(a, { volumes, attachments, prefix: '/volume' }) }],
    });
    return app;
  };
  return {
    database, store, volumes, attachments, client, images, faults, clock,
    app: getApp,
    async call(method, url, callOptions = {}) {
      const headers: Record<string, string> = { host: 'cloud.test' };
      const who = callOptions.who === undefined ? 'alice' : callOptions.who;
      if (who !== null) headers['x-auth-token'] = who;
      if (callOptions.mv !== undefined) headers['openstack-api-version'] = `volume ${callOptions.mv}`;
      const res = await (await getApp()).inject({ method, url, headers, ...(callOptions.body === undefined ? {} : { payload: callOptions.body as object }) });
      return { status: res.statusCode, body: res.body === '' ? undefined : res.json(), headers: res.headers };
    },
    async close() {
      await app?.close();
      if (options.database === undefined) await database.close();
    },
  };
}

/** A predicate for assert.rejects: a TesseraError with this code and status. */
export function hasCode(code: string, status: number) {
  return (err: unknown): boolean => {
    if (!(err instanceof TesseraError)) throw new Error(`expected a TesseraError, got ${String(err)}`);
    if (err.code !== code || err.status !== status) throw new Error(`expected ${code} (${status}), got ${err.code} (${err.status}): ${err.message}`);
    return true;
  };
}
