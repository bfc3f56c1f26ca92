import type { InventoryValues } from './provider-state.js';

/**
 * What one committed transaction did to one provider. `fromGeneration` is the generation the
 * transaction read (and compared-and-swapped) and `toGeneration` the one it wrote; the read model
 * applies a change only onto exactly `fromGeneration`, and reloads the provider otherwise.
 */
export type ProviderChange =
  | { kind: 'usage'; uuid: string; fromGeneration: number; toGeneration: number; deltas: ReadonlyMap<string, number> }
  | { kind: 'inventory'; uuid: string; fromGeneration: number; toGeneration: number; inventories: ReadonlyMap<string, InventoryValues> }
  | { kind: 'aggregates'; uuid: string; fromGeneration: number; toGeneration: number; aggregates: readonly string[] }
  | { kind: 'traits'; uuid: string; fromGeneration: number; toGeneration: number; traits: readonly string[] };

/** Adds `amount` of `rc` to the per-provider deltas of a write. */
export function addDelta(deltas: Map<string, Map<string, number>>, uuid: string, rc: string, amount: number): void {
  let byClass = deltas.get(uuid);
  if (byClass === undefined) {
    byClass = new Map();
    deltas.set(uuid, byClass);
  }
  byClass.set(rc, (byClass.get(rc) ?? 0) + amount);
}
