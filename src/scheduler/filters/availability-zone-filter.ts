import type { RequestSpec } from '../../objects/request-spec.js';
import type { HostState } from '../host-state.js';
import type { HostFilter } from './host-filter.js';

/** Passes hosts in the requested availability zone; any host when none was requested. */
export class AvailabilityZoneFilter implements HostFilter {
  readonly name = 'AvailabilityZoneFilter';

  passes(host: HostState, spec: RequestSpec): boolean {
    return spec.availability_zone === null || host.zone === spec.availability_zone;
  }
}
