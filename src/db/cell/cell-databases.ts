import type { Clock } from '../../common/clock.js';
import type { IdGenerator } from '../../common/ids.js';
import type { CellMapping } from '../../objects/cell-mapping.js';
import { openDatabase, type Database } from '../connection.js';
import type { CellSchema } from './cell-schema.js';
import { createCellRepos, type CellRepos } from './cell-repos.js';

/**
 * Opens each cell's database once, from its cell mapping, and hands out its repositories.
 * Services that span cells (API, conductor, scheduler) share one instance per process.
 */
export class CellDatabases {
  private readonly open = new Map<string, { database: Database<CellSchema>; repos: CellRepos }>();

  constructor(private readonly deps: { clock: Clock; ids: IdGenerator; opener?: (url: string) => Database<CellSchema> }) {}

  repos(cell: CellMapping): CellRepos {
    return this.entry(cell).repos;
  }

  /** The open database itself, for schema migrations. */
  database(cell: CellMapping): Database<CellSchema> {
    return this.entry(cell).database;
  }

  private entry(cell: CellMapping): { database: Database<CellSchema>; repos: CellRepos } {
    let entry = this.open.get(cell.database_connection);
    if (entry === undefined) {
      const database = (this.deps.opener ?? openDatabase)(cell.database_connection) as Database<CellSchema>;
      entry = { database, repos: createCellRepos({ db: database.db, clock: this.deps.clock, ids: this.deps.ids }) };
      this.open.set(cell.database_connection, entry);
    }
    return entry;
  }

  async closeAll(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.all(all.map((e) => e.database.close()));
  }
}
