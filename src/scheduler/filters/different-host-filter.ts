import type { RequestSpec } from '../../objects/request-spec.js';
import type { HostState } from '../host-state.js';
import type { HostFilter } from './host-filter.js';
import { countOverlap } from './uuid-set.js';

/**
 * With the scheduler hint `different_host` (a list of instance uuids), passes only the hosts that
 * run none of those instances. Without the hint (or with an empty list) every host passes.
 */
export class DifferentHostFilter implements HostFilter {
  readonly name = 'DifferentHostFilter';

  passes(host: HostState, spec: RequestSpec): boolean {
    const uuids = spec.scheduler_hints['different_host'];
    if (uuids === undefined || uuids.length === 0) return true;
    return countOverlap(host.instanceUuids, uuids) === 0;
  }
}
