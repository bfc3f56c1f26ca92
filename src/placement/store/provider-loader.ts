import type { ProviderState, InventoryValues } from '../model/provider-state.js';
import { newProviderMemo, resourceState } from '../model/provider-state.js';
import { num, type PlacementDb } from './placement-database.js';

/** Which providers to load: all of them, or those with the given uuids or names. */
export type ProviderSelection = { all: true } | { uuids: readonly string[] } | { names: readonly string[] };

/**
 * Reads providers with their inventories, usage totals, aggregates and traits. Run it inside a
 * read snapshot so that each provider's generation matches the rest of what is read.
 */
export async function loadProviders(db: PlacementDb, selection: ProviderSelection): Promise<ProviderState[]> {
  let q = db
    .selectFrom('resource_providers as rp')
    .leftJoin('resource_providers as parent', 'parent.id', 'rp.parent_provider_id')
    .leftJoin('resource_providers as root', 'root.id', 'rp.root_provider_id')
    .select(['rp.id', 'rp.uuid', 'rp.name', 'rp.generation', 'rp.created_at', 'rp.updated_at', 'parent.uuid as parent_uuid', 'root.uuid as root_uuid'])
    .orderBy('rp.id');
  if ('uuids' in selection) {
    if (selection.uuids.length === 0) return [];
    q = q.where('rp.uuid', 'in', [...selection.uuids]);
  } else if ('names' in selection) {
    if (selection.names.length === 0) return [];
    q = q.where('rp.name', 'in', [...selection.names]);
  }
  const rows = await q.execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const inIds = 'all' in selection ? undefined : ids;

  let invQ = db
    .selectFrom('inventories as i')
    .innerJoin('resource_classes as rc', 'rc.id', 'i.resource_class_id')
    .select(['i.resource_provider_id', 'rc.name', 'i.total', 'i.reserved', 'i.min_unit', 'i.max_unit', 'i.step_size', 'i.allocation_ratio']);
  let useQ = db
    .selectFrom('allocations as a')
    .innerJoin('resource_classes as rc', 'rc.id', 'a.resource_class_id')
    .select((eb) => ['a.resource_provider_id', 'rc.name', eb.fn.sum<number | string>('a.used').as('used')])
    .groupBy(['a.resource_provider_id', 'rc.name']);
  let aggQ = db.selectFrom('provider_aggregates').select(['resource_provider_id', 'aggregate_uuid']);
  let traitQ = db
    .selectFrom('provider_traits as pt')
    .innerJoin('traits as t', 't.id', 'pt.trait_id')
    .select(['pt.resource_provider_id', 't.name']);
  if (inIds !== undefined) {
    invQ = invQ.where('i.resource_provider_id', 'in', inIds);
    useQ = useQ.where('a.resource_provider_id', 'in', inIds);
    aggQ = aggQ.where('resource_provider_id', 'in', inIds);
    traitQ = traitQ.where('pt.resource_provider_id', 'in', inIds);
  }
  const inventories = await invQ.execute();
  const usages = await useQ.execute();
  const aggregates = await aggQ.execute();
  const traits = await traitQ.execute();

  const used = new Map<string, number>();
  for (const u of usages) used.set(`${u.resource_provider_id}/${u.name}`, num(u.used));
  const invByProvider = groupBy(inventories, (i) => i.resource_provider_id);
  const aggsByProvider = groupBy(aggregates, (a) => a.resource_provider_id);
  const traitsByProvider = groupBy(traits, (t) => t.resource_provider_id);

  return rows.map((row) => {
    const resources = new Map<string, ReturnType<typeof resourceState>>();
    for (const inv of invByProvider.get(row.id) ?? []) {
      const values: InventoryValues = {
        total: inv.total,
        reserved: inv.reserved,
        min_unit: inv.min_unit,
        max_unit: inv.max_unit,
        step_size: inv.step_size,
        allocation_ratio: Number(inv.allocation_ratio),
      };
      resources.set(inv.name, resourceState(values, used.get(`${row.id}/${inv.name}`) ?? 0));
    }
    const traitNames = (traitsByProvider.get(row.id) ?? []).map((t) => t.name).sort();
    return {
      id: row.id,
      uuid: row.uuid,
      name: row.name,
      generation: row.generation,
      parentUuid: row.parent_uuid ?? null,
      rootUuid: row.root_uuid ?? row.uuid,
      resources,
      aggregates: new Set((aggsByProvider.get(row.id) ?? []).map((a) => a.aggregate_uuid)),
      traits: new Set(traitNames),
      traitList: traitNames,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      memo: newProviderMemo(),
    };
  });
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list === undefined) out.set(k, [item]);
    else list.push(item);
  }
  return out;
}
