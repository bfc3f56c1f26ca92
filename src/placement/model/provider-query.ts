import type { PlacementReadModel } from './placement-read-model.js';
import { fits, resourceKey, type ProviderState } from './provider-state.js';

/**
 * What a provider must satisfy, as GET /resource_providers and GET /allocation_candidates take
 * it. Lists of lists are ANDs of any-ofs: `memberOf: [[a, b], [c]]` is "in a or b, and in c".
 */
export interface ProviderQuery {
  uuid?: string;
  name?: string;
  /** Room for each amount: unit rules and capacity. */
  resources?: ReadonlyMap<string, number>;
  memberOf?: readonly (readonly string[])[];
  forbiddenAggregates?: ReadonlySet<string>;
  required?: readonly (readonly string[])[];
  forbidden?: ReadonlySet<string>;
  /** Any provider of the tree this provider belongs to. */
  inTree?: string;
}

/**
 * Visits the providers that match, in the model's order, until `visit` returns false. It starts
 * from the smallest set an index gives (one uuid or name, one tree, the members of the rarest
 * member_of group) and checks each provider once: a single pass, no sorting.
 */
export function forEachMatch(model: PlacementReadModel, query: ProviderQuery, visit: (p: ProviderState) => boolean): void {
  const root = query.inTree === undefined ? undefined : model.get(query.inTree)?.rootUuid;
  if (query.inTree !== undefined && root === undefined) return;
  const wanted = query.resources === undefined ? undefined : { classes: [...query.resources.keys()], amounts: [...query.resources.values()], key: resourceKey(query.resources) };
  const test = (p: ProviderState | undefined): boolean => (p !== undefined && matches(model, p, query, wanted, root) ? visit(p) : true);

  if (query.uuid !== undefined) return void test(model.get(query.uuid));
  if (query.name !== undefined) return void test(model.getByName(query.name));
  const sources = candidateSources(model, query, root);
  if (sources === undefined) {
    for (const p of model.providers()) if (!test(p)) return;
    return;
  }
  const seen = sources.length > 1 ? new Set<string>() : undefined;
  for (const source of sources) {
    for (const uuid of source) {
      if (seen !== undefined) {
        if (seen.has(uuid)) continue;
        seen.add(uuid);
      }
      if (!test(model.get(uuid))) return;
    }
  }
}

/** The uuid sets to walk instead of every provider, or undefined to walk them all. */
function candidateSources(model: PlacementReadModel, query: ProviderQuery, root: string | undefined): ReadonlySet<string>[] | undefined {
  let best: ReadonlySet<string>[] | undefined;
  let bestSize = Infinity;
  if (root !== undefined) {
    const tree = model.treeOf(root);
    best = tree === undefined ? [] : [tree];
    bestSize = tree?.size ?? 0;
  }
  // A child is in its root's aggregates without being listed as a member, so walking the members
  // would miss it: member_of narrows the walk only while no provider has a parent.
  if (model.nestedCount > 0) return best;
  for (const group of query.memberOf ?? []) {
    const sets = group.map((agg) => model.membersOf(agg)).filter((s): s is ReadonlySet<string> => s !== undefined);
    const size = sets.reduce((n, s) => n + s.size, 0);
    if (size < bestSize) {
      best = sets;
      bestSize = size;
    }
  }
  return best;
}

/** The amounts a query asks for: as two arrays made once per query, and their key for the memo. */
interface Wanted {
  classes: string[];
  amounts: number[];
  key: string;
}

// Called once per provider per request: plain loops and no closures (tsx's keepNames wraps every
// closure creation in a defineProperty call, which made this ten times slower).
function matches(model: PlacementReadModel, p: ProviderState, q: ProviderQuery, wanted: Wanted | undefined, root: string | undefined): boolean {
  if (root !== undefined && p.rootUuid !== root) return false;
  if (wanted !== undefined && !fitsAll(p, wanted)) return false;
  if (q.memberOf !== undefined || q.forbiddenAggregates !== undefined) {
    // A provider is in the aggregates of its tree's root too, as in Placement.
    const rootAggs = p.parentUuid === null ? undefined : model.get(p.rootUuid)?.aggregates;
    if (q.memberOf !== undefined) for (const group of q.memberOf) if (!inAnyAggregate(p.aggregates, rootAggs, group)) return false;
    if (q.forbiddenAggregates !== undefined) for (const agg of q.forbiddenAggregates) if (p.aggregates.has(agg) || rootAggs?.has(agg) === true) return false;
  }
  if (q.required !== undefined) for (const group of q.required) if (!hasAny(p.traits, group)) return false;
  if (q.forbidden !== undefined) for (const trait of q.forbidden) if (p.traits.has(trait)) return false;
  return true;
}

/**
 * Whether every amount fits the provider. The answer is kept in the provider's memo: between two
 * decisions only the providers that changed (usually one, the last claim) are worked out again.
 */
function fitsAll(p: ProviderState, wanted: Wanted): boolean {
  const memo = p.memo;
  if (memo.fitKey === wanted.key && memo.fitGeneration === p.generation) return memo.fits;
  const { classes, amounts } = wanted;
  let ok = true;
  for (let i = 0; i < classes.length; i += 1) {
    const r = p.resources.get(classes[i] as string);
    if (r === undefined || !fits(r, amounts[i] as number)) {
      ok = false;
      break;
    }
  }
  memo.fitKey = wanted.key;
  memo.fitGeneration = p.generation;
  memo.fits = ok;
  return ok;
}

function inAnyAggregate(own: ReadonlySet<string>, ofRoot: ReadonlySet<string> | undefined, group: readonly string[]): boolean {
  for (const agg of group) if (own.has(agg) || ofRoot?.has(agg) === true) return true;
  return false;
}

function hasAny(traits: ReadonlySet<string>, group: readonly string[]): boolean {
  for (const t of group) if (traits.has(t)) return true;
  return false;
}
