import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { InternalError } from '../common/errors.js';
import type { Database, Dialect } from './connection.js';

/** A schema migration that may need to know the dialect (auto-increment keys differ). */
export interface SchemaMigration {
  name: string;
  up(db: Kysely<any>, dialect: Dialect): Promise<void>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

class ListProvider implements MigrationProvider {
  constructor(private readonly migrations: SchemaMigration[], private readonly dialect: Dialect) {}

  getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const m of this.migrations) out[m.name] = { up: (db) => m.up(db, this.dialect) };
    return Promise.resolve(out);
  }
}

/** Brings a database to the newest schema; running it again is a no-op. */
export async function migrateToLatest<DB>(database: Database<DB>, migrations: SchemaMigration[]): Promise<string[]> {
  const migrator = new Migrator({ db: database.db as Kysely<unknown>, provider: new ListProvider(migrations, database.dialect) });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    throw new InternalError('db.migration_failed', `Schema migration of ${database.displayUrl} failed`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
