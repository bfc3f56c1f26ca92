import { ConflictError, NotFoundError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { Aggregate, AggregateGuard } from '../../db/api/aggregate-repo.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { parseAggregateId } from './aggregate-id.js';
import { zoneConflict, zoneMoveReason, zoneOf, zoneOfHost } from './aggregate-zone-rules.js';
import { findComputeService, instanceCountsOnHosts } from './compute-hosts.js';

/**
 * The `add_host` action (administrators). The host must run a nova-compute service in some cell
 * (404). When the aggregate is zoned, the host must not be in another zone already, and a host
 * with instances must not change zone (both 409, as in Nova).
 */
export async function addAggregateHost(deps: ComputeApiDeps, ctx: RequestContext, rawId: string, host: string): Promise<Aggregate> {
  deps.policy.authorize('os_compute_api:os-aggregates:add_host', ctx, {});
  const id = parseAggregateId(rawId);
  if ((await findComputeService(deps, host)) === undefined) throw new NotFoundError('compute.compute_host_not_found', `Compute host ${host} could not be found.`);
  const current = await deps.api.aggregates.get(id);
  const refuse = (reason: string) => new ConflictError('compute.invalid_aggregate_action', `Cannot add host to aggregate ${id}. Reason: ${reason}.`);

  const guard: AggregateGuard = (target, all) => {
    const targetZone = zoneOf(target);
    if (targetZone === undefined) return;
    const conflict = zoneConflict(target, all, targetZone, [host]);
    if (conflict !== undefined) throw refuse(conflict);
  };
  const zone = zoneOf(current);
  if (zone !== undefined) {
    // Zone conflicts first, as Nova checks them; the guard checks again inside the write.
    const all = await deps.api.aggregates.list();
    guard(current, all);
    const instances = (await instanceCountsOnHosts(deps, [host])).get(host) ?? 0;
    const from = zoneOfHost(host, all);
    if (instances > 0 && from !== zone) throw refuse(zoneMoveReason('added to', from, zone, instances));
  }
  const aggregate = await deps.api.aggregates.addHost(id, host, guard);
  deps.logger.info({ request_id: ctx.requestId, aggregate: id, host }, 'host added to aggregate');
  return aggregate;
}

/**
 * The `remove_host` action (administrators). A host with instances must not leave the zone it
 * gets from this aggregate (409); an unknown host, or one not in the aggregate, is 404.
 */
export async function removeAggregateHost(deps: ComputeApiDeps, ctx: RequestContext, rawId: string, host: string): Promise<Aggregate> {
  deps.policy.authorize('os_compute_api:os-aggregates:remove_host', ctx, {});
  const id = parseAggregateId(rawId);
  const notFound = (cause?: unknown) =>
    new NotFoundError('compute.aggregate_host_not_found', `Cannot remove host ${host} in aggregate ${id}`, cause === undefined ? {} : { cause });
  if ((await findComputeService(deps, host)) === undefined) throw notFound();
  const current = await deps.api.aggregates.find(id);
  if (current === undefined) throw notFound();

  const zone = zoneOf(current);
  if (zone !== undefined && current.hosts.includes(host)) {
    const instances = (await instanceCountsOnHosts(deps, [host])).get(host) ?? 0;
    const to = zoneOfHost(host, await deps.api.aggregates.list(), id);
    if (instances > 0 && to !== zone) {
      throw new ConflictError('compute.invalid_aggregate_action', `Cannot remove host from aggregate ${id}. Reason: ${zoneMoveReason('removed from', zone, to, instances)}.`);
    }
  }
  try {
    const aggregate = await deps.api.aggregates.removeHost(id, host);
    deps.logger.info({ request_id: ctx.requestId, aggregate: id, host }, 'host removed from aggregate');
    return aggregate;
  } catch (err) {
    if (err instanceof NotFoundError) throw notFound(err);
    throw err;
  }
}
