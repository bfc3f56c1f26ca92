import type { AuditDeps } from '../audit/index.js';
import { SystemClock } from '../common/clock.js';
import { RandomIdGenerator } from '../common/ids.js';
import type { Logger } from '../common/logger.js';
import type { Config } from '../config/index.js';
import { createApiRepos } from '../db/api/api-repos.js';
import type { ApiSchema } from '../db/api/api-schema.js';
import { CellDatabases } from '../db/cell/cell-databases.js';
import { openDatabase } from '../db/connection.js';
import { stableId } from '../identity/index.js';
import { ImageService } from '../image/index.js';
import { NetworkService, networkRuleDefaults } from '../network/index.js';
import { PlacementService, placementRuleDefaults } from '../placement/index.js';
import { PolicyEngine, allRuleDefaults } from '../policy/index.js';
import { VolumeService, volumeRuleDefaults } from '../volume/index.js';

/** The audit's dependencies on the configured databases, and how to close them all. */
export interface OpenAuditDeps {
  deps: AuditDeps;
  close(): Promise<void>;
}

/**
 * Opens, for `tessera audit` outside a running cloud, the API database, the cell databases
 * (lazily) and the built-in placement, image, volume and network services on their databases,
 * without HTTP. The API database is read first, so that a missing or unsynced one fails before
 * any service database is touched. The services open their databases as `tessera up` does: a
 * database an older release made is migrated, and the default image and network are registered
 * if they never were (they are recorded as seeded, so an operator's deletion sticks).
 *
 * @throws whatever opening or reading the API database throws (the command exits 1).
 */
export async function openAuditDeps(config: Config, logger: Logger, requestId: string): Promise<OpenAuditDeps> {
  const clock = new SystemClock();
  const ids = new RandomIdGenerator();
  const closers: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const c of closers.reverse()) await c().catch((err: unknown) => logger.error({ err }, 'closing a database failed'));
  };
  try {
    const apiDatabase = openDatabase<ApiSchema>(config.api_database.connection);
    closers.push(() => apiDatabase.close());
    const api = createApiRepos({ db: apiDatabase.db, clock, ids });
    await api.cells.list();
    const cells = new CellDatabases({ clock, ids });
    closers.push(() => cells.closeAll());
    const policy = await PolicyEngine.create({
      defaults: [...allRuleDefaults(), ...placementRuleDefaults, ...volumeRuleDefaults, ...networkRuleDefaults],
      ...(config.oslo_policy.policy_file ? { policyFile: config.oslo_policy.policy_file } : {}),
    });
    const images = await ImageService.create({ config, clock, ids, logger, policy });
    closers.push(() => images.close());
    const volumes = await VolumeService.create({ config, clock, ids, logger, policy, images });
    closers.push(() => volumes.close());
    // The identity service derives the admin project's id from its name; so does this.
    const defaultNetworkProjectId = stableId('project', `default/${config.identity.admin_project}`);
    const network = await NetworkService.create({ config, clock, ids, logger, policy, defaultNetworkProjectId });
    closers.push(() => network.close());
    const placement = await PlacementService.create({ config, clock, ids, logger, policy });
    closers.push(() => placement.close());
    return {
      deps: { api, cells, placement: placement.client(), placementConsumers: placement, volumes, network: network.client(), images, logger, requestId },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
