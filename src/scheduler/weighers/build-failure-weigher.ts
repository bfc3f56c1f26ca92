import type { HostState } from '../host-state.js';
import { aggregateMultiplier } from './aggregate-multiplier.js';
import type { HostWeigher, WeigherOptions } from './host-weigher.js';

/**
 * Pushes hosts with recent build failures down: raw is `failedBuilds`, and the multiplier is the
 * negated `build_failure_weight_multiplier` (default 1000000), so one failure outweighs the
 * resource weighers. Without failure counts (`failedBuilds` unset) it has no say.
 */
export class BuildFailureWeigher implements HostWeigher {
  readonly name = 'BuildFailureWeigher';

  multiplier(options: WeigherOptions, host: HostState): number {
    return -aggregateMultiplier(host, 'build_failure_weight_multiplier', options.build_failure_weight_multiplier ?? 1000000.0);
  }

  weigh(host: HostState): number {
    return host.failedBuilds ?? 0;
  }
}
