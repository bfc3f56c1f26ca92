import type { ApiModule } from '../api/app.js';
import type { Clock } from '../common/clock.js';
import type { FaultInjector } from '../common/fault-injector.js';
import type { IdGenerator } from '../common/ids.js';
import type { Logger } from '../common/logger.js';
import type { RequestContext } from '../common/request-context.js';
import type { Config } from '../config/index.js';
import { openDatabase, type Database } from '../db/connection.js';
import { migrateToLatest } from '../db/migrator.js';
import type { PolicyEngine } from '../policy/index.js';
import { seedDefaultImage } from './default-image.js';
import type { ImageClient, ImageDownload, ImageListFilter, ImageListPage, NewImageValues } from './image-client.js';
import { imageMigrations } from './image-migrations.js';
import type { ImagePatchOperation } from './image-patch.js';
import { ImageRepo } from './image-repo.js';
import { registerImageRoutes } from './image-routes.js';
import type { ImageSchema } from './image-schema.js';
import type { ImageView } from './image-view.js';
import { LocalImageClient } from './local-image-client.js';
import { FileImageDataStore } from './store/file-image-data-store.js';

export interface ImageServiceDeps {
  config: Config;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  policy: PolicyEngine;
  /** Fails `image.<operation>` on demand (create, update, upload, download, delete). */
  faults?: FaultInjector;
  /** Overrides `[glance] connection` (tests use `sqlite://`). */
  databaseUrl?: string;
  /** Overrides `[glance] filesystem_store_datadir` (tests use a temporary directory). */
  dataDir?: string;
}

/**
 * Tessera's built-in image service: its own database, image data as files under a directory,
 * the Glance v2 routes under `/image`, and the `ImageClient` that the compute side uses in process.
 *
 * @example
 * const images = await ImageService.create({ config, clock, ids, logger, policy, faults });
 * const app = await buildApp({ ..., modules: [images.module()] });
 * await images.get(ctx, imageRef);
 * await images.close();
 */
export class ImageService implements ImageClient {
  private constructor(private readonly deps: { database: Database<ImageSchema>; client: ImageClient }) {}

  /** Opens and migrates the database, prepares the data directory, and registers the default image on first start. */
  static async create(deps: ImageServiceDeps): Promise<ImageService> {
    const database = openDatabase<ImageSchema>(deps.databaseUrl ?? deps.config.glance.connection);
    const log = deps.logger.child({ service: 'image' });
    try {
      // Kysely<T> is invariant in T; the migrator works on any schema.
      const applied = await migrateToLatest(database as Database<unknown>, imageMigrations);
      if (applied.length > 0) log.info({ migrations: applied, database: database.displayUrl }, 'image database migrated');
      const dataDir = deps.dataDir ?? deps.config.glance.filesystem_store_datadir;
      const store = await FileImageDataStore.create({ dir: dataDir });
      const repo = new ImageRepo({ db: database.db, clock: deps.clock });
      const seeded = await seedDefaultImage(repo, deps.config.glance.default_image_name);
      if (seeded !== undefined) log.info({ image_id: seeded, name: deps.config.glance.default_image_name }, 'default image registered');
      const client = new LocalImageClient({
        repo, store, policy: deps.policy, ids: deps.ids, logger: deps.logger, maxImageBytes: deps.config.glance.image_size_cap,
        ...(deps.faults === undefined ? {} : { faults: deps.faults }),
      });
      return new ImageService({ database, client });
    } catch (err) {
      await database.close();
      throw err;
    }
  }

  /** The Glance v2 routes, mounted at `/image`. */
  module(): ApiModule {
    const prefix = '/image';
    return { prefix, face: 'image', register: (app) => registerImageRoutes(app, { images: this, prefix }) };
  }

  get(ctx: RequestContext, id: string): Promise<ImageView> {
    return this.deps.client.get(ctx, id);
  }

  list(ctx: RequestContext, filter?: ImageListFilter): Promise<ImageListPage> {
    return this.deps.client.list(ctx, filter);
  }

  create(ctx: RequestContext, values: NewImageValues): Promise<ImageView> {
    return this.deps.client.create(ctx, values);
  }

  update(ctx: RequestContext, id: string, operations: readonly ImagePatchOperation[]): Promise<ImageView> {
    return this.deps.client.update(ctx, id, operations);
  }

  upload(ctx: RequestContext, id: string, data: AsyncIterable<Uint8Array>, options?: { size?: number }): Promise<ImageView> {
    return this.deps.client.upload(ctx, id, data, options);
  }

  download(ctx: RequestContext, id: string): Promise<ImageDownload | undefined> {
    return this.deps.client.download(ctx, id);
  }

  deactivate(ctx: RequestContext, id: string): Promise<void> {
    return this.deps.client.deactivate(ctx, id);
  }

  reactivate(ctx: RequestContext, id: string): Promise<void> {
    return this.deps.client.reactivate(ctx, id);
  }

  delete(ctx: RequestContext, id: string): Promise<void> {
    return this.deps.client.delete(ctx, id);
  }

  async close(): Promise<void> {
    await this.deps.database.close();
  }
}
