import { after, before, describe } from 'node:test';
import { ManualClock } from '../../../src/common/clock.js';
import { RandomIdGenerator } from '../../../src/common/ids.js';
import { openDatabase, type Database } from '../../../src/db/connection.js';
import { migrateToLatest, type SchemaMigration } from '../../../src/db/migrator.js';
import type { DialectTarget, ScratchDatabase } from './dialect-targets.js';

/** What each test body gets: a migrated database of one dialect and the repositories over it. */
export interface DialectHarness<DB, R> {
  readonly target: string;
  readonly database: Database<DB>;
  readonly repos: R;
  readonly clock: ManualClock;
  readonly ids: RandomIdGenerator;
  /** What the first and second `migrateToLatest` reported as applied. */
  readonly migrated: { first: string[]; second: string[] };
}

export interface DialectSuite<DB, R> {
  title: string;
  /** Names the scratch databases (letters, digits, underscores). */
  prefix: string;
  migrations: SchemaMigration[];
  repos(deps: { database: Database<DB>; clock: ManualClock; ids: RandomIdGenerator }): R;
}

/**
 * Declares the same suite once per dialect target. Each gets its own fresh database, migrated
 * twice (the second run must apply nothing), closed and dropped when the suite ends. Test bodies
 * read the harness through the getter, inside tests or hooks only.
 *
 * @example
 * describeEachDialect(targets, { title: 'API repos', prefix: 'api', migrations: apiMigrations,
 *   repos: ({ database, clock, ids }) => createApiRepos({ db: database.db, clock, ids }) }, (h) => {
 *   it('works', async () => { await h().repos.flavors.list(); });
 * });
 */
export function describeEachDialect<DB, R>(targets: DialectTarget[], suite: DialectSuite<DB, R>, body: (harness: () => DialectHarness<DB, R>) => void): void {
  for (const target of targets) {
    describe(`${suite.title} [${target.name}]`, { skip: target.skip }, () => {
      let harness: DialectHarness<DB, R> | undefined;
      let scratch: ScratchDatabase | undefined;
      let database: Database<DB> | undefined;

      before(async () => {
        scratch = await target.create(suite.prefix);
        // Kept outside the harness so that `after` closes it even when migration fails.
        const opened = openDatabase<DB>(scratch.url);
        database = opened;
        const clock = new ManualClock();
        const ids = new RandomIdGenerator();
        const first = await migrateToLatest(opened, suite.migrations);
        const second = await migrateToLatest(opened, suite.migrations);
        harness = { target: target.name, database: opened, clock, ids, repos: suite.repos({ database: opened, clock, ids }), migrated: { first, second } };
      });

      after(async () => {
        try {
          await database?.close();
        } finally {
          await scratch?.drop();
        }
      });

      body(() => {
        if (harness === undefined) throw new Error(`The ${target.name} database of "${suite.title}" was not set up`);
        return harness;
      });
    });
  }
}
