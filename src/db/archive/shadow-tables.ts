import type { DatabaseIntrospector } from 'kysely';

/** Prefix of the table that holds the archived rows of a soft-deleted table (Nova's). */
export const SHADOW_PREFIX = 'shadow_';

/** The shadow of a table: `instances` → `shadow_instances`. */
export function shadowOf(table: string): string {
  return `${SHADOW_PREFIX}${table}`;
}

/**
 * The column names of every table of a database, read from its catalog (SQLite and PostgreSQL
 * alike), shadows included; Kysely's own migration tables are left out.
 */
export type TableColumns = Map<string, string[]>;

/** Reads the columns of every table, in their declared order. */
export async function readTableColumns(db: { readonly introspection: DatabaseIntrospector }): Promise<TableColumns> {
  const tables = await db.introspection.getTables();
  return new Map(tables.filter((t) => !t.isView).map((t) => [t.name, t.columns.map((c) => c.name)]));
}
