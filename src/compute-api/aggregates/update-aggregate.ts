import { BadRequestError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { Aggregate, AggregateChanges, AggregateGuard } from '../../db/api/aggregate-repo.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { parseAggregateId } from './aggregate-id.js';
import type { SetMetadataRequest, UpdateAggregateRequest } from './aggregate-schemas.js';
import { reservedZone, zoneConflict, zoneOf } from './aggregate-zone-rules.js';
import { instanceCountsOnHosts } from './compute-hosts.js';

/**
 * PUT /os-aggregates/{id} (administrators): renames the aggregate and/or sets its zone. A zone
 * change is refused (400) when it is empty, when a host of the aggregate is in another zone, or
 * when a host has instances (they would change zone under their owners' feet).
 */
export async function updateAggregate(deps: ComputeApiDeps, ctx: RequestContext, rawId: string, body: UpdateAggregateRequest): Promise<Aggregate> {
  deps.policy.authorize('os_compute_api:os-aggregates:update', ctx, {});
  const id = parseAggregateId(rawId);
  const changes: AggregateChanges = {};
  if (body.aggregate.name !== undefined) changes.name = body.aggregate.name.trim();
  if (body.aggregate.availability_zone !== undefined) changes.metadata = { availability_zone: body.aggregate.availability_zone };
  const refuse = (reason: string) => new BadRequestError('compute.invalid_aggregate_action', `Cannot update aggregate ${id}. Reason: ${reason}.`);
  const aggregate = await applyChanges(deps, id, changes, refuse);
  deps.logger.info({ request_id: ctx.requestId, aggregate: id, changes }, 'aggregate updated');
  return aggregate;
}

/**
 * The `set_metadata` action (administrators): sets the given keys and deletes those given as null;
 * other keys stay. `availability_zone` follows the zone rules of PUT.
 */
export async function setAggregateMetadata(deps: ComputeApiDeps, ctx: RequestContext, rawId: string, body: SetMetadataRequest): Promise<Aggregate> {
  deps.policy.authorize('os_compute_api:os-aggregates:set_metadata', ctx, {});
  const id = parseAggregateId(rawId);
  const metadata = body.set_metadata.metadata;
  const refuse = (reason: string) => new BadRequestError('compute.invalid_aggregate_action', `Cannot update metadata of aggregate ${id}. Reason: ${reason}.`);
  const aggregate = await applyChanges(deps, id, { metadata }, refuse);
  deps.logger.info({ request_id: ctx.requestId, aggregate: id, metadata }, 'aggregate metadata set');
  return aggregate;
}

async function applyChanges(deps: ComputeApiDeps, id: number, changes: AggregateChanges, refuse: (reason: string) => Error): Promise<Aggregate> {
  const metadata = changes.metadata ?? {};
  if (!('availability_zone' in metadata)) return deps.api.aggregates.update(id, changes);

  const zone = metadata['availability_zone'] ?? null;
  const reserved = reservedZone(zone, deps.config.DEFAULT.internal_service_availability_zone);
  if (reserved !== undefined) throw refuse(reserved);
  // Instances live in cell databases, outside the API database's transaction: check them first.
  const current = await deps.api.aggregates.get(id);
  if (zone !== zoneOf(current) && zone !== null && zone !== '') {
    const counts = await instanceCountsOnHosts(deps, current.hosts);
    if (counts.size > 0) throw refuse('One or more hosts contain instances in this zone');
  }
  const guard: AggregateGuard = (target, all) => {
    const conflict = zoneConflict(target, all, zone, target.hosts);
    if (conflict !== undefined) throw refuse(conflict);
    if (zone !== zoneOf(current) && target.hosts.some((h) => !current.hosts.includes(h))) {
      // A host joined since the instance check; let the caller retry on a stable aggregate.
      throw refuse('The hosts of the aggregate changed during the update; try again');
    }
  };
  return deps.api.aggregates.update(id, changes, guard);
}
