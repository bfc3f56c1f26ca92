import type { ProviderChange } from './provider-change.js';
import { resourceState, type ProviderState } from './provider-state.js';

/** Outcome of applying a committed change: done, already covered by a newer state, or a reload is needed. */
export type ApplyOutcome = 'applied' | 'superseded' | 'stale';

/**
 * The in-memory picture of every resource provider (see PlacementService for how it is kept in
 * step with the database). Besides the providers by uuid (in creation order, which is the order
 * candidates come out in), it indexes names, database ids, aggregate membership and trees so
 * that filters start from the smallest set they can.
 */
export class PlacementReadModel {
  private readonly byUuid = new Map<string, ProviderState>();
  private readonly byName = new Map<string, string>();
  private readonly byId = new Map<number, string>();
  private readonly aggregateMembers = new Map<string, Set<string>>();
  private readonly treeMembers = new Map<string, Set<string>>();
  private nested = 0;

  get size(): number {
    return this.byUuid.size;
  }

  /** How many providers have a parent; while there are none, every tree is a single provider. */
  get nestedCount(): number {
    return this.nested;
  }

  get(uuid: string): ProviderState | undefined {
    return this.byUuid.get(uuid);
  }

  getByName(name: string): ProviderState | undefined {
    const uuid = this.byName.get(name);
    return uuid === undefined ? undefined : this.byUuid.get(uuid);
  }

  getById(id: number): ProviderState | undefined {
    const uuid = this.byId.get(id);
    return uuid === undefined ? undefined : this.byUuid.get(uuid);
  }

  providers(): IterableIterator<ProviderState> {
    return this.byUuid.values();
  }

  membersOf(aggregate: string): ReadonlySet<string> | undefined {
    return this.aggregateMembers.get(aggregate);
  }

  /** The uuids of every provider in the tree rooted at `rootUuid`. */
  treeOf(rootUuid: string): ReadonlySet<string> | undefined {
    return this.treeMembers.get(rootUuid);
  }

  /** Adds or replaces a provider, unless the model already holds a newer generation of it. */
  upsert(state: ProviderState): boolean {
    const old = this.byUuid.get(state.uuid);
    // A newer state of the same row stays; a provider deleted and created again is another row.
    if (old !== undefined && old.id === state.id && old.generation > state.generation) return false;
    if (old !== undefined) this.unindex(old);
    this.byUuid.set(state.uuid, state);
    this.index(state);
    return true;
  }

  remove(uuid: string): void {
    const old = this.byUuid.get(uuid);
    if (old === undefined) return;
    this.unindex(old);
    this.byUuid.delete(uuid);
  }

  /** Applies what a committed write did, if the model holds the generation the write started from. */
  apply(change: ProviderChange): ApplyOutcome {
    const state = this.byUuid.get(change.uuid);
    if (state === undefined) return 'stale';
    if (state.generation >= change.toGeneration) return 'superseded';
    if (state.generation !== change.fromGeneration) return 'stale';
    switch (change.kind) {
      case 'usage':
        // Usage of a class without inventory cannot be represented; a reload will show it.
        for (const rc of change.deltas.keys()) if (!state.resources.has(rc)) return 'stale';
        for (const [rc, delta] of change.deltas) {
          const r = state.resources.get(rc);
          if (r !== undefined) r.used += delta;
        }
        break;
      case 'inventory': {
        const next = new Map<string, ReturnType<typeof resourceState>>();
        for (const [rc, inv] of change.inventories) next.set(rc, resourceState(inv, state.resources.get(rc)?.used ?? 0));
        state.resources = next;
        break;
      }
      case 'aggregates':
        this.unindex(state);
        state.aggregates = new Set(change.aggregates);
        this.index(state);
        break;
      case 'traits':
        state.traits = new Set(change.traits);
        state.traitList = [...change.traits].sort();
        break;
    }
    state.generation = change.toGeneration;
    return 'applied';
  }

  private index(state: ProviderState): void {
    this.byName.set(state.name, state.uuid);
    this.byId.set(state.id, state.uuid);
    for (const agg of state.aggregates) addTo(this.aggregateMembers, agg, state.uuid);
    addTo(this.treeMembers, state.rootUuid, state.uuid);
    if (state.parentUuid !== null) this.nested += 1;
  }

  private unindex(state: ProviderState): void {
    if (this.byName.get(state.name) === state.uuid) this.byName.delete(state.name);
    if (this.byId.get(state.id) === state.uuid) this.byId.delete(state.id);
    for (const agg of state.aggregates) removeFrom(this.aggregateMembers, agg, state.uuid);
    removeFrom(this.treeMembers, state.rootUuid, state.uuid);
    if (state.parentUuid !== null) this.nested -= 1;
  }
}

function addTo(index: Map<string, Set<string>>, key: string, uuid: string): void {
  let set = index.get(key);
  if (set === undefined) {
    set = new Set();
    index.set(key, set);
  }
  set.add(uuid);
}

function removeFrom(index: Map<string, Set<string>>, key: string, uuid: string): void {
  const set = index.get(key);
  if (set === undefined) return;
  set.delete(uuid);
  if (set.size === 0) index.delete(key);
}
