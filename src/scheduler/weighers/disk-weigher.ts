import type { HostState } from '../host-state.js';
import { aggregateMultiplier } from './aggregate-multiplier.js';
import type { HostWeigher, WeigherOptions } from './host-weigher.js';

/**
 * Prefers hosts with more free disk, spreading instances; a negative `disk_weight_multiplier`
 * stacks them instead.
 */
export class DiskWeigher implements HostWeigher {
  readonly name = 'DiskWeigher';
  readonly minval = 0;

  multiplier(options: WeigherOptions, host: HostState): number {
    return aggregateMultiplier(host, 'disk_weight_multiplier', options.disk_weight_multiplier ?? 1.0);
  }

  weigh(host: HostState): number {
    return host.freeDiskGb;
  }
}
