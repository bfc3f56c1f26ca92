import type { ComputeApiDeps } from '../compute-api-deps.js';

/** Where services are, zone-wise, as one snapshot of the aggregates. */
export interface ServiceZones {
  /** The zone a service is shown in. */
  zoneOf(service: { host: string; binary: string }): string;
  /** Every zone some aggregate names, hosts or not. */
  aggregateZones: readonly string[];
}

/**
 * Reads the aggregates once and answers, as Nova's `set_availability_zones` does: a nova-compute is
 * in its host's aggregate zone(s) (joined with commas in the odd case of several), or in
 * `default_availability_zone`; every other service is in `internal_service_availability_zone`.
 */
export async function loadServiceZones(deps: ComputeApiDeps): Promise<ServiceZones> {
  const byHost = new Map<string, string[]>();
  const zones = new Set<string>();
  for (const agg of await deps.api.aggregates.list()) {
    const zone = agg.metadata['availability_zone'];
    if (zone === undefined) continue;
    zones.add(zone);
    for (const host of agg.hosts) {
      const known = byHost.get(host) ?? [];
      if (!known.includes(zone)) byHost.set(host, [...known, zone]);
    }
  }
  const { default_availability_zone: defaultZone, internal_service_availability_zone: internalZone } = deps.config.DEFAULT;
  return {
    zoneOf: (s) => (s.binary === 'nova-compute' ? (byHost.get(s.host)?.join(',') ?? defaultZone) : internalZone),
    aggregateZones: [...zones],
  };
}
