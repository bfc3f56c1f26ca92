import { BadRequestError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { parseAggregateId } from './aggregate-id.js';

/** DELETE /os-aggregates/{id} (administrators): only an aggregate without hosts (400 otherwise, as in Nova). */
export async function deleteAggregate(deps: ComputeApiDeps, ctx: RequestContext, rawId: string): Promise<void> {
  deps.policy.authorize('os_compute_api:os-aggregates:delete', ctx, {});
  const id = parseAggregateId(rawId);
  await deps.api.aggregates.delete(id, (target) => {
    if (target.hosts.length > 0) {
      throw new BadRequestError('compute.invalid_aggregate_action', `Cannot remove host from aggregate ${id}. Reason: Host aggregate is not empty.`);
    }
  });
  deps.logger.info({ request_id: ctx.requestId, aggregate: id }, 'aggregate deleted');
}
