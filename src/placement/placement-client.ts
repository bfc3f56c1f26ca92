import type { AllocationCandidate } from './candidate-view.js';
import type { InventoryValues } from './model/provider-state.js';

/** A resource provider as the client shows it. */
export interface ProviderRecord {
  uuid: string;
  name: string;
  generation: number;
  parent_provider_uuid: string | null;
  root_provider_uuid: string;
}

/** An inventory as a caller gives it; omitted fields take Placement's defaults (max_unit = total). */
export type InventoryInput = Partial<InventoryValues> & { total: number };

/** Provider uuid → the resources a consumer takes from it. */
export type Allocations = Record<string, { resources: Record<string, number> }>;

export interface CandidateQuery {
  /** Resource class → amount, e.g. `{ VCPU: 1, MEMORY_MB: 512, DISK_GB: 1 }`. */
  resources: Record<string, number>;
  /** Aggregate uuids: each inner list is an any-of, the lists together an all-of. */
  member_of?: string[][];
  /** Traits every candidate has. */
  required?: string[];
  /** Traits no candidate has. */
  forbidden?: string[];
  /** Only providers of the tree this provider belongs to. */
  in_tree?: string;
  limit?: number;
}

export interface ConsumerAllocationsRecord {
  allocations: Record<string, { generation: number; resources: Record<string, number> }>;
  /** null when the consumer has no allocations. */
  consumer_generation: number | null;
  project_id: string | null;
  user_id: string | null;
  consumer_type: string | null;
}

export interface ClaimOptions {
  projectId: string;
  userId: string;
  /** The consumer's current generation; null when it has no allocations yet. */
  consumerGeneration: number | null;
  /** INSTANCE, MIGRATION, ... */
  consumerType?: string;
}

/** The new allocations of one consumer in a multi-consumer write (POST /allocations). */
export interface ConsumerWrite {
  /** Empty: remove every allocation of the consumer. */
  allocations: Allocations;
  project_id: string;
  user_id: string;
  consumer_generation: number | null;
  consumer_type?: string;
}

export interface ProviderUsagesRecord {
  usages: Record<string, number>;
  resource_provider_generation: number;
}

export interface GenerationOptions {
  /** Compare against this generation (409 on mismatch); when omitted, conflicts are retried internally. */
  generation?: number;
}

/**
 * Placement as the rest of Tessera (scheduler, conductor, the compute's resource tracker) uses
 * it. The built-in service answers in process; an HTTP client of a real Placement could too.
 * Calls are trusted service calls: no policy is checked.
 *
 * @example
 * const rp = await placement.ensureProvider({ uuid: node.uuid, name: node.hypervisor_hostname });
 * await placement.setInventory(rp.uuid, { VCPU: { total: 16, allocation_ratio: 4 }, MEMORY_MB: { total: 65536, reserved: 512 } });
 * const candidates = await placement.getAllocationCandidates({ resources: { VCPU: 1, MEMORY_MB: 512 }, limit: 1000 });
 * const ok = await placement.claim(instanceUuid, candidates[0]!.allocation_request.allocations, { projectId, userId, consumerGeneration: null });
 */
export interface PlacementClient {
  /** The provider with this uuid, created when missing. @throws ConflictError `duplicate_name` when another provider has the name. */
  ensureProvider(provider: { uuid: string; name: string; parentProviderUuid?: string }): Promise<ProviderRecord>;
  getProvider(uuid: string): Promise<ProviderRecord | undefined>;
  providerByName(name: string): Promise<ProviderRecord | undefined>;
  /** @throws ConflictError `resource_provider.inuse` while it has allocations. */
  deleteProvider(uuid: string): Promise<void>;
  /**
   * Replaces the provider's inventories. Without `generation`, generation conflicts are retried
   * internally; nothing is written when the inventories are unchanged.
   * @throws ConflictError `inventory.inuse` when a class in use would go or shrink below its usage.
   */
  setInventory(uuid: string, inventories: Record<string, InventoryInput>, options?: GenerationOptions): Promise<{ generation: number; inventories: Record<string, InventoryValues> }>;
  setAggregates(uuid: string, aggregates: string[], options?: GenerationOptions): Promise<{ generation: number }>;
  /** Replaces the provider's traits; missing `CUSTOM_*` traits are created. */
  setTraits(uuid: string, traits: string[], options?: GenerationOptions): Promise<{ generation: number }>;
  /**
   * Placement's allocation candidates, each with its provider's summary (read-only, shared
   * objects). A client of a real Placement pairs `allocation_requests` with `provider_summaries`.
   */
  getAllocationCandidates(query: CandidateQuery): Promise<AllocationCandidate[]>;
  /**
   * Replaces the consumer's allocations. True when written, false when they do not fit
   * (capacity, min/max/step, no inventory).
   * @throws ConflictError `concurrent_update` when `consumerGeneration` is stale.
   */
  claim(consumerUuid: string, allocations: Allocations, options: ClaimOptions): Promise<boolean>;
  /** Several consumers at once, all or nothing (POST /allocations); false when something does not fit. */
  writeAllocations(consumers: Record<string, ConsumerWrite>): Promise<boolean>;
  getAllocations(consumerUuid: string): Promise<ConsumerAllocationsRecord>;
  /** Removes every allocation of the consumer; false when it had none. */
  deleteAllocations(consumerUuid: string): Promise<boolean>;
  /**
   * Moves all allocations of `fromConsumer` to `toConsumer` (replacing whatever that one had), in
   * one transaction: on any failure both keep what they had. False when there was nothing to move.
   */
  moveAllocations(fromConsumer: string, toConsumer: string, options?: { consumerType?: string }): Promise<boolean>;
  usages(rpUuid: string): Promise<ProviderUsagesRecord>;
}
