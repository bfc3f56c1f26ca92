import { TesseraError } from '../common/errors.js';
import { candidateList, type AllocationCandidate } from './candidate-view.js';
import { findCandidates } from './model/candidate-finder.js';
import type { PlacementReadModel } from './model/placement-read-model.js';
import { inventoryOf, type InventoryValues } from './model/provider-state.js';
import type {
  Allocations,
  CandidateQuery,
  ClaimOptions,
  ConsumerAllocationsRecord,
  ConsumerWrite,
  GenerationOptions,
  InventoryInput,
  PlacementClient,
  ProviderRecord,
  ProviderUsagesRecord,
} from './placement-client.js';
import { AllocationRejectedError, badRequest } from './placement-errors.js';
import { providerRecord } from './provider-record.js';
import { isCustomName } from './standard-resource-classes.js';
import type { AllocationStore } from './store/allocation-store.js';
import type { ConsumerAllocations } from './store/allocation-writer.js';
import type { CatalogStore } from './store/catalog-store.js';
import { withInventoryDefaults } from './store/inventory-writer.js';
import type { ProviderStore } from './store/provider-store.js';

/**
 * The in-process `PlacementClient`: the same stores as the HTTP routes, without HTTP, JSON or
 * policy. Candidates come straight from the read model; claims are database transactions.
 */
export class LocalPlacementClient implements PlacementClient {
  constructor(private readonly deps: { model: PlacementReadModel; providers: ProviderStore; allocations: AllocationStore; catalog: CatalogStore }) {}

  async ensureProvider(provider: { uuid: string; name: string; parentProviderUuid?: string }): Promise<ProviderRecord> {
    // The model is enough to decide: a provider another process created makes the insert fail,
    // and the database is asked then.
    const known = this.deps.providers.peek(provider.uuid);
    if (known !== undefined) return providerRecord(known);
    try {
      return providerRecord(await this.deps.providers.create({ uuid: provider.uuid, name: provider.name, parentUuid: provider.parentProviderUuid ?? null }));
    } catch (err) {
      // Another caller (or process) may have created the same provider first.
      const raced = await this.deps.providers.find(provider.uuid);
      if (raced !== undefined) return providerRecord(raced);
      throw err;
    }
  }

  async getProvider(uuid: string): Promise<ProviderRecord | undefined> {
    const p = await this.deps.providers.find(uuid);
    return p === undefined ? undefined : providerRecord(p);
  }

  async providerByName(name: string): Promise<ProviderRecord | undefined> {
    const p = await this.deps.providers.findByName(name);
    return p === undefined ? undefined : providerRecord(p);
  }

  deleteProvider(uuid: string): Promise<void> {
    return this.deps.providers.delete(uuid);
  }

  async setInventory(uuid: string, inventories: Record<string, InventoryInput>, options: GenerationOptions = {}): Promise<{ generation: number; inventories: Record<string, InventoryValues> }> {
    const wanted = new Map(Object.entries(inventories).map(([rc, inv]) => [rc, withInventoryDefaults(inv)]));
    const p = await this.deps.providers.setInventories(uuid, options.generation, wanted);
    return { generation: p.generation, inventories: Object.fromEntries([...p.resources].map(([rc, r]) => [rc, inventoryOf(r)])) };
  }

  async setAggregates(uuid: string, aggregates: string[], options: GenerationOptions = {}): Promise<{ generation: number }> {
    const p = await this.deps.providers.setAggregates(uuid, options.generation, [...new Set(aggregates)]);
    return { generation: p.generation };
  }

  async setTraits(uuid: string, traits: string[], options: GenerationOptions = {}): Promise<{ generation: number }> {
    for (const trait of new Set(traits)) if (isCustomName(trait)) await this.deps.catalog.createTrait(trait);
    const p = await this.deps.providers.setTraits(uuid, options.generation, [...new Set(traits)]);
    return { generation: p.generation };
  }

  getAllocationCandidates(query: CandidateQuery): Promise<AllocationCandidate[]> {
    const resources = new Map(Object.entries(query.resources));
    const providers = findCandidates(this.deps.model, {
      resources,
      ...(query.member_of === undefined ? {} : { memberOf: query.member_of }),
      ...(query.required === undefined ? {} : { required: query.required.map((t) => [t]) }),
      ...(query.forbidden === undefined ? {} : { forbidden: new Set(query.forbidden) }),
      ...(query.in_tree === undefined ? {} : { inTree: query.in_tree }),
      ...(query.limit === undefined ? {} : { limit: query.limit }),
    });
    return Promise.resolve(candidateList(providers, resources));
  }

  claim(consumerUuid: string, allocations: Allocations, options: ClaimOptions): Promise<boolean> {
    return this.write([
      {
        consumerUuid,
        allocations: resourcesOf(allocations),
        projectId: options.projectId,
        userId: options.userId,
        consumerGeneration: options.consumerGeneration,
        consumerType: options.consumerType,
      },
    ]);
  }

  writeAllocations(consumers: Record<string, ConsumerWrite>): Promise<boolean> {
    return this.write(
      Object.entries(consumers).map(([consumerUuid, w]) => ({
        consumerUuid,
        allocations: resourcesOf(w.allocations),
        projectId: w.project_id,
        userId: w.user_id,
        consumerGeneration: w.consumer_generation,
        consumerType: w.consumer_type,
      })),
    );
  }

  async getAllocations(consumerUuid: string): Promise<ConsumerAllocationsRecord> {
    const view = await this.deps.allocations.consumer(consumerUuid);
    return {
      allocations: view.allocations,
      consumer_generation: view.consumer?.generation ?? null,
      project_id: view.consumer?.project_id ?? null,
      user_id: view.consumer?.user_id ?? null,
      consumer_type: view.consumer?.consumer_type ?? null,
    };
  }

  async deleteAllocations(consumerUuid: string): Promise<boolean> {
    try {
      await this.deps.allocations.deleteConsumer(consumerUuid);
      return true;
    } catch (err) {
      if (err instanceof TesseraError && err.status === 404) return false;
      throw err;
    }
  }

  async moveAllocations(fromConsumer: string, toConsumer: string, options: { consumerType?: string } = {}): Promise<boolean> {
    if (fromConsumer === toConsumer) throw badRequest(`Cannot move the allocations of consumer ${fromConsumer} onto itself.`);
    const source = await this.deps.allocations.consumer(fromConsumer);
    if (source.consumer === undefined || Object.keys(source.allocations).length === 0) return false;
    const target = await this.deps.allocations.consumer(toConsumer);
    const moved: ConsumerAllocations['allocations'] = Object.fromEntries(Object.entries(source.allocations).map(([rp, a]) => [rp, a.resources]));
    await this.deps.allocations.write([
      { consumerUuid: fromConsumer, allocations: {}, projectId: source.consumer.project_id, userId: source.consumer.user_id, consumerGeneration: source.consumer.generation },
      {
        consumerUuid: toConsumer,
        allocations: moved,
        projectId: source.consumer.project_id,
        userId: source.consumer.user_id,
        consumerGeneration: target.consumer?.generation ?? null,
        consumerType: options.consumerType ?? knownType(target.consumer?.consumer_type),
      },
    ]);
    return true;
  }

  async usages(rpUuid: string): Promise<ProviderUsagesRecord> {
    const p = await this.deps.providers.get(rpUuid);
    return { usages: Object.fromEntries([...p.resources].map(([rc, r]) => [rc, r.used])), resource_provider_generation: p.generation };
  }

  private async write(writes: ConsumerAllocations[]): Promise<boolean> {
    try {
      await this.deps.allocations.write(writes);
      return true;
    } catch (err) {
      if (err instanceof AllocationRejectedError) return false;
      throw err;
    }
  }
}

function knownType(type: string | undefined): string | undefined {
  return type === undefined || type === 'unknown' ? undefined : type;
}

function resourcesOf(allocations: Allocations): ConsumerAllocations['allocations'] {
  return Object.fromEntries(Object.entries(allocations).map(([rp, a]) => [rp, a.resources]));
}
