import { sql, type Kysely } from 'kysely';
import type { SchemaMigration } from '../../migrator.js';

/**
 * Shadow tables for `tessera db archive`, in Nova's shape: for every soft-deleted table (one with
 * a `deleted` column) a `shadow_<table>` with the same column names and types, where archived
 * rows are moved. A shadow keeps `id` as its primary key (rows keep their ids) but nothing else:
 * no foreign keys, unique constraints, defaults, NOT NULL or indexes, so that rows that were
 * valid in the live table always fit, and a later change to the live table can never be refused
 * because of what the shadow already holds. `tags` has no shadow: it is not soft-deleted (an
 * instance's tags are deleted outright with it).
 *
 * The API database gets no shadow tables: none of its tables is soft-deleted (mappings, specs and
 * group members of archived instances are deleted outright by the archive, as Nova does).
 *
 * The columns are read from the tables as migrations 001-004 left them, so this migration copies
 * exactly what exists at its point in the sequence. Rule for later migrations: a migration that
 * adds a column to a soft-deleted table adds the same column, nullable and without a default, to
 * its shadow; a migration that creates a soft-deleted table creates its shadow too. The archive
 * refuses to run while a table and its shadow differ (`shadowColumnDrift`), and a unit test
 * (`shadow-drift.test.ts`) fails on any such difference after all migrations.
 */
export const cellShadowTables: SchemaMigration = {
  name: '005-shadow-tables',
  async up(db) {
    for (const table of await db.introspection.getTables()) {
      if (table.isView || !table.columns.some((c) => c.name === 'deleted')) continue;
      await createShadow(db, table.name, table.columns.map((c) => ({ name: c.name, dataType: c.dataType })));
    }
  },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function createShadow(db: Kysely<any>, table: string, columns: { name: string; dataType: string }[]): Promise<void> {
  let create = db.schema.createTable(`shadow_${table}`);
  for (const column of columns) {
    // The type names come from the database's own catalog (e.g. varchar(255), int4, float8).
    const type = sql.raw(column.dataType === '' ? 'text' : column.dataType);
    create = column.name === 'id' ? create.addColumn('id', 'integer', (c) => c.primaryKey()) : create.addColumn(column.name, type);
  }
  await create.execute();
}
