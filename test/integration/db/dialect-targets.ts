import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTempDatabase, postgresSkipReason } from '../../fixtures/postgres.js';

/** A place to put a throw-away database: its URL, and how to remove it afterwards. */
export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** One database flavour that the repository tests run against. */
export interface DialectTarget {
  name: string;
  /** A message when this target's suites are to be skipped, otherwise false. */
  skip: string | false;
  create(prefix: string): Promise<ScratchDatabase>;
}

const sqliteMemory: DialectTarget = {
  name: 'sqlite-memory',
  skip: false,
  create: () => Promise.resolve({ url: 'sqlite://', drop: () => Promise.resolve() }),
};

const sqliteFile: DialectTarget = {
  name: 'sqlite-file',
  skip: false,
  async create(prefix) {
    const dir = await mkdtemp(join(tmpdir(), `tessera-${prefix}-`));
    // Four slashes: an absolute path, as SQLAlchemy spells it.
    return { url: `sqlite:///${join(dir, `${prefix}.sqlite`)}`, drop: () => rm(dir, { recursive: true, force: true }) };
  },
};

/**
 * SQLite in memory, SQLite in a file, and PostgreSQL (a temporary database on the test server).
 * The PostgreSQL target is skipped with a message when the server is unreachable, unless CI or
 * TESSERA_REQUIRE_PG=1 asks for it, in which case its suites fail.
 */
export async function dialectTargets(): Promise<DialectTarget[]> {
  const postgres: DialectTarget = { name: 'postgres', skip: await postgresSkipReason(), create: (prefix) => createTempDatabase(prefix) };
  return [sqliteMemory, sqliteFile, postgres];
}
