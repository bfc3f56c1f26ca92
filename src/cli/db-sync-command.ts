import { RandomIdGenerator } from '../common/ids.js';
import { SystemClock } from '../common/clock.js';
import type { Logger } from '../common/logger.js';
import type { Config } from '../config/index.js';
import { createApiRepos } from '../db/api/api-repos.js';
import type { ApiSchema } from '../db/api/api-schema.js';
import { CellDatabases } from '../db/cell/cell-databases.js';
import { openDatabase } from '../db/connection.js';
import { syncDatabases } from '../services/sync-databases.js';

/** `tessera db sync`: creates or upgrades every database the configuration names. */
export async function runDbSync(config: Config, logger: Logger): Promise<number> {
  const clock = new SystemClock();
  const ids = new RandomIdGenerator();
  const apiDatabase = openDatabase<ApiSchema>(config.api_database.connection);
  const cells = new CellDatabases({ clock, ids });
  try {
    const mappings = await syncDatabases({ config, apiDatabase, api: createApiRepos({ db: apiDatabase.db, clock, ids }), cells, ids, clock, logger });
    for (const m of mappings) process.stdout.write(`${m.name}\t${m.uuid}\t${m.database_connection}\n`);
    return 0;
  } finally {
    await cells.closeAll();
    await apiDatabase.close();
  }
}
