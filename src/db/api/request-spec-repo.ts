import type { Kysely } from 'kysely';
import type { Clock } from '../../common/clock.js';
import { NotFoundError } from '../../common/errors.js';
import type { RequestSpec } from '../../objects/request-spec.js';
import { prepareQuery, type Placeholders } from '../prepared-query.js';
import type { ApiSchema } from './api-schema.js';

type Db = Kysely<ApiSchema>;

// Every boot stores its spec and the conductor reads it back: prepared once.
const insertSpec = prepareQuery((db: Db, p: Placeholders<{ instanceUuid: string; spec: string; now: string }>) =>
  db.insertInto('request_specs').values({ instance_uuid: p.instanceUuid, spec: p.spec, created_at: p.now, updated_at: null }),
);
const specOf = prepareQuery((db: Db, p: Placeholders<{ instanceUuid: string }>) => db.selectFrom('request_specs').select('spec').where('instance_uuid', '=', p.instanceUuid));

/** Request specs: what each instance asked the scheduler for, kept for later moves. */
export class RequestSpecRepo {
  constructor(private readonly deps: { db: Kysely<ApiSchema>; clock: Clock }) {}

  async create(spec: RequestSpec): Promise<void> {
    await insertSpec.run(this.deps.db, { instanceUuid: spec.instance_uuid, spec: JSON.stringify(spec), now: this.deps.clock.now().toISOString() });
  }

  async get(instanceUuid: string): Promise<RequestSpec> {
    const row = await specOf.takeFirst(this.deps.db, { instanceUuid });
    if (row === undefined) throw new NotFoundError('compute.request_spec_not_found', `RequestSpec not found for instance ${instanceUuid}`);
    return JSON.parse(row.spec) as RequestSpec;
  }

  /** Replaces the stored spec of the instance (an operator restricting where it may move, say). */
  async save(spec: RequestSpec): Promise<void> {
    await this.deps.db
      .updateTable('request_specs')
      .set({ spec: JSON.stringify(spec), updated_at: this.deps.clock.now().toISOString() })
      .where('instance_uuid', '=', spec.instance_uuid)
      .execute();
  }

  async delete(instanceUuid: string): Promise<void> {
    await this.deps.db.deleteFrom('request_specs').where('instance_uuid', '=', instanceUuid).execute();
  }
}
