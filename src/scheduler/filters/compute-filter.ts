import type { HostState } from '../host-state.js';
import type { HostFilter } from './host-filter.js';

/** Passes hosts whose compute service is up and enabled. */
export class ComputeFilter implements HostFilter {
  readonly name = 'ComputeFilter';

  passes(host: HostState): boolean {
    return host.serviceUp && !host.serviceDisabled;
  }
}
