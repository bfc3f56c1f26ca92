import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { BadRequestError } from '../common/errors.js';
import { registerSqliteHandle } from './sqlite-handles.js';

export type Dialect = 'sqlite' | 'postgres';

/** An open database: the Kysely handle plus what the code needs to know about it. */
export interface Database<DB> {
  readonly db: Kysely<DB>;
  readonly dialect: Dialect;
  /** The URL with any password masked, for logs. */
  readonly displayUrl: string;
  close(): Promise<void>;
}

/**
 * Each SQLite connection's page cache, at most (pages are kept as they are read, so a small
 * database takes only what it is). SQLite's default is 2 MiB: the placement database of 10,000
 * hosts and a busy cell's instances do not fit, and every miss is a read from the file. Measured
 * with `bench schedule` at 10,000 hosts: 64 MiB took a boot from 5.9 to 4.8 ms of the cloud's
 * thread, with no change in peak memory.
 */
const SQLITE_CACHE_KIB = 64 * 1024;

/**
 * Opens a database from a SQLAlchemy-style URL, as Nova's options spell them:
 * `sqlite://` or `sqlite:///:memory:` (in memory), `sqlite:///relative.db`, `sqlite:////abs.db`,
 * `postgresql://user:pass@host:port/name` (also `postgresql+psycopg2://`, `postgres://`).
 *
 * @example
 * const api = openDatabase<ApiSchema>('sqlite:////var/lib/tessera/api.sqlite');
 */
export function openDatabase<DB>(url: string): Database<DB> {
  const parsed = parseDatabaseUrl(url);
  if (parsed.dialect === 'sqlite') {
    if (parsed.path !== ':memory:') mkdirSync(dirname(parsed.path), { recursive: true });
    const sqlite = new BetterSqlite3(parsed.path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma(`cache_size = -${SQLITE_CACHE_KIB}`);
    cachePreparedStatements(sqlite);
    const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
    registerSqliteHandle(db, sqlite);
    return { db, dialect: 'sqlite', displayUrl: url, close: () => db.destroy() };
  }
  const pool = new pg.Pool({ connectionString: parsed.connectionString, max: 10 });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', displayUrl: maskPassword(url), close: () => db.destroy() };
}

type ParsedUrl = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; connectionString: string };

export function parseDatabaseUrl(url: string): ParsedUrl {
  const sqlite = /^sqlite:\/\/(\/?)(.*)$/.exec(url);
  if (sqlite) {
    const rest = (sqlite[2] ?? '').replace(/\?.*$/, '');
    if (sqlite[1] === '' || rest === '' || rest === ':memory:') return { dialect: 'sqlite', path: ':memory:' };
    return { dialect: 'sqlite', path: resolve(rest) };
  }
  const pgMatch = /^postgres(?:ql)?(?:\+[a-z0-9]+)?:\/\/(.*)$/.exec(url);
  if (pgMatch) return { dialect: 'postgres', connectionString: `postgresql://${pgMatch[1] ?? ''}` };
  throw new BadRequestError('db.bad_url', `Unsupported database URL: ${maskPassword(url)}`);
}

export function maskPassword(url: string): string {
  // The password may itself hold '@'; the authority ends at the last '@' before the path.
  return url.replace(/\/\/([^:/?#@]+):[^/?#]*@/, '//$1:***@');
}

// Kysely asks better-sqlite3 to prepare every statement anew; preparing is a large share of a
// query's cost. Statements are reusable and Kysely runs them synchronously to completion, so one
// prepared statement per distinct SQL text is safe. The cache is bounded (least recently used).
const STATEMENT_CACHE_SIZE = 500;

function cachePreparedStatements(sqlite: BetterSqlite3.Database): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, BetterSqlite3.Statement>();
  (sqlite as { prepare: (sql: string) => BetterSqlite3.Statement }).prepare = (sql: string) => {
    const hit = cache.get(sql);
    if (hit !== undefined) {
      cache.delete(sql);
      cache.set(sql, hit);
      return hit;
    }
    const stmt = prepare(sql);
    cache.set(sql, stmt);
    if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    return stmt;
  };
}
