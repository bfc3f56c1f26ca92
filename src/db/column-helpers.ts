import type { CreateTableBuilder } from 'kysely';
import type { Dialect } from './connection.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyTable = CreateTableBuilder<any, any>;

/** Adds an auto-incrementing integer primary key `id` in the dialect's own way. */
export function withIdColumn(table: AnyTable, dialect: Dialect): AnyTable {
  return dialect === 'postgres'
    ? table.addColumn('id', 'serial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

/** Adds created_at and updated_at as ISO-8601 text, which sorts and compares the same in both dialects. */
export function withTimestamps(table: AnyTable): AnyTable {
  return table.addColumn('created_at', 'text', (c) => c.notNull()).addColumn('updated_at', 'text');
}

/** Adds Nova's soft-delete columns: deleted_at, and deleted (0 while live, the row id once deleted). */
export function withSoftDelete(table: AnyTable): AnyTable {
  return withTimestamps(table)
    .addColumn('deleted_at', 'text')
    .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0));
}
