import { BadRequestError, NotFoundError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { boolFromString } from '../flavors/bool-from-string.js';
import { collectHypervisors, hostKey, serversOnHosts, uptimeOf, workloads, type HypervisorEntry, type ServerRef } from './collect-hypervisors.js';
import { canonicalUuid, isUuidLike } from './hypervisor-id.js';
import type { HypervisorListQuery } from './hypervisor-schemas.js';

/** A hypervisor with what its views may show besides the node and service records. */
export interface HypervisorItem {
  entry: HypervisorEntry;
  /** Busy instances on the host (Nova's current_workload); 0 unless details were asked for. */
  workload: number;
  /** The servers on the host, when they were asked for. */
  servers: ServerRef[] | undefined;
  /** Linux `uptime` output, or null when the host's service is down. */
  uptime: string | null;
}

/** One page of hypervisors, and the page size a full page has (undefined: no `next` link applies). */
export interface HypervisorPage {
  items: HypervisorItem[];
  pageSize: number | undefined;
}

/** How a request lists hypervisors, from its microversion and query. */
export interface HypervisorListRequest {
  detail: boolean;
  /** 2.33+: `limit` and `marker`, and `hypervisors_links`. */
  paging: boolean;
  /** 2.53+: uuid ids, `hypervisor_hostname_pattern` and `with_servers`. */
  uuidIds: boolean;
  query: HypervisorListQuery;
}

/**
 * GET /os-hypervisors and /os-hypervisors/detail (administrators): every compute node of every
 * cell, paged after the marker from 2.33, or (2.53+) those whose hypervisor hostname contains
 * `hypervisor_hostname_pattern` (404 when none does; no paging then), with their servers when
 * `with_servers` is true.
 */
export async function listHypervisors(deps: ComputeApiDeps, ctx: RequestContext, req: HypervisorListRequest): Promise<HypervisorPage> {
  deps.policy.authorize(`os_compute_api:os-hypervisors:${req.detail ? 'list-detail' : 'list'}`, ctx, {});
  const { query } = req;
  const pattern = req.uuidIds ? query.hypervisor_hostname_pattern : undefined;
  const withServers = req.uuidIds && boolFromString(query.with_servers ?? false) === true;

  if (pattern !== undefined) {
    if (query.limit !== undefined || query.marker !== undefined) {
      throw new BadRequestError('compute.invalid_hypervisor_query', 'Paging over hypervisors with the hypervisor_hostname_pattern query parameter is not supported.');
    }
    const matching = await matchingHypervisors(deps, pattern);
    return { items: await describe(deps, matching, { detail: req.detail, withServers }), pageSize: undefined };
  }

  let entries = await collectHypervisors(deps);
  let pageSize: number | undefined;
  if (req.paging) {
    const maxLimit = deps.config.api.max_limit;
    pageSize = Math.min(maxLimit, query.limit === undefined ? maxLimit : Number(query.limit));
    if (query.marker !== undefined) {
      const marker = query.marker;
      const index = entries.findIndex((e) => matchesId(e, marker, req.uuidIds));
      if (index < 0) throw new BadRequestError('compute.marker_not_found', `marker [${marker}] not found`);
      entries = entries.slice(index + 1);
    }
    entries = entries.slice(0, pageSize);
  }
  return { items: await describe(deps, entries, { detail: req.detail, withServers }), pageSize };
}

/** GET /os-hypervisors/{pattern}/search (before 2.53): the hypervisors whose hostname contains the pattern. */
export async function searchHypervisors(deps: ComputeApiDeps, ctx: RequestContext, pattern: string): Promise<HypervisorItem[]> {
  deps.policy.authorize('os_compute_api:os-hypervisors:search', ctx, {});
  return describe(deps, await matchingHypervisors(deps, pattern), { detail: false, withServers: false });
}

/** GET /os-hypervisors/{pattern}/servers (before 2.53): as search, with each host's servers. */
export async function hypervisorServers(deps: ComputeApiDeps, ctx: RequestContext, pattern: string): Promise<HypervisorItem[]> {
  deps.policy.authorize('os_compute_api:os-hypervisors:servers', ctx, {});
  return describe(deps, await matchingHypervisors(deps, pattern), { detail: false, withServers: true });
}

/** Adds the workload, servers and uptime the views need to each entry. */
export async function describe(deps: ComputeApiDeps, entries: HypervisorEntry[], want: { detail: boolean; withServers: boolean }): Promise<HypervisorItem[]> {
  const [load, servers] = await Promise.all([
    want.detail ? workloads(deps, entries) : Promise.resolve(new Map<string, number>()),
    want.withServers ? serversOnHosts(deps, entries) : Promise.resolve(undefined),
  ]);
  return entries.map((entry) => {
    const key = hostKey(entry.cell, entry.node.host);
    return { entry, workload: load.get(key) ?? 0, servers: servers === undefined ? undefined : (servers.get(key) ?? []), uptime: uptimeOf(deps, entry) };
  });
}

// Nova matches with SQL `LIKE '%pattern%'`, which MySQL compares without regard to case.
async function matchingHypervisors(deps: ComputeApiDeps, pattern: string): Promise<HypervisorEntry[]> {
  const needle = pattern.toLowerCase();
  const found = (await collectHypervisors(deps)).filter((e) => e.node.hypervisor_hostname.toLowerCase().includes(needle));
  if (found.length === 0) throw new NotFoundError('compute.hypervisor_not_found', `No hypervisor matching '${pattern}' could be found.`);
  return found;
}

function matchesId(entry: HypervisorEntry, id: string, uuidIds: boolean): boolean {
  if (uuidIds) return isUuidLike(id) && entry.node.uuid === canonicalUuid(id);
  return String(entry.legacyId) === id.trim();
}
