import type { ProviderChange } from '../model/provider-change.js';
import { badRequest } from '../placement-errors.js';
import type { Catalog } from './catalog.js';
import type { PlacementDb } from './placement-database.js';
import { bumpGeneration, checkGeneration, getProviderRow } from './provider-row.js';

interface LinkArgs {
  uuid: string;
  expectedGeneration: number | undefined;
  now: string;
}

/** Replaces a provider's aggregates (uuids) and bumps its generation. */
export async function writeAggregates(trx: PlacementDb, args: LinkArgs & { aggregates: readonly string[] }): Promise<{ generation: number; change: ProviderChange }> {
  const row = await getProviderRow(trx, args.uuid);
  checkGeneration(row, args.expectedGeneration);
  const wanted = new Set(args.aggregates);
  const current = new Set((await trx.selectFrom('provider_aggregates').select('aggregate_uuid').where('resource_provider_id', '=', row.id).execute()).map((r) => r.aggregate_uuid));
  const gone = [...current].filter((a) => !wanted.has(a));
  const added = [...wanted].filter((a) => !current.has(a));
  if (gone.length > 0) await trx.deleteFrom('provider_aggregates').where('resource_provider_id', '=', row.id).where('aggregate_uuid', 'in', gone).execute();
  if (added.length > 0) {
    await trx.insertInto('provider_aggregates').values(added.map((aggregate_uuid) => ({ resource_provider_id: row.id, aggregate_uuid, created_at: args.now }))).execute();
  }
  const generation = await bumpGeneration(trx, row, args.now);
  return { generation, change: { kind: 'aggregates', uuid: args.uuid, fromGeneration: row.generation, toGeneration: generation, aggregates: [...wanted] } };
}

/**
 * Replaces a provider's traits and bumps its generation. Every name must be a known trait
 * (checked against the catalog, which the caller refreshed before the transaction).
 */
export async function writeTraits(trx: PlacementDb, catalog: Catalog, args: LinkArgs & { traits: readonly string[] }): Promise<{ generation: number; change: ProviderChange }> {
  const row = await getProviderRow(trx, args.uuid);
  checkGeneration(row, args.expectedGeneration);
  const wanted = new Map<number, string>();
  for (const name of args.traits) {
    const id = catalog.traitId(name);
    if (id === undefined) throw badRequest(`No such trait(s): ${name}.`);
    wanted.set(id, name);
  }
  const current = new Set((await trx.selectFrom('provider_traits').select('trait_id').where('resource_provider_id', '=', row.id).execute()).map((r) => r.trait_id));
  const gone = [...current].filter((id) => !wanted.has(id));
  const added = [...wanted.keys()].filter((id) => !current.has(id));
  if (gone.length > 0) await trx.deleteFrom('provider_traits').where('resource_provider_id', '=', row.id).where('trait_id', 'in', gone).execute();
  if (added.length > 0) {
    await trx.insertInto('provider_traits').values(added.map((trait_id) => ({ resource_provider_id: row.id, trait_id, created_at: args.now }))).execute();
  }
  const generation = await bumpGeneration(trx, row, args.now);
  return { generation, change: { kind: 'traits', uuid: args.uuid, fromGeneration: row.generation, toGeneration: generation, traits: [...wanted.values()] } };
}
