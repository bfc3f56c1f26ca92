/**
 * True when a database error is a foreign-key violation, in either dialect: SQLite's
 * SQLITE_CONSTRAINT_FOREIGNKEY, PostgreSQL's SQLSTATE 23503. Repositories turn it into the
 * NotFoundError of the row that vanished, or the "in use" error of the row still referenced.
 */
export function isForeignKeyViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
