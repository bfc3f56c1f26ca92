import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../../common/clock.js';
import { ConflictError, NotFoundError } from '../../common/errors.js';
import type { Flavor } from '../../objects/flavor.js';
import { listOf, preparedFamily, prepareQuery, type AnyPlaceholders, type Placeholders } from '../prepared-query.js';
import { isUniqueViolation } from '../unique-violation.js';
import type { ApiSchema, FlavorTable } from './api-schema.js';

type Db = Kysely<ApiSchema>;

// Every boot resolves its flavor and the flavor's extra specs: prepared once (the specs once per
// number of flavors asked for, usually one).
const flavorByFlavorid = prepareQuery((db: Db, p: Placeholders<{ flavorid: string }>) => db.selectFrom('flavors').selectAll().where('flavorid', '=', p.flavorid));
const extraSpecsOfFlavors = preparedFamily(String, (db: Db, p: AnyPlaceholders, n: number) =>
  db.selectFrom('flavor_extra_specs').select(['flavor_id', 'key', 'value']).where('flavor_id', 'in', listOf<number>(p, 'f', n)),
);

export interface NewFlavor {
  flavorid: string;
  name: string;
  memory_mb: number;
  vcpus: number;
  root_gb: number;
  ephemeral_gb: number;
  swap: number;
  rxtx_factor: number;
  is_public: boolean;
  description: string | null;
}

export interface FlavorQuery {
  isPublic?: boolean | undefined;
  minRam?: number;
  minDisk?: number;
  sortKey?: 'flavorid' | 'name' | 'memory_mb' | 'vcpus' | 'root_gb' | 'id' | 'created_at';
  sortDir?: 'asc' | 'desc';
}

/** Flavors and their extra specs, in the API database. */
export class FlavorRepo {
  constructor(private readonly deps: { db: Kysely<ApiSchema>; clock: Clock }) {}

  async list(query: FlavorQuery = {}): Promise<Flavor[]> {
    let q = this.deps.db.selectFrom('flavors').selectAll();
    if (query.isPublic !== undefined) q = q.where('is_public', '=', query.isPublic ? 1 : 0);
    if (query.minRam !== undefined) q = q.where('memory_mb', '>=', query.minRam);
    if (query.minDisk !== undefined) q = q.where('root_gb', '>=', query.minDisk);
    q = q.orderBy(query.sortKey ?? 'flavorid', query.sortDir ?? 'asc').orderBy('id', 'asc');
    const rows = await q.execute();
    const specs = await this.extraSpecsOf(rows.map((r) => r.id));
    return rows.map((r) => toFlavor(r, specs.get(r.id) ?? {}));
  }

  async find(flavorid: string): Promise<Flavor | undefined> {
    const row = await flavorByFlavorid.takeFirst(this.deps.db, { flavorid });
    if (row === undefined) return undefined;
    return toFlavor(row, (await this.extraSpecsOf([row.id])).get(row.id) ?? {});
  }

  async get(flavorid: string): Promise<Flavor> {
    const f = await this.find(flavorid);
    if (f === undefined) throw new NotFoundError('compute.flavor_not_found', `Flavor ${flavorid} could not be found.`);
    return f;
  }

  async create(values: NewFlavor): Promise<Flavor> {
    const clash = await this.deps.db
      .selectFrom('flavors')
      .select(['flavorid', 'name'])
      .where((eb) => eb.or([eb('flavorid', '=', values.flavorid), eb('name', '=', values.name)]))
      .executeTakeFirst();
    if (clash !== undefined) {
      const what = clash.flavorid === values.flavorid ? `ID ${values.flavorid}` : `name ${values.name}`;
      throw new ConflictError('compute.flavor_exists', `Flavor with ${what} already exists.`);
    }
    try {
      await this.deps.db
        .insertInto('flavors')
        .values({ ...values, is_public: values.is_public ? 1 : 0, disabled: 0, vcpu_weight: null, created_at: this.deps.clock.now().toISOString(), updated_at: null })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError('compute.flavor_exists', `Flavor with ID ${values.flavorid} or name ${values.name} already exists.`, { cause: err });
      throw err;
    }
    return this.get(values.flavorid);
  }

  /** Replaces a flavor's description (the only field Nova lets change after creation). */
  async setDescription(flavorid: string, description: string | null): Promise<Flavor> {
    const res = await this.deps.db
      .updateTable('flavors')
      .set({ description, updated_at: this.deps.clock.now().toISOString() })
      .where('flavorid', '=', flavorid)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw new NotFoundError('compute.flavor_not_found', `Flavor ${flavorid} could not be found.`);
    return this.get(flavorid);
  }

  async delete(flavorid: string): Promise<void> {
    const res = await this.deps.db.deleteFrom('flavors').where('flavorid', '=', flavorid).executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) throw new NotFoundError('compute.flavor_not_found', `Flavor ${flavorid} could not be found.`);
  }

  async setExtraSpecs(flavorid: string, specs: Record<string, string>): Promise<Flavor> {
    const flavor = await this.get(flavorid);
    const now = this.deps.clock.now().toISOString();
    await this.deps.db.transaction().execute(async (trx) => {
      for (const [key, value] of Object.entries(specs)) {
        await trx
          .insertInto('flavor_extra_specs')
          .values({ flavor_id: flavor.id, key, value, created_at: now, updated_at: null })
          .onConflict((oc) => oc.columns(['flavor_id', 'key']).doUpdateSet({ value, updated_at: now }))
          .execute();
      }
    });
    return this.get(flavorid);
  }

  async deleteExtraSpec(flavorid: string, key: string): Promise<void> {
    const flavor = await this.get(flavorid);
    const res = await this.deps.db.deleteFrom('flavor_extra_specs').where('flavor_id', '=', flavor.id).where('key', '=', key).executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) {
      throw new NotFoundError('compute.flavor_extra_spec_not_found', `Flavor ${flavorid} has no extra specs with key ${key}.`);
    }
  }

  private async extraSpecsOf(ids: number[]): Promise<Map<number, Record<string, string>>> {
    const out = new Map<number, Record<string, string>>();
    if (ids.length === 0) return out;
    const rows = await extraSpecsOfFlavors.of(ids.length).rows(this.deps.db, { f: ids });
    for (const r of rows) out.set(r.flavor_id, { ...(out.get(r.flavor_id) ?? {}), [r.key]: r.value });
    return out;
  }
}

function toFlavor(row: Selectable<FlavorTable>, extraSpecs: Record<string, string>): Flavor {
  return {
    id: row.id,
    flavorid: row.flavorid,
    name: row.name,
    memory_mb: row.memory_mb,
    vcpus: row.vcpus,
    root_gb: row.root_gb,
    ephemeral_gb: row.ephemeral_gb,
    swap: row.swap,
    rxtx_factor: Number(row.rxtx_factor),
    vcpu_weight: row.vcpu_weight,
    disabled: row.disabled === 1,
    is_public: row.is_public === 1,
    description: row.description,
    extra_specs: extraSpecs,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
