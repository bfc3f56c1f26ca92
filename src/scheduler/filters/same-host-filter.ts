import type { RequestSpec } from '../../objects/request-spec.js';
import type { HostState } from '../host-state.js';
import type { HostFilter } from './host-filter.js';
import { countOverlap } from './uuid-set.js';

/**
 * With the scheduler hint `same_host` (a list of instance uuids), passes only the hosts that run
 * at least one of those instances. Without the hint (or with an empty list) every host passes.
 */
export class SameHostFilter implements HostFilter {
  readonly name = 'SameHostFilter';

  passes(host: HostState, spec: RequestSpec): boolean {
    const uuids = spec.scheduler_hints['same_host'];
    if (uuids === undefined || uuids.length === 0) return true;
    return countOverlap(host.instanceUuids, uuids) > 0;
  }
}
