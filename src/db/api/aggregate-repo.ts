import type { Kysely } from 'kysely';
import type { Clock } from '../../common/clock.js';
import { ConflictError, NotFoundError } from '../../common/errors.js';
import type { IdGenerator } from '../../common/ids.js';
import { prepareQuery, type Placeholders } from '../prepared-query.js';
import { isUniqueViolation } from '../unique-violation.js';
import type { ApiSchema } from './api-schema.js';

type Db = Kysely<ApiSchema>;

// A boot that names a zone checks it against every zone, and one that does not gets its host's
// zone once scheduled: prepared once each.
const allZoneNames = prepareQuery((db: Db) => db.selectFrom('aggregate_metadata').select('value').distinct().where('key', '=', 'availability_zone'));
const zoneOfHost = prepareQuery((db: Db, p: Placeholders<{ host: string }>) =>
  db
    .selectFrom('aggregate_hosts as h')
    .innerJoin('aggregate_metadata as m', 'm.aggregate_id', 'h.aggregate_id')
    .select('m.value')
    .where('h.host', '=', p.host)
    .where('m.key', '=', 'availability_zone'),
);
// Host discovery puts every new compute host in its cell's zone, one insert per host (thousands
// on a cloud's first start): prepared once each.
const insertAggregateIfAbsent = prepareQuery((db: Db, p: Placeholders<{ uuid: string; name: string; now: string }>) =>
  db
    .insertInto('aggregates')
    .values({ uuid: p.uuid, name: p.name, created_at: p.now, updated_at: null })
    .onConflict((oc) => oc.column('name').doNothing()),
);
const aggregateIdByName = prepareQuery((db: Db, p: Placeholders<{ name: string }>) => db.selectFrom('aggregates').select('id').where('name', '=', p.name));
const insertZoneIfAbsent = prepareQuery((db: Db, p: Placeholders<{ id: number; zone: string; now: string }>) =>
  db
    .insertInto('aggregate_metadata')
    .values({ aggregate_id: p.id, key: 'availability_zone', value: p.zone, created_at: p.now, updated_at: null })
    // An operator may have re-zoned the aggregate since; discovery must not undo that.
    .onConflict((oc) => oc.columns(['aggregate_id', 'key']).doNothing()),
);
const insertHostIfAbsent = prepareQuery((db: Db, p: Placeholders<{ id: number; host: string; now: string }>) =>
  db
    .insertInto('aggregate_hosts')
    .values({ aggregate_id: p.id, host: p.host, created_at: p.now, updated_at: null })
    .onConflict((oc) => oc.columns(['aggregate_id', 'host']).doNothing()),
);

export interface Aggregate {
  id: number;
  uuid: string;
  name: string;
  hosts: string[];
  metadata: Record<string, string>;
  created_at: string;
  updated_at: string | null;
}

/** What `update` may change: the name, and metadata keys (a null value deletes the key). */
export interface AggregateChanges {
  name?: string;
  metadata?: Record<string, string | null>;
}

/**
 * Checks a write against the aggregates as they are inside the write's transaction (the target,
 * and every aggregate); throws to refuse it, and nothing is written.
 */
export type AggregateGuard = (target: Aggregate, all: readonly Aggregate[]) => void;

/** Host aggregates and their metadata; an availability zone is an aggregate's `availability_zone`. */
export class AggregateRepo {
  constructor(private readonly deps: { db: Kysely<ApiSchema>; clock: Clock; ids: IdGenerator }) {}

  async list(): Promise<Aggregate[]> {
    return loadAggregates(this.deps.db);
  }

  async find(id: number): Promise<Aggregate | undefined> {
    return (await loadAggregates(this.deps.db, id))[0];
  }

  /** @throws NotFoundError `compute.aggregate_not_found` */
  async get(id: number): Promise<Aggregate> {
    const agg = await this.find(id);
    if (agg === undefined) throw aggregateNotFound(id);
    return agg;
  }

  /** Every availability zone some aggregate names; one small query, for request validation. */
  async zoneNames(): Promise<Set<string>> {
    const rows = await allZoneNames.rows(this.deps.db, {});
    return new Set(rows.map((r) => r.value));
  }

  /** The availability zone of one host, if a zoned aggregate holds it; a point lookup. */
  async zoneOf(host: string): Promise<string | undefined> {
    const row = await zoneOfHost.takeFirst(this.deps.db, { host });
    return row?.value;
  }

  /**
   * Creates an aggregate, zoned when `availabilityZone` is given.
   *
   * @throws ConflictError `compute.aggregate_name_exists` when the name is taken.
   */
  async create(values: { name: string; availabilityZone?: string | null }): Promise<Aggregate> {
    const now = this.deps.clock.now().toISOString();
    let id: number;
    try {
      id = await this.deps.db.transaction().execute(async (trx) => {
        const clash = await trx.selectFrom('aggregates').select('id').where('name', '=', values.name).executeTakeFirst();
        if (clash !== undefined) throw nameExists(values.name);
        await trx.insertInto('aggregates').values({ uuid: this.deps.ids.uuid(), name: values.name, created_at: now, updated_at: null }).execute();
        const row = (await trx.selectFrom('aggregates').select('id').where('name', '=', values.name).executeTakeFirst()) as { id: number };
        const zone = values.availabilityZone;
        if (zone !== undefined && zone !== null) {
          await trx.insertInto('aggregate_metadata').values({ aggregate_id: row.id, key: 'availability_zone', value: zone, created_at: now, updated_at: null }).execute();
        }
        return row.id;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw nameExists(values.name, err);
      throw err;
    }
    return this.get(id);
  }

  /**
   * Renames the aggregate and/or changes metadata keys (null deletes a key, absent keys stay),
   * after `guard` accepted the change.
   *
   * @throws NotFoundError when there is no such aggregate.
   * @throws ConflictError `compute.aggregate_name_exists` when the new name is taken.
   */
  async update(id: number, changes: AggregateChanges, guard?: AggregateGuard): Promise<Aggregate> {
    const now = this.deps.clock.now().toISOString();
    try {
      await this.deps.db.transaction().execute(async (trx) => {
        await guarded(trx, id, guard);
        if (changes.name !== undefined) {
          const clash = await trx.selectFrom('aggregates').select('id').where('name', '=', changes.name).where('id', '!=', id).executeTakeFirst();
          if (clash !== undefined) throw nameExists(changes.name);
          await trx.updateTable('aggregates').set({ name: changes.name }).where('id', '=', id).execute();
        }
        for (const [key, value] of Object.entries(changes.metadata ?? {})) {
          if (value === null) {
            await trx.deleteFrom('aggregate_metadata').where('aggregate_id', '=', id).where('key', '=', key).execute();
          } else {
            await trx
              .insertInto('aggregate_metadata')
              .values({ aggregate_id: id, key, value, created_at: now, updated_at: null })
              .onConflict((oc) => oc.columns(['aggregate_id', 'key']).doUpdateSet({ value, updated_at: now }))
              .execute();
          }
        }
        await trx.updateTable('aggregates').set({ updated_at: now }).where('id', '=', id).execute();
      });
    } catch (err) {
      if (isUniqueViolation(err) && changes.name !== undefined) throw nameExists(changes.name, err);
      throw err;
    }
    return this.get(id);
  }

  /**
   * Adds the host after `guard` accepted it.
   *
   * @throws NotFoundError when there is no such aggregate.
   * @throws ConflictError `compute.aggregate_host_exists` when the host is in it already.
   */
  async addHost(id: number, host: string, guard?: AggregateGuard): Promise<Aggregate> {
    const exists = new ConflictError('compute.aggregate_host_exists', `Aggregate ${id} already has host ${host}.`);
    try {
      await this.deps.db.transaction().execute(async (trx) => {
        const target = await guarded(trx, id, guard);
        if (target.hosts.includes(host)) throw exists;
        await trx.insertInto('aggregate_hosts').values({ aggregate_id: id, host, created_at: this.deps.clock.now().toISOString(), updated_at: null }).execute();
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw exists;
      throw err;
    }
    return this.get(id);
  }

  /**
   * Removes the host after `guard` accepted it.
   *
   * @throws NotFoundError when there is no such aggregate, or the host is not in it.
   */
  async removeHost(id: number, host: string, guard?: AggregateGuard): Promise<Aggregate> {
    await this.deps.db.transaction().execute(async (trx) => {
      await guarded(trx, id, guard);
      const res = await trx.deleteFrom('aggregate_hosts').where('aggregate_id', '=', id).where('host', '=', host).executeTakeFirst();
      if (Number(res.numDeletedRows) === 0) throw new NotFoundError('compute.aggregate_host_not_found', `Aggregate ${id} has no host ${host}.`);
    });
    return this.get(id);
  }

  /** Deletes the aggregate with its metadata after `guard` accepted it. @throws NotFoundError */
  async delete(id: number, guard?: AggregateGuard): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      await guarded(trx, id, guard);
      await trx.deleteFrom('aggregate_metadata').where('aggregate_id', '=', id).execute();
      await trx.deleteFrom('aggregate_hosts').where('aggregate_id', '=', id).execute();
      await trx.deleteFrom('aggregates').where('id', '=', id).execute();
    });
  }

  /** Creates the aggregate (zoned) when absent, and adds the hosts it lacks; safe to run concurrently. */
  async ensureZone(name: string, zone: string, hosts: string[]): Promise<void> {
    const now = this.deps.clock.now().toISOString();
    await this.deps.db.transaction().execute(async (trx) => {
      await insertAggregateIfAbsent.run(trx, { uuid: this.deps.ids.uuid(), name, now });
      const agg = (await aggregateIdByName.takeFirst(trx, { name })) as { id: number };
      await insertZoneIfAbsent.run(trx, { id: agg.id, zone, now });
      for (const host of hosts) await insertHostIfAbsent.run(trx, { id: agg.id, host, now });
    });
  }
}

/** Every aggregate, or only the one with `id`, with hosts (sorted) and metadata. */
async function loadAggregates(db: Kysely<ApiSchema>, id?: number): Promise<Aggregate[]> {
  let aggQ = db.selectFrom('aggregates').selectAll();
  let hostQ = db.selectFrom('aggregate_hosts').select(['aggregate_id', 'host']);
  let metaQ = db.selectFrom('aggregate_metadata').select(['aggregate_id', 'key', 'value']);
  if (id !== undefined) {
    aggQ = aggQ.where('id', '=', id);
    hostQ = hostQ.where('aggregate_id', '=', id);
    metaQ = metaQ.where('aggregate_id', '=', id);
  }
  const [aggs, hosts, meta] = await Promise.all([aggQ.orderBy('id').execute(), hostQ.orderBy('host').execute(), metaQ.orderBy('key').execute()]);
  const hostsOf = new Map<number, string[]>();
  for (const h of hosts) {
    const list = hostsOf.get(h.aggregate_id);
    if (list === undefined) hostsOf.set(h.aggregate_id, [h.host]);
    else list.push(h.host);
  }
  const metaOf = new Map<number, Record<string, string>>();
  for (const m of meta) {
    const record = metaOf.get(m.aggregate_id) ?? {};
    record[m.key] = m.value;
    metaOf.set(m.aggregate_id, record);
  }
  return aggs.map((a) => ({
    id: a.id,
    uuid: a.uuid,
    name: a.name,
    hosts: hostsOf.get(a.id) ?? [],
    metadata: metaOf.get(a.id) ?? {},
    created_at: a.created_at,
    updated_at: a.updated_at,
  }));
}

/** Loads the target inside the transaction (404 when absent) and lets the guard judge the change. */
async function guarded(trx: Kysely<ApiSchema>, id: number, guard: AggregateGuard | undefined): Promise<Aggregate> {
  const all = await loadAggregates(trx);
  const target = all.find((a) => a.id === id);
  if (target === undefined) throw aggregateNotFound(id);
  guard?.(target, all);
  return target;
}

function aggregateNotFound(id: number): NotFoundError {
  return new NotFoundError('compute.aggregate_not_found', `Aggregate ${id} could not be found.`);
}

function nameExists(name: string, cause?: unknown): ConflictError {
  return new ConflictError('compute.aggregate_name_exists', `Aggregate ${name} already exists.`, cause === undefined ? {} : { cause });
}
