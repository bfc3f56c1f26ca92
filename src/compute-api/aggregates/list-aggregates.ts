import type { RequestContext } from '../../common/request-context.js';
import type { Aggregate } from '../../db/api/aggregate-repo.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { parseAggregateId } from './aggregate-id.js';

/** GET /os-aggregates (administrators): every aggregate, the cells' own zone aggregates included. */
export async function listAggregates(deps: ComputeApiDeps, ctx: RequestContext): Promise<Aggregate[]> {
  deps.policy.authorize('os_compute_api:os-aggregates:index', ctx, {});
  return deps.api.aggregates.list();
}

/** GET /os-aggregates/{id} (administrators): one aggregate by its integer id. */
export async function showAggregate(deps: ComputeApiDeps, ctx: RequestContext, rawId: string): Promise<Aggregate> {
  deps.policy.authorize('os_compute_api:os-aggregates:show', ctx, {});
  return deps.api.aggregates.get(parseAggregateId(rawId));
}
