import type { ApiModule } from '../api/app.js';
import type { Authenticator, Identity } from '../api/auth/authenticator.js';
import type { Clock } from '../common/clock.js';
import type { IdGenerator } from '../common/ids.js';
import type { Logger } from '../common/logger.js';
import type { Config } from '../config/index.js';
import { openDatabase, type Database } from '../db/connection.js';
import { migrateToLatest } from '../db/migrator.js';
import { IdentityDirectory, type IdentityCredentials } from './identity-directory.js';
import { identityModule } from './identity-routes.js';
import type { IdentitySchema } from './identity-schema.js';
import { identityMigrations } from './migrations.js';
import { ServiceCatalog, type CatalogService } from './service-catalog.js';
import { TokenRepo } from './token-repo.js';
import { TokenService } from './token-service.js';

/** What `IdentityService.create` needs. */
export interface IdentityServiceDeps {
  config: Config;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  /** Overrides `[identity] connection` (tests pass `sqlite://`). */
  databaseUrl?: string;
  /** Keep generated passwords in `<state_path>/credentials.json` (default true); false: memory only. */
  persistCredentials?: boolean;
  /** Overrides the credentials file location. */
  credentialsFile?: string;
  /** The services this deployment serves, for the token's catalog. */
  catalogServices: readonly CatalogService[];
  /** Base URL for catalogs built outside a request; requests use the address the client reached. */
  catalogBaseUrl?: string;
  /** Decides `isAdmin` from roles (the policy's `context_is_admin`); default: has the admin role. */
  isAdmin?: (roles: readonly string[]) => boolean;
}

interface IdentityServiceParts {
  database: Database<IdentitySchema>;
  directory: IdentityDirectory;
  tokens: TokenService;
  catalog: ServiceCatalog;
  isAdmin: (roles: readonly string[]) => boolean;
}

/**
 * The built-in identity service, standing in for Keystone: the bootstrap users and projects of the
 * configuration, a token store in its own database, the `/identity` routes, and the
 * `Authenticator` that the API's auth hook uses to turn `X-Auth-Token` into an identity.
 *
 * @example
 * const identity = await IdentityService.create({ config, clock, ids, logger, catalogServices });
 * const app = await buildApp({ logger, ids, authenticator: identity, modules: [identity.module(), ...] });
 * console.log(identity.credentials().admin.password);
 */
export class IdentityService implements Authenticator {
  static async create(deps: IdentityServiceDeps): Promise<IdentityService> {
    const directory = await IdentityDirectory.create({
      config: deps.config,
      ids: deps.ids,
      ...(deps.persistCredentials === undefined ? {} : { persistCredentials: deps.persistCredentials }),
      ...(deps.credentialsFile === undefined ? {} : { credentialsFile: deps.credentialsFile }),
    });
    const database = openDatabase<IdentitySchema>(deps.databaseUrl ?? deps.config.identity.connection);
    try {
      await migrateToLatest(database as Database<unknown>, identityMigrations);
    } catch (err) {
      await database.close();
      throw err;
    }
    const logger = deps.logger.child({ service: 'identity' });
    const tokens = new TokenService({
      repo: new TokenRepo({ db: database.db, clock: deps.clock }),
      directory,
      clock: deps.clock,
      ids: deps.ids,
      logger,
      expirationSeconds: deps.config.identity.token_expiration,
      cacheSeconds: deps.config.identity.token_cache_time,
    });
    const catalog = new ServiceCatalog({
      services: deps.catalogServices,
      region: deps.config.identity.region,
      ...(deps.catalogBaseUrl === undefined ? {} : { baseUrl: deps.catalogBaseUrl }),
    });
    const isAdmin = deps.isAdmin ?? ((roles: readonly string[]) => roles.includes('admin'));
    return new IdentityService({ database, directory, tokens, catalog, isAdmin });
  }

  constructor(private readonly parts: IdentityServiceParts) {}

  /** The token service, for callers that issue or validate tokens without HTTP. */
  get tokens(): TokenService {
    return this.parts.tokens;
  }

  /** The users, projects and roles. */
  get directory(): IdentityDirectory {
    return this.parts.directory;
  }

  /** Turns a token into an identity; UnauthorizedError when it is unknown, expired or revoked. */
  async authenticate(token: string): Promise<Identity> {
    const info = await this.parts.tokens.validate(token);
    const roles = info.roles.map((r) => r.name);
    return {
      userId: info.user.id,
      userName: info.user.name,
      projectId: info.project.id,
      projectName: info.project.name,
      roles,
      isAdmin: this.parts.isAdmin(roles),
    };
  }

  /** The `/identity` routes. */
  module(): ApiModule {
    return identityModule({ tokens: this.parts.tokens, catalog: this.parts.catalog, directory: this.parts.directory });
  }

  /** Credentials of the bootstrap admin and member accounts, for the CLI and openrc files. */
  credentials(): IdentityCredentials {
    return this.parts.directory.credentials();
  }

  /** Deletes expired tokens; returns how many. The caller schedules it. */
  async purgeExpired(): Promise<number> {
    return this.parts.tokens.purgeExpired();
  }

  async close(): Promise<void> {
    await this.parts.database.close();
  }
}
