import { num, type PlacementDb } from './placement-database.js';

/** A consumer's allocations as Placement shows them (GET /allocations/{consumer_uuid}). */
export interface ConsumerAllocationsView {
  allocations: Record<string, { generation: number; resources: Record<string, number> }>;
  /** Absent when the consumer has no allocations (and so does not exist). */
  consumer?: { generation: number; project_id: string; user_id: string; consumer_type: string };
}

/** The allocations against one provider, by consumer. */
export type ProviderAllocationsView = Record<string, { resources: Record<string, number>; consumer_generation: number | null }>;

export async function readConsumerAllocations(db: PlacementDb, consumerUuid: string): Promise<ConsumerAllocationsView> {
  const rows = await db
    .selectFrom('allocations as a')
    .innerJoin('resource_providers as rp', 'rp.id', 'a.resource_provider_id')
    .innerJoin('resource_classes as rc', 'rc.id', 'a.resource_class_id')
    .leftJoin('consumers as c', 'c.uuid', 'a.consumer_id')
    .select(['rp.uuid', 'rp.generation', 'rc.name', 'a.used', 'c.generation as consumer_generation', 'c.project_id', 'c.user_id', 'c.consumer_type'])
    .where('a.consumer_id', '=', consumerUuid)
    .orderBy('a.id')
    .execute();
  const allocations: ConsumerAllocationsView['allocations'] = {};
  for (const r of rows) {
    const entry = (allocations[r.uuid] ??= { generation: r.generation, resources: {} });
    entry.resources[r.name] = r.used;
  }
  const first = rows[0];
  if (first === undefined || first.consumer_generation === null) return { allocations };
  return {
    allocations,
    consumer: { generation: first.consumer_generation, project_id: first.project_id ?? '', user_id: first.user_id ?? '', consumer_type: first.consumer_type ?? 'unknown' },
  };
}

export async function readProviderAllocations(db: PlacementDb, providerUuid: string): Promise<ProviderAllocationsView> {
  const rows = await db
    .selectFrom('allocations as a')
    .innerJoin('resource_providers as rp', 'rp.id', 'a.resource_provider_id')
    .innerJoin('resource_classes as rc', 'rc.id', 'a.resource_class_id')
    .leftJoin('consumers as c', 'c.uuid', 'a.consumer_id')
    .select(['a.consumer_id', 'rc.name', 'a.used', 'c.generation as consumer_generation'])
    .where('rp.uuid', '=', providerUuid)
    .orderBy('a.id')
    .execute();
  const out: ProviderAllocationsView = {};
  for (const r of rows) {
    const entry = (out[r.consumer_id] ??= { resources: {}, consumer_generation: r.consumer_generation });
    entry.resources[r.name] = r.used;
  }
  return out;
}

/** A consumer that holds allocations, and the providers it holds them on. */
export interface ConsumerSummary {
  uuid: string;
  /** INSTANCE, MIGRATION, ...; `unknown` when not recorded. */
  consumer_type: string;
  project_id: string | null;
  user_id: string | null;
  providers: string[];
}

/**
 * Every consumer holding at least one allocation (Placement has no such listing; `tessera audit`
 * needs it to find consumers without an owner). One row per consumer and provider is read.
 */
export async function readConsumersWithAllocations(db: PlacementDb): Promise<ConsumerSummary[]> {
  const rows = await db
    .selectFrom('allocations as a')
    .innerJoin('resource_providers as rp', 'rp.id', 'a.resource_provider_id')
    .leftJoin('consumers as c', 'c.uuid', 'a.consumer_id')
    .select(['a.consumer_id', 'rp.uuid as provider', 'c.consumer_type', 'c.project_id', 'c.user_id'])
    .distinct()
    .orderBy('a.consumer_id')
    .orderBy('rp.uuid')
    .execute();
  const out = new Map<string, ConsumerSummary>();
  for (const r of rows) {
    const entry = out.get(r.consumer_id) ?? { uuid: r.consumer_id, consumer_type: r.consumer_type ?? 'unknown', project_id: r.project_id, user_id: r.user_id, providers: [] };
    entry.providers.push(r.provider);
    out.set(r.consumer_id, entry);
  }
  return [...out.values()];
}

/** Usage totals of a project (and user), per consumer type with the number of consumers (1.38). */
export interface ProjectUsages {
  total: Record<string, number>;
  byConsumerType: Record<string, Record<string, number> & { consumer_count: number }>;
}

export async function readProjectUsages(db: PlacementDb, filter: { projectId: string; userId?: string | undefined }): Promise<ProjectUsages> {
  let q = db
    .selectFrom('allocations as a')
    .innerJoin('consumers as c', 'c.uuid', 'a.consumer_id')
    .innerJoin('resource_classes as rc', 'rc.id', 'a.resource_class_id')
    .select((eb) => ['rc.name', 'c.consumer_type', eb.fn.sum<number | string>('a.used').as('used')])
    .where('c.project_id', '=', filter.projectId)
    .groupBy(['rc.name', 'c.consumer_type']);
  if (filter.userId !== undefined) q = q.where('c.user_id', '=', filter.userId);
  let countQ = db
    .selectFrom('consumers')
    .select((eb) => ['consumer_type', eb.fn.countAll<number | string>().as('consumers')])
    .where('project_id', '=', filter.projectId)
    .groupBy('consumer_type');
  if (filter.userId !== undefined) countQ = countQ.where('user_id', '=', filter.userId);
  const rows = await q.execute();
  const counts = await countQ.execute();
  const total: Record<string, number> = {};
  const byConsumerType: ProjectUsages['byConsumerType'] = {};
  for (const c of counts) byConsumerType[c.consumer_type ?? 'unknown'] = { consumer_count: num(c.consumers) };
  for (const r of rows) {
    const type = r.consumer_type ?? 'unknown';
    total[r.name] = (total[r.name] ?? 0) + num(r.used);
    const entry = (byConsumerType[type] ??= { consumer_count: 0 });
    entry[r.name] = num(r.used);
  }
  return { total, byConsumerType };
}
