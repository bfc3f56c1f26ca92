import type { Generated } from 'kysely';

/**
 * Tables of the placement database. Times are ISO-8601 text. Resource classes and traits are
 * referred to by id in the link tables; aggregates and consumers by their external uuid, as in
 * Placement's own allocations table.
 */
export interface PlacementSchema {
  resource_providers: ResourceProviderTable;
  resource_classes: ResourceClassTable;
  inventories: InventoryTable;
  allocations: AllocationTable;
  consumers: ConsumerTable;
  provider_aggregates: ProviderAggregateTable;
  traits: TraitTable;
  provider_traits: ProviderTraitTable;
}

export interface ResourceProviderTable {
  id: Generated<number>;
  uuid: string;
  name: string;
  generation: number;
  /** The provider's own id when it is a root. */
  root_provider_id: number | null;
  parent_provider_id: number | null;
  created_at: string;
  updated_at: string | null;
}

/** Standard classes keep the ids of their position in the standard list; custom ones start at 10000. */
export interface ResourceClassTable {
  id: number;
  name: string;
  created_at: string;
  updated_at: string | null;
}

export interface InventoryTable {
  id: Generated<number>;
  resource_provider_id: number;
  resource_class_id: number;
  total: number;
  reserved: number;
  min_unit: number;
  max_unit: number;
  step_size: number;
  allocation_ratio: number;
  created_at: string;
  updated_at: string | null;
}

export interface AllocationTable {
  id: Generated<number>;
  resource_provider_id: number;
  /** The consumer's uuid. */
  consumer_id: string;
  resource_class_id: number;
  used: number;
  created_at: string;
  updated_at: string | null;
}

export interface ConsumerTable {
  id: Generated<number>;
  uuid: string;
  project_id: string;
  user_id: string;
  generation: number;
  /** INSTANCE, MIGRATION, ...; null reads as `unknown`, as for consumers written before 1.38. */
  consumer_type: string | null;
  created_at: string;
  updated_at: string | null;
}

export interface ProviderAggregateTable {
  resource_provider_id: number;
  aggregate_uuid: string;
  created_at: string;
}

export interface TraitTable {
  id: Generated<number>;
  name: string;
  created_at: string;
  updated_at: string | null;
}

export interface ProviderTraitTable {
  resource_provider_id: number;
  trait_id: number;
  created_at: string;
}
