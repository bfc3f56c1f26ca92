import { BadRequestError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { Aggregate } from '../../db/api/aggregate-repo.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import type { CreateAggregateRequest } from './aggregate-schemas.js';
import { reservedZone } from './aggregate-zone-rules.js';

/**
 * POST /os-aggregates (administrators): a new, empty aggregate, zoned when `availability_zone` is
 * given. Names are unique (409).
 */
export async function createAggregate(deps: ComputeApiDeps, ctx: RequestContext, body: CreateAggregateRequest): Promise<Aggregate> {
  deps.policy.authorize('os_compute_api:os-aggregates:create', ctx, {});
  const { name, availability_zone: zone } = body.aggregate;
  const reserved = reservedZone(zone, deps.config.DEFAULT.internal_service_availability_zone);
  if (reserved !== undefined) throw new BadRequestError('compute.invalid_aggregate_action', `Cannot create aggregate ${name}. Reason: ${reserved}.`);
  const aggregate = await deps.api.aggregates.create({ name, availabilityZone: zone ?? null });
  deps.logger.info({ request_id: ctx.requestId, aggregate: aggregate.id, name, zone: zone ?? null }, 'aggregate created');
  return aggregate;
}
