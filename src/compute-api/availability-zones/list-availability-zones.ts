import type { RequestContext } from '../../common/request-context.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { collectServices, type ServiceEntry } from '../services/list-services.js';
import { loadServiceZones } from '../services/service-zones.js';

/** One service of a host, as the detailed zone list shows it. */
export interface ZoneService {
  binary: string;
  /** The service is up (reported in time, not forced down). */
  available: boolean;
  /** The service is enabled. */
  active: boolean;
  updatedAt: string | null;
}

export interface ZoneInfo {
  name: string;
  available: boolean;
  /** host → its services; only for available zones of the detailed list. */
  hosts: Map<string, ZoneService[]> | null;
}

/**
 * GET /os-availability-zone: the zones users can boot into. A zone is available when at least one
 * enabled service in it is up; zones that only aggregates name, or whose services are all disabled
 * or down, are listed as not available. The internal zone of non-compute services is hidden.
 */
export async function listAvailabilityZones(deps: ComputeApiDeps, ctx: RequestContext): Promise<ZoneInfo[]> {
  deps.policy.authorize('os_compute_api:os-availability-zone:list', ctx, { project_id: ctx.projectId });
  const internal = deps.config.DEFAULT.internal_service_availability_zone;
  return (await describeZones(deps, false)).filter((z) => z.name !== internal);
}

/**
 * GET /os-availability-zone/detail (administrators): every zone, the internal one included, and for
 * each available zone its hosts and their enabled services.
 */
export async function listAvailabilityZonesDetail(deps: ComputeApiDeps, ctx: RequestContext): Promise<ZoneInfo[]> {
  deps.policy.authorize('os_compute_api:os-availability-zone:detail', ctx, { project_id: ctx.projectId });
  return describeZones(deps, true);
}

async function describeZones(deps: ComputeApiDeps, withHosts: boolean): Promise<ZoneInfo[]> {
  const zones = await loadServiceZones(deps);
  const entries = await collectServices(deps, {}, zones);
  const enabled = entries.filter((e) => !e.service.disabled);
  const availableNames = sorted(new Set(enabled.filter((e) => e.up).map((e) => e.zone)));
  const known = new Set([...entries.map((e) => e.zone), ...zones.aggregateZones]);
  const unavailableNames = sorted(new Set([...known].filter((z) => !availableNames.includes(z))));
  return [
    ...availableNames.map((name) => ({ name, available: true, hosts: withHosts ? hostsOf(enabled.filter((e) => e.zone === name)) : null })),
    ...unavailableNames.map((name) => ({ name, available: false, hosts: null })),
  ];
}

function hostsOf(entries: ServiceEntry[]): Map<string, ZoneService[]> {
  const hosts = new Map<string, ZoneService[]>();
  for (const e of entries) {
    const services = hosts.get(e.service.host) ?? [];
    services.push({ binary: e.service.binary, available: e.up, active: !e.service.disabled, updatedAt: e.service.updated_at });
    hosts.set(e.service.host, services);
  }
  return hosts;
}

function sorted(names: Set<string>): string[] {
  return [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
