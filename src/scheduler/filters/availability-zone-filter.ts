import type { RequestSpec } from '../../objects/request-spec.js';
import type { HostState } from '../host-state.js';
import type { HostFilter } from './host-filter.js';

/**
 * Passes hosts in the requested availability zone; any host when none was requested. A host's
 * zones are the `availability_zone` metadata of its aggregates; a host in no zoned aggregate is in
 * `host.zone` (the default zone, as the host-state source fills it). Names are case-sensitive.
 */
export class AvailabilityZoneFilter implements HostFilter {
  readonly name = 'AvailabilityZoneFilter';

  passes(host: HostState, spec: RequestSpec): boolean {
    const wanted = spec.availability_zone;
    if (wanted === null) return true;
    let zoned = false;
    for (const agg of host.aggregates ?? []) {
      const zone = agg.metadata['availability_zone'];
      if (zone === undefined) continue;
      if (zone === wanted) return true;
      zoned = true;
    }
    return !zoned && host.zone === wanted;
  }
}
