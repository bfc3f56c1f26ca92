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
  /**
   * What this process worked out from the state, kept on it for the next request. A side table
   * keyed by the state (a WeakMap) cost a hash lookup per provider, about as much as the work it
   * saved, for each of the 1,000 candidates of every scheduling decision.
   */
  memo: ProviderMemo;
}

/**
 * Answers derived from one provider state. Each records the generation it was worked out at:
 * every change to a provider's inventory, usage, traits or aggregates moves its generation, and a
 * reload replaces the state (and its memo) as a whole.
 */
export interface ProviderMemo {
  /** The last resource amounts tested (a key from `resourceKey`), at which generation, and whether they fit. */
  fitKey: string | undefined;
  fitGeneration: number;
  fits: boolean;
  /** What candidate-view.ts built for this state (its summary, allocation requests and candidates). */
  view: unknown;
}

export function newProviderMemo(): ProviderMemo {
  return { fitKey: undefined, fitGeneration: -1, fits: false, view: undefined };
}

const resourceKeys = new Map<string, string>();

/**
 * One string per distinct set of amounts, the same string object each time, so that comparing a
 * provider's memo with the request is a pointer comparison. Bounded: an unusual mix of requests
 * only costs string comparisons.
 *
 * @example
 * resourceKey(new Map([['VCPU', 1], ['MEMORY_MB', 512]])) // 'VCPU=1,MEMORY_MB=512'
 */
export function resourceKey(amounts: ReadonlyMap<string, number>): string {
  let key = '';
  for (const [rc, n] of amounts) key += `${key === '' ? '' : ','}${rc}=${n}`;
  const known = resourceKeys.get(key);
  if (known !== undefined) return known;
  if (resourceKeys.size >= 256) resourceKeys.clear();
  resourceKeys.set(key, key);
  return key;
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
