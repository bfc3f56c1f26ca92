import { RandomIdGenerator } from '../common/ids.js';
import { SystemClock } from '../common/clock.js';
import type { Logger } from '../common/logger.js';
import type { Config } from '../config/index.js';
import { createApiRepos } from '../db/api/api-repos.js';
import type { ApiSchema } from '../db/api/api-schema.js';
import { CellDatabases } from '../db/cell/cell-databases.js';
import { openDatabase } from '../db/connection.js';
import type { CellSelection } from '../services/archive-targets.js';
import type { DbMaintenanceDeps } from '../services/archive-databases.js';
import type { DbMaintenanceFlags } from './cli-options.js';

/**
 * Opens the API database and (lazily) the cell databases from the configuration for the length of
 * `work`, and closes them after, whatever happens.
 */
export async function withDbMaintenance<T>(config: Config, logger: Logger, work: (deps: DbMaintenanceDeps) => Promise<T>): Promise<T> {
  const clock = new SystemClock();
  const ids = new RandomIdGenerator();
  const apiDatabase = openDatabase<ApiSchema>(config.api_database.connection);
  const cells = new CellDatabases({ clock, ids });
  try {
    return await work({ config, api: createApiRepos({ db: apiDatabase.db, clock, ids }), cells, logger });
  } finally {
    await cells.closeAll();
    await apiDatabase.close();
  }
}

/** --all-cells, --cell NAME, or neither; undefined when both are given. */
export function cellSelectionOf(flags: DbMaintenanceFlags): CellSelection | undefined {
  if (flags.allCells && flags.cell !== undefined) return undefined;
  if (flags.allCells) return { kind: 'all' };
  if (flags.cell !== undefined) return { kind: 'one', name: flags.cell };
  return { kind: 'default' };
}

/** Whether the API database answers with its cell mappings (Nova checks this before archiving). */
export async function apiDatabaseReachable(deps: DbMaintenanceDeps): Promise<boolean> {
  try {
    await deps.api.cells.list();
    return true;
  } catch (err) {
    deps.logger.error({ err }, 'API database not reachable');
    return false;
  }
}
