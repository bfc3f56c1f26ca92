import type { Kysely } from 'kysely';
import type { Clock } from '../../common/clock.js';
import { prepareQuery, type Placeholders } from '../prepared-query.js';
import type { ApiSchema } from './api-schema.js';

// Read by every request that creates or resizes servers.
const limitsOf = prepareQuery((db: Kysely<ApiSchema>, p: Placeholders<{ projectId: string }>) => db.selectFrom('quotas').select(['resource', 'hard_limit']).where('project_id', '=', p.projectId));

/**
 * The limits a project has of its own (Nova's `quotas` table): one row per resource whose
 * `[quota]` default an administrator changed. Resources without a row use the default.
 *
 * @example
 * await repos.quotas.set('p1', { instances: 5, cores: -1 });
 * await repos.quotas.ofProject('p1'); // { instances: 5, cores: -1 }
 */
export class QuotaRepo {
  constructor(private readonly deps: { db: Kysely<ApiSchema>; clock: Clock }) {}

  /** The project's own limits by resource name. */
  async ofProject(projectId: string): Promise<Record<string, number>> {
    const rows = await limitsOf.rows(this.deps.db, { projectId });
    return Object.fromEntries(rows.map((r) => [r.resource, Number(r.hard_limit)]));
  }

  /** Sets the limits given (inserting or updating each), all in one transaction. */
  async set(projectId: string, limits: Readonly<Record<string, number>>): Promise<void> {
    const now = this.deps.clock.now().toISOString();
    await this.deps.db.transaction().execute(async (trx) => {
      for (const [resource, hardLimit] of Object.entries(limits)) {
        await trx
          .insertInto('quotas')
          .values({ project_id: projectId, resource, hard_limit: hardLimit, created_at: now, updated_at: null })
          .onConflict((oc) => oc.columns(['project_id', 'resource']).doUpdateSet({ hard_limit: hardLimit, updated_at: now }))
          .execute();
      }
    });
  }

  /** Drops every limit of the project, so that it is back on the defaults. */
  async deleteProject(projectId: string): Promise<void> {
    await this.deps.db.deleteFrom('quotas').where('project_id', '=', projectId).execute();
  }
}
