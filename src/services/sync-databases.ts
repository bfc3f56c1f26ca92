import type { Clock } from '../common/clock.js';
import type { IdGenerator } from '../common/ids.js';
import type { Logger } from '../common/logger.js';
import { cellDatabaseUrl, type Config } from '../config/index.js';
import type { ApiRepos } from '../db/api/api-repos.js';
import type { ApiSchema } from '../db/api/api-schema.js';
import { ensureDefaultFlavors } from '../db/api/default-flavors.js';
import type { CellDatabases } from '../db/cell/cell-databases.js';
import type { Database } from '../db/connection.js';
import { migrateToLatest } from '../db/migrator.js';
import { apiMigrations } from '../db/migrations/api/index.js';
import { cellMigrations } from '../db/migrations/cell/index.js';
import { CELL0_UUID, type CellMapping } from '../objects/cell-mapping.js';

/**
 * `tessera db sync`: brings the API database and every cell database (cell0 included) to the
 * newest schema, maps each configured cell to its database URL, and seeds the default flavors.
 * Running it again changes nothing.
 */
export async function syncDatabases(deps: {
  config: Config;
  apiDatabase: Database<ApiSchema>;
  api: ApiRepos;
  cells: CellDatabases;
  ids: IdGenerator;
  clock: Clock;
  logger: Logger;
}): Promise<CellMapping[]> {
  const applied = await migrateToLatest(deps.apiDatabase, apiMigrations);
  if (applied.length > 0) deps.logger.info({ database: deps.apiDatabase.displayUrl, applied }, 'API database migrated');
  const transportUrl = deps.config.DEFAULT.transport_url;
  const wanted = [{ name: 'cell0', uuid: CELL0_UUID }, ...deps.config.cells.names.map((name) => ({ name, uuid: undefined }))];
  const mappings: CellMapping[] = [];
  for (const cell of wanted) {
    const existing = await deps.api.cells.getByName(cell.name);
    const mapping = await deps.api.cells.upsert({
      uuid: existing?.uuid ?? cell.uuid ?? deps.ids.uuid(),
      name: cell.name,
      transportUrl,
      databaseConnection: cellDatabaseUrl(deps.config, cell.name),
    });
    const cellApplied = await migrateToLatest(deps.cells.database(mapping), cellMigrations);
    if (cellApplied.length > 0) deps.logger.info({ cell: cell.name, applied: cellApplied }, 'cell database migrated');
    mappings.push(mapping);
  }
  await ensureDefaultFlavors(deps.api.flavors);
  return mappings;
}
