import { BadRequestError, NotFoundError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { collectHypervisors, type HypervisorEntry } from './collect-hypervisors.js';
import { canonicalUuid, decodeHypervisorId, isUuidLike } from './hypervisor-id.js';
import { describe, type HypervisorItem } from './list-hypervisors.js';

/**
 * GET /os-hypervisors/{id} (administrators): one hypervisor in detail, with its servers when
 * `withServers` (2.53+). Below 2.53 the id is the integer one (anything else is 404), from 2.53
 * the node's uuid (anything else is 400).
 */
export async function showHypervisor(deps: ComputeApiDeps, ctx: RequestContext, id: string, options: { uuidIds: boolean; withServers: boolean }): Promise<HypervisorItem> {
  deps.policy.authorize('os_compute_api:os-hypervisors:show', ctx, {});
  const entry = await findHypervisor(deps, id, options.uuidIds);
  return (await describe(deps, [entry], { detail: true, withServers: options.withServers }))[0] as HypervisorItem;
}

/**
 * GET /os-hypervisors/{id}/uptime (before 2.88): the summary view plus the host's uptime; 400 when
 * the host's compute service is down and so cannot tell.
 */
export async function hypervisorUptime(deps: ComputeApiDeps, ctx: RequestContext, id: string, options: { uuidIds: boolean }): Promise<HypervisorItem> {
  deps.policy.authorize('os_compute_api:os-hypervisors:uptime', ctx, {});
  const entry = await findHypervisor(deps, id, options.uuidIds);
  const item = (await describe(deps, [entry], { detail: false, withServers: false }))[0] as HypervisorItem;
  if (item.uptime === null) {
    throw new BadRequestError('compute.service_unavailable', `Compute service of ${entry.node.host} is unavailable at this time.`);
  }
  return item;
}

async function findHypervisor(deps: ComputeApiDeps, id: string, uuidIds: boolean): Promise<HypervisorEntry> {
  const notFound = new NotFoundError('compute.hypervisor_not_found', `Hypervisor with ID '${id}' could not be found.`);
  if (uuidIds) {
    if (!isUuidLike(id)) throw new BadRequestError('compute.invalid_uuid', `Invalid uuid ${id}`);
    const uuid = canonicalUuid(id);
    const entry = (await collectHypervisors(deps)).find((e) => e.node.uuid === uuid);
    if (entry === undefined) throw notFound;
    return entry;
  }
  const decoded = decodeHypervisorId(id);
  if (decoded === undefined) throw notFound;
  const entry = (await collectHypervisors(deps, { cellId: decoded.cellId })).find((e) => e.node.id === decoded.nodeId);
  if (entry === undefined) throw notFound;
  return entry;
}
