/** The settable fields of one inventory record, as Placement's API shows them. */
export interface InventoryValues {
  total: number;
  reserved: number;
  min_unit: number;
  max_unit: number;
  step_size: number;
  allocation_ratio: number;
}

/** One resource class of a provider: its inventory, what is allocated, and the capacity that gives. */
export interface ResourceState extends InventoryValues {
  used: number;
  /** int((total - reserved) * allocation_ratio), as Placement computes it. */
  capacity: number;
}

/**
 * A resource provider as the read model holds it. States are replaced or changed only by the
 * read model, after a write of this process committed or after a reload from the database.
 */
export interface ProviderState {
  id: number;
  uuid: string;
  name: string;
  generation: number;
  parentUuid: string | null;
  rootUuid: string;
  resources: Map<string, ResourceState>;
  aggregates: ReadonlySet<string>;
  traits: ReadonlySet<string>;
  /** The traits sorted, kept so that summaries need not sort on every request. */
  traitList: readonly string[];
  createdAt: string;
  updatedAt: string | null;
}

export function capacityOf(inv: InventoryValues): number {
  return Math.floor((inv.total - inv.reserved) * inv.allocation_ratio);
}

export function resourceState(inv: InventoryValues, used: number): ResourceState {
  return {
    total: inv.total,
    reserved: inv.reserved,
    min_unit: inv.min_unit,
    max_unit: inv.max_unit,
    step_size: inv.step_size,
    allocation_ratio: inv.allocation_ratio,
    used,
    capacity: capacityOf(inv),
  };
}

/** Whether `amount` more of a class fits: unit rules and capacity. */
export function fits(r: ResourceState, amount: number): boolean {
  return amount >= r.min_unit && amount <= r.max_unit && amount % r.step_size === 0 && r.used + amount <= r.capacity;
}

export function inventoryOf(r: ResourceState): InventoryValues {
  return {
    total: r.total,
    reserved: r.reserved,
    min_unit: r.min_unit,
    max_unit: r.max_unit,
    step_size: r.step_size,
    allocation_ratio: r.allocation_ratio,
  };
}
