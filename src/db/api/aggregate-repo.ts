import type { Kysely } from 'kysely';
import type { Clock } from '../../common/clock.js';
import type { IdGenerator } from '../../common/ids.js';
import type { ApiSchema } from './api-schema.js';

export interface Aggregate {
  id: number;
  uuid: string;
  name: string;
  hosts: string[];
  metadata: Record<string, string>;
  created_at: string;
  updated_at: string | null;
}

/** Host aggregates and their metadata; an availability zone is an aggregate's `availability_zone`. */
export class AggregateRepo {
  constructor(private readonly deps: { db: Kysely<ApiSchema>; clock: Clock; ids: IdGenerator }) {}

  async list(): Promise<Aggregate[]> {
    const [aggs, hosts, meta] = await Promise.all([
      this.deps.db.selectFrom('aggregates').selectAll().orderBy('id').execute(),
      this.deps.db.selectFrom('aggregate_hosts').select(['aggregate_id', 'host']).orderBy('host').execute(),
      this.deps.db.selectFrom('aggregate_metadata').select(['aggregate_id', 'key', 'value']).execute(),
    ]);
    return aggs.map((a) => ({
      id: a.id,
      uuid: a.uuid,
      name: a.name,
      hosts: hosts.filter((h) => h.aggregate_id === a.id).map((h) => h.host),
      metadata: Object.fromEntries(meta.filter((m) => m.aggregate_id === a.id).map((m) => [m.key, m.value])),
      created_at: a.created_at,
      updated_at: a.updated_at,
    }));
  }

  /** The availability zone of each host that is in a zoned aggregate. */
  async zonesByHost(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const agg of await this.list()) {
      const zone = agg.metadata['availability_zone'];
      if (zone !== undefined) for (const h of agg.hosts) out.set(h, zone);
    }
    return out;
  }

  /** Creates the aggregate (zoned) when absent, and adds the hosts it lacks; safe to run concurrently. */
  async ensureZone(name: string, zone: string, hosts: string[]): Promise<void> {
    const now = this.deps.clock.now().toISOString();
    await this.deps.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('aggregates')
        .values({ uuid: this.deps.ids.uuid(), name, created_at: now, updated_at: null })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      const agg = (await trx.selectFrom('aggregates').select('id').where('name', '=', name).executeTakeFirst()) as { id: number };
      await trx
        .insertInto('aggregate_metadata')
        .values({ aggregate_id: agg.id, key: 'availability_zone', value: zone, created_at: now, updated_at: null })
        // An operator may have re-zoned the aggregate since; discovery must not undo that.
        .onConflict((oc) => oc.columns(['aggregate_id', 'key']).doNothing())
        .execute();
      for (const host of hosts) {
        await trx
          .insertInto('aggregate_hosts')
          .values({ aggregate_id: agg.id, host, created_at: now, updated_at: null })
          .onConflict((oc) => oc.columns(['aggregate_id', 'host']).doNothing())
          .execute();
      }
    });
  }
}
