import type { PlacementReadModel } from './placement-read-model.js';
import { forEachMatch, type ProviderQuery } from './provider-query.js';
import type { ProviderState } from './provider-state.js';

/** An allocation candidates request: the amounts wanted and the provider constraints. */
export interface CandidateRequest extends Omit<ProviderQuery, 'uuid' | 'name' | 'resources'> {
  resources: ReadonlyMap<string, number>;
  /** At most this many candidates; all of them when undefined. */
  limit?: number;
}

/**
 * The providers that can take the whole request on their own, from the read model, in the
 * model's order (Placement's order is unspecified). Stops as soon as `limit` are found, so
 * asking for 1,000 of 10,000 providers touches only as many as it takes to find them.
 *
 * Every candidate is one provider: resources are not spread over a tree's providers nor taken
 * from sharing providers (MISC_SHARES_VIA_AGGREGATE), which Nova's compute nodes do not need.
 */
export function findCandidates(model: PlacementReadModel, request: CandidateRequest): ProviderState[] {
  const out: ProviderState[] = [];
  const limit = request.limit ?? Infinity;
  if (limit <= 0 || request.resources.size === 0) return out;
  forEachMatch(model, request, (p) => {
    out.push(p);
    return out.length < limit;
  });
  return out;
}
