import { ConflictError } from '../../common/errors.js';
import { isUniqueViolation } from '../../db/unique-violation.js';
import { addDelta, type ProviderChange } from '../model/provider-change.js';
import { capacityOf } from '../model/provider-state.js';
import { AllocationRejectedError, PlacementCode, badRequest, consumerGenerationConflict } from '../placement-errors.js';
import type { Catalog } from './catalog.js';
import { num, type PlacementDb } from './placement-database.js';
import { bumpGeneration, type ProviderRow } from './provider-row.js';
import { columnsOf, listOf, preparedFamily, prepareQuery, type AnyPlaceholders, type Placeholders } from '../../db/prepared-query.js';

// A claim runs each of these once; their shapes depend only on how many consumers, providers and
// resource classes it names (usually one, one and three), so each is prepared once per shape.
const consumersByUuid = preparedFamily(String, (db: PlacementDb, p: AnyPlaceholders, n: number) =>
  db.selectFrom('consumers').select(['id', 'uuid', 'generation', 'consumer_type']).where('uuid', 'in', listOf<string>(p, 'c', n)),
);
const allocationsOfConsumers = preparedFamily(String, (db: PlacementDb, p: AnyPlaceholders, n: number) =>
  db
    .selectFrom('allocations as a')
    .innerJoin('resource_classes as rc', 'rc.id', 'a.resource_class_id')
    .select(['a.resource_provider_id', 'a.resource_class_id', 'rc.name', 'a.used'])
    .where('a.consumer_id', 'in', listOf<string>(p, 'c', n)),
);
const deleteAllocationsOfConsumers = preparedFamily(String, (db: PlacementDb, p: AnyPlaceholders, n: number) => db.deleteFrom('allocations').where('consumer_id', 'in', listOf<string>(p, 'c', n)));
const providersByUuidOrId = preparedFamily(
  ([uuids, ids]: [number, number]) => `${uuids} ${ids}`,
  (db: PlacementDb, p: AnyPlaceholders, [uuids, ids]: [number, number]) =>
    db
      .selectFrom('resource_providers')
      .select(['id', 'uuid', 'generation'])
      .where((eb) => eb.or([...(uuids > 0 ? [eb('uuid', 'in', listOf<string>(p, 'u', uuids))] : []), ...(ids > 0 ? [eb('id', 'in', listOf<number>(p, 'i', ids))] : [])]))
      .orderBy('id'),
);
const inventoriesOf = preparedFamily(
  ([rps, rcs]: [number, number]) => `${rps} ${rcs}`,
  (db: PlacementDb, p: AnyPlaceholders, [rps, rcs]: [number, number]) =>
    db
      .selectFrom('inventories')
      .select(['resource_provider_id', 'resource_class_id', 'total', 'reserved', 'min_unit', 'max_unit', 'step_size', 'allocation_ratio'])
      .where('resource_provider_id', 'in', listOf<number>(p, 'rp', rps))
      .where('resource_class_id', 'in', listOf<number>(p, 'rc', rcs)),
);
const usageOf = preparedFamily(
  ([rps, rcs]: [number, number]) => `${rps} ${rcs}`,
  (db: PlacementDb, p: AnyPlaceholders, [rps, rcs]: [number, number]) =>
    db
      .selectFrom('allocations')
      .select((eb) => ['resource_provider_id', 'resource_class_id', eb.fn.sum<number | string>('used').as('used')])
      .where('resource_provider_id', 'in', listOf<number>(p, 'rp', rps))
      .where('resource_class_id', 'in', listOf<number>(p, 'rc', rcs))
      .groupBy(['resource_provider_id', 'resource_class_id']),
);
const ALLOCATION_COLUMNS = ['resource_provider_id', 'consumer_id', 'resource_class_id', 'used', 'created_at', 'updated_at'] as const;
const insertAllocations = preparedFamily(String, (db: PlacementDb, p: AnyPlaceholders, n: number) =>
  db.insertInto('allocations').values(Array.from({ length: n }, (_, i) => columnsOf(p, ALLOCATION_COLUMNS, `row${i}`) as unknown as AllocationRow)),
);
const insertConsumer = prepareQuery((db: PlacementDb, p: Placeholders<{ uuid: string; project: string; user: string; type: string | null; now: string }>) =>
  db.insertInto('consumers').values({ uuid: p.uuid, project_id: p.project, user_id: p.user, generation: 1, consumer_type: p.type, created_at: p.now, updated_at: null }),
);
const updateConsumer = prepareQuery((db: PlacementDb, p: Placeholders<{ id: number; from: number; to: number; project: string; user: string; type: string | null; now: string }>) =>
  db.updateTable('consumers').set({ generation: p.to, project_id: p.project, user_id: p.user, consumer_type: p.type, updated_at: p.now }).where('id', '=', p.id).where('generation', '=', p.from),
);
const deleteConsumer = prepareQuery((db: PlacementDb, p: Placeholders<{ id: number; generation: number }>) => db.deleteFrom('consumers').where('id', '=', p.id).where('generation', '=', p.generation));

interface AllocationRow {
  resource_provider_id: number;
  consumer_id: string;
  resource_class_id: number;
  used: number;
  created_at: string;
  updated_at: string | null;
}

/** Provider uuid → resource class → amount. */
export type AllocationMap = Readonly<Record<string, Readonly<Record<string, number>>>>;

/** The new allocations of one consumer: they replace all it had. */
export interface ConsumerAllocations {
  consumerUuid: string;
  /** An empty map removes every allocation of the consumer (and the consumer record). */
  allocations: AllocationMap;
  projectId: string;
  userId: string;
  /** null: the consumer must not exist yet; undefined: not checked (requests before 1.28). */
  consumerGeneration: number | null | undefined;
  /** Kept as it was when undefined. */
  consumerType?: string | undefined;
}

interface Inventory {
  total: number;
  reserved: number;
  min_unit: number;
  max_unit: number;
  step_size: number;
  allocation_ratio: number;
}

/**
 * Replaces the allocations of one or more consumers in one transaction, as Placement's
 * `_set_allocations` does: consumer generations are checked, the consumers' old allocations are
 * removed, every new amount is checked against min_unit/max_unit/step_size and
 * used + requested <= (total - reserved) * allocation_ratio (an over-capacity provider may still
 * take a change that leaves it no worse), the rows are written, and the generation of every
 * provider involved is bumped with compare-and-swap on the generation read at the start. Any
 * failure throws, and the caller's transaction rolls everything back.
 *
 * Resource class names must be known to the catalog (checked before the transaction).
 * @returns what happened to each provider, for the read model.
 * @throws AllocationRejectedError (409) when something does not fit; ConflictError
 *   `concurrent_update` on a consumer generation mismatch; ProviderGenerationConflict when a
 *   provider changed concurrently (retry); BadRequestError for an unknown provider.
 */
export async function writeAllocations(trx: PlacementDb, catalog: Catalog, writes: readonly ConsumerAllocations[], now: string): Promise<ProviderChange[]> {
  const consumerUuids = writes.map((w) => w.consumerUuid);
  const consumers = await consumersByUuid.of(consumerUuids.length).rows(trx, { c: consumerUuids });
  const consumerByUuid = new Map(consumers.map((c) => [c.uuid, c]));
  for (const w of writes) {
    if (w.consumerGeneration === undefined) continue;
    const current = consumerByUuid.get(w.consumerUuid)?.generation ?? null;
    if (current !== w.consumerGeneration) throw consumerGenerationConflict(current, w.consumerGeneration);
  }

  const old = await allocationsOfConsumers.of(consumerUuids.length).rows(trx, { c: consumerUuids });
  const newUuids = [...new Set(writes.flatMap((w) => Object.keys(w.allocations)))];
  const oldIds = [...new Set(old.map((a) => a.resource_provider_id))];
  const providers = await providerRows(trx, newUuids, oldIds);
  const byUuid = new Map(providers.map((p) => [p.uuid, p]));
  const byId = new Map(providers.map((p) => [p.id, p]));
  for (const uuid of newUuids) if (!byUuid.has(uuid)) throw badRequest(`Allocation for resource provider '${uuid}' that does not exist.`);

  await checkCapacity(trx, catalog, writes, byUuid, old);

  if (old.length > 0) await deleteAllocationsOfConsumers.of(consumerUuids.length).run(trx, { c: consumerUuids });
  const rows: AllocationRow[] = writes.flatMap((w) =>
    Object.entries(w.allocations).flatMap(([uuid, resources]) =>
      Object.entries(resources).map(([rc, used]) => ({
        resource_provider_id: (byUuid.get(uuid) as ProviderRow).id,
        consumer_id: w.consumerUuid,
        resource_class_id: catalog.classId(rc) as number,
        used,
        created_at: now,
        updated_at: null,
      })),
    ),
  );
  if (rows.length > 0) {
    const values: Record<string, unknown> = {};
    rows.forEach((row, i) => {
      values[`row${i}`] = ALLOCATION_COLUMNS.map((c) => row[c]);
    });
    await insertAllocations.of(rows.length).run(trx, values);
  }

  for (const w of writes) await saveConsumer(trx, w, consumerByUuid.get(w.consumerUuid), now);

  const deltas = new Map<string, Map<string, number>>();
  for (const a of old) addDelta(deltas, (byId.get(a.resource_provider_id) as ProviderRow).uuid, a.name, -a.used);
  for (const w of writes) for (const [uuid, resources] of Object.entries(w.allocations)) for (const [rc, n] of Object.entries(resources)) addDelta(deltas, uuid, rc, n);
  const changes: ProviderChange[] = [];
  for (const p of providers) {
    const generation = await bumpGeneration(trx, p, now);
    changes.push({ kind: 'usage', uuid: p.uuid, fromGeneration: p.generation, toGeneration: generation, deltas: deltas.get(p.uuid) ?? new Map() });
  }
  return changes;
}

async function providerRows(trx: PlacementDb, uuids: string[], ids: number[]): Promise<ProviderRow[]> {
  if (uuids.length === 0 && ids.length === 0) return [];
  return providersByUuidOrId.of([uuids.length, ids.length]).rows(trx, { i: ids, u: uuids });
}

async function checkCapacity(
  trx: PlacementDb,
  catalog: Catalog,
  writes: readonly ConsumerAllocations[],
  byUuid: ReadonlyMap<string, ProviderRow>,
  old: readonly { resource_provider_id: number; resource_class_id: number; used: number }[],
): Promise<void> {
  const needed = new Map<string, number>();
  const key = (rpId: number, rcId: number) => `${rpId}/${rcId}`;
  for (const w of writes) {
    for (const [uuid, resources] of Object.entries(w.allocations)) {
      for (const [rc, n] of Object.entries(resources)) {
        const k = key((byUuid.get(uuid) as ProviderRow).id, catalog.classId(rc) as number);
        needed.set(k, (needed.get(k) ?? 0) + n);
      }
    }
  }
  if (needed.size === 0) return;
  const rpIds = [...new Set([...byUuid.values()].map((p) => p.id))];
  const rcIds = [...new Set(writes.flatMap((w) => Object.values(w.allocations).flatMap((r) => Object.keys(r).map((rc) => catalog.classId(rc) as number))))];
  const ofProviders = { rp: rpIds, rc: rcIds };
  const inventories = await inventoriesOf.of([rpIds.length, rcIds.length]).rows(trx, ofProviders);
  const usage = await usageOf.of([rpIds.length, rcIds.length]).rows(trx, ofProviders);
  const invByKey = new Map<string, Inventory>(inventories.map((i) => [key(i.resource_provider_id, i.resource_class_id), { ...i, allocation_ratio: Number(i.allocation_ratio) }]));
  const before = new Map(usage.map((u) => [key(u.resource_provider_id, u.resource_class_id), num(u.used)]));
  const removed = new Map<string, number>();
  for (const a of old) removed.set(key(a.resource_provider_id, a.resource_class_id), (removed.get(key(a.resource_provider_id, a.resource_class_id)) ?? 0) + a.used);

  for (const w of writes) {
    for (const [uuid, resources] of Object.entries(w.allocations)) {
      const rpId = (byUuid.get(uuid) as ProviderRow).id;
      for (const [rc, amount] of Object.entries(resources)) {
        const k = key(rpId, catalog.classId(rc) as number);
        const inv = invByKey.get(k);
        if (inv === undefined) {
          throw new AllocationRejectedError(`Unable to allocate inventory: Inventory for '${rc}' on resource provider '${uuid}' invalid.`, { resource_provider: uuid, resource_class: rc, reason: 'no_inventory' });
        }
        if (amount < inv.min_unit || amount > inv.max_unit || amount % inv.step_size !== 0) {
          throw new AllocationRejectedError(
            `Unable to allocate inventory: Allocation for ${rc} on resource provider ${uuid} violates min_unit, max_unit, or step_size. Requested: ${amount}, min_unit: ${inv.min_unit}, max_unit: ${inv.max_unit}, step_size: ${inv.step_size}`,
            { resource_provider: uuid, resource_class: rc, reason: 'constraints' },
          );
        }
        const prev = before.get(k) ?? 0;
        const after = prev - (removed.get(k) ?? 0) + (needed.get(k) ?? 0);
        // Placement lets a provider that is already over capacity take a change that does not make it worse.
        if (after > capacityOf(inv) && after > prev) {
          throw new AllocationRejectedError(
            `Unable to allocate inventory: Unable to create allocation for '${rc}' on resource provider '${uuid}'. The requested amount would exceed the capacity.`,
            { resource_provider: uuid, resource_class: rc, reason: 'capacity' },
          );
        }
      }
    }
  }
}

type ConsumerRow = { id: number; uuid: string; generation: number; consumer_type: string | null };

/** Creates, updates (bumping the generation with compare-and-swap) or removes the consumer record. */
async function saveConsumer(trx: PlacementDb, w: ConsumerAllocations, row: ConsumerRow | undefined, now: string): Promise<void> {
  const hasAllocations = Object.keys(w.allocations).length > 0;
  const raced = () => new ConflictError(PlacementCode.CONCURRENT_UPDATE, `consumer ${w.consumerUuid} was changed by another request; refresh its generation and try again`);
  if (row === undefined) {
    if (!hasAllocations) return;
    try {
      await insertConsumer.run(trx, { uuid: w.consumerUuid, project: w.projectId, user: w.userId, type: w.consumerType ?? null, now });
    } catch (err) {
      if (isUniqueViolation(err)) throw raced();
      throw err;
    }
    return;
  }
  const res = hasAllocations
    ? await updateConsumer.run(trx, { id: row.id, from: row.generation, to: row.generation + 1, project: w.projectId, user: w.userId, type: w.consumerType ?? row.consumer_type, now })
    : await deleteConsumer.run(trx, { id: row.id, generation: row.generation });
  if (Number(res.numAffectedRows) !== 1) throw raced();
}
