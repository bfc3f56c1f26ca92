import type { RequestContext } from '../../common/request-context.js';
import type { ServiceRecord } from '../../db/cell/service-repo.js';
import type { CellMapping } from '../../objects/cell-mapping.js';
import { isServiceUp } from '../../objects/service-liveness.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { loadServiceZones, type ServiceZones } from './service-zones.js';

/** A service record with what the API shows about it besides its own fields. */
export interface ServiceEntry {
  service: ServiceRecord;
  cell: CellMapping;
  zone: string;
  /** Reported within `service_down_time` and not forced down. */
  up: boolean;
}

// API services do not heartbeat, so they would always look down; Nova leaves them out too.
const API_BINARIES = new Set(['nova-osapi_compute', 'nova-metadata']);

/**
 * Every service record of every cell (in cell order, then by id), with its zone and liveness.
 * No policy check: the services API and the availability zone API both build on it. A caller that
 * already read the aggregates passes them as `preloadedZones`.
 */
export async function collectServices(
  deps: ComputeApiDeps,
  filter: { host?: string; binary?: string } = {},
  preloadedZones?: ServiceZones,
): Promise<ServiceEntry[]> {
  const [cells, zones] = await Promise.all([deps.api.cells.list(), preloadedZones ?? loadServiceZones(deps)]);
  const now = deps.clock.now();
  const downTime = deps.config.DEFAULT.service_down_time;
  const out: ServiceEntry[] = [];
  for (const cell of cells) {
    for (const service of await deps.cells.repos(cell).services.list(filter)) {
      if (API_BINARIES.has(service.binary)) continue;
      out.push({ service, cell, zone: zones.zoneOf(service), up: isServiceUp(service, now, downTime) });
    }
  }
  return out;
}

/** GET /os-services (administrators): optionally only one host and/or binary; empty filters are ignored. */
export async function listServices(deps: ComputeApiDeps, ctx: RequestContext, query: { host?: string; binary?: string }): Promise<ServiceEntry[]> {
  deps.policy.authorize('os_compute_api:os-services:list', ctx, { project_id: ctx.projectId });
  return collectServices(deps, {
    ...(query.host ? { host: query.host } : {}),
    ...(query.binary ? { binary: query.binary } : {}),
  });
}
