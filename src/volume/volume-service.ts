import type { ApiModule } from '../api/app.js';
import type { Clock } from '../common/clock.js';
import type { FaultInjector } from '../common/fault-injector.js';
import type { IdGenerator } from '../common/ids.js';
import type { Logger } from '../common/logger.js';
import type { RequestContext } from '../common/request-context.js';
import type { Config } from '../config/index.js';
import { openDatabase, type Database } from '../db/connection.js';
import { migrateToLatest } from '../db/migrator.js';
import type { ImageLookup } from './image-source.js';
import type { PolicyEngine } from '../policy/index.js';
import { AttachmentOperations } from './attachment-operations.js';
import { LocalVolumeClient } from './local-volume-client.js';
import { registerVolumeApi } from './volume-api-routes.js';
import { FakeVolumeBackend, type VolumeBackend } from './volume-backend.js';
import type { NewVolumeValues, Volume, VolumeAttachment, VolumeClient, VolumeConnector } from './volume-client.js';
import { volumeLimitsFromConfig } from './volume-limits.js';
import { volumeMigrations } from './volume-migrations.js';
import { VolumeOperations } from './volume-operations.js';
import type { VolumeSchema } from './volume-schema.js';
import { VolumeStore } from './volume-store.js';

export interface VolumeServiceDeps {
  config: Config;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  /** Checks the `volume:*` rules (register `volumeRuleDefaults` with it). */
  policy: PolicyEngine;
  /** Where images for volumes come from, acting for the caller. */
  images: ImageLookup;
  /** Arms the client's and the backend's fault points. */
  faults?: FaultInjector;
  /** Overrides `[cinder] connection` (tests use `sqlite://`). */
  databaseUrl?: string;
}

/**
 * Tessera's built-in volume service: its own database, the Cinder v3 routes under `/volume`, and
 * the {@link VolumeClient} that the compute side uses in process. The storage is a simulated
 * backend ({@link FakeVolumeBackend}) whose every step can be failed with the fault injector.
 *
 * @example
 * const volumes = await VolumeService.create({ config, clock, ids, logger, policy, images, faults });
 * const app = await buildApp({ ..., modules: [volumes.module()] });
 * const volume = await volumes.create(ctx, { size: 1 });
 * await volumes.close();
 */
export class VolumeService implements VolumeClient {
  private readonly client: LocalVolumeClient;

  private constructor(private readonly deps: { database: Database<VolumeSchema>; volumes: VolumeOperations; attachments: AttachmentOperations; faults: FaultInjector | undefined; logger: Logger }) {
    this.client = new LocalVolumeClient({ volumes: deps.volumes, attachments: deps.attachments, faults: deps.faults, logger: deps.logger });
  }

  /** Opens and migrates the database. */
  static async create(deps: VolumeServiceDeps): Promise<VolumeService> {
    const database = openDatabase<VolumeSchema>(deps.databaseUrl ?? deps.config.cinder.connection);
    const logger = deps.logger.child({ service: 'volume' });
    try {
      // Kysely<T> is invariant in T; the migrator works on any schema.
      const applied = await migrateToLatest(database as Database<unknown>, volumeMigrations);
      if (applied.length > 0) logger.info({ migrations: applied, database: database.displayUrl }, 'volume database migrated');
      const store = new VolumeStore({ db: database.db, dialect: database.dialect, clock: deps.clock });
      const backend: VolumeBackend = new FakeVolumeBackend({ faults: deps.faults });
      const volumes = new VolumeOperations({
        store,
        backend,
        images: deps.images,
        policy: deps.policy,
        ids: deps.ids,
        logger,
        limits: volumeLimitsFromConfig(deps.config.cinder),
        zone: deps.config.cinder.storage_availability_zone,
        backendHost: `${deps.config.DEFAULT.host}@fake#fake`,
      });
      const attachments = new AttachmentOperations({ store, backend, policy: deps.policy, ids: deps.ids, logger });
      return new VolumeService({ database, volumes, attachments, faults: deps.faults, logger });
    } catch (err) {
      await database.close();
      throw err;
    }
  }

  /** The Cinder v3 routes, mounted at `/volume`. */
  module(): ApiModule {
    const prefix = '/volume';
    return { prefix, face: 'volume', register: (app) => registerVolumeApi(app, { volumes: this.deps.volumes, attachments: this.deps.attachments, prefix }) };
  }

  get(ctx: RequestContext, volumeId: string): Promise<Volume> {
    return this.client.get(ctx, volumeId);
  }

  create(ctx: RequestContext, values: NewVolumeValues): Promise<Volume> {
    return this.client.create(ctx, values);
  }

  delete(ctx: RequestContext, volumeId: string): Promise<void> {
    return this.client.delete(ctx, volumeId);
  }

  attachmentCreate(ctx: RequestContext, volumeId: string, instanceUuid: string, connector?: VolumeConnector): Promise<VolumeAttachment> {
    return this.client.attachmentCreate(ctx, volumeId, instanceUuid, connector);
  }

  attachmentUpdate(ctx: RequestContext, attachmentId: string, connector: VolumeConnector): Promise<VolumeAttachment> {
    return this.client.attachmentUpdate(ctx, attachmentId, connector);
  }

  attachmentComplete(ctx: RequestContext, attachmentId: string): Promise<void> {
    return this.client.attachmentComplete(ctx, attachmentId);
  }

  attachmentDelete(ctx: RequestContext, attachmentId: string): Promise<void> {
    return this.client.attachmentDelete(ctx, attachmentId);
  }

  attachmentGet(ctx: RequestContext, attachmentId: string): Promise<VolumeAttachment> {
    return this.client.attachmentGet(ctx, attachmentId);
  }

  attachmentList(ctx: RequestContext, filter: { instanceUuid?: string; volumeId?: string }): Promise<VolumeAttachment[]> {
    return this.client.attachmentList(ctx, filter);
  }

  async close(): Promise<void> {
    await this.deps.database.close();
  }
}
