import type { HostState } from '../host-state.js';
import { aggregateMultiplier } from './aggregate-multiplier.js';
import type { HostWeigher, WeigherOptions } from './host-weigher.js';

/**
 * Prefers hosts with more free vCPUs (after the allocation ratio), spreading instances; a negative
 * `cpu_weight_multiplier` stacks them instead.
 */
export class CpuWeigher implements HostWeigher {
  readonly name = 'CPUWeigher';
  readonly minval = 0;

  multiplier(options: WeigherOptions, host: HostState): number {
    return aggregateMultiplier(host, 'cpu_weight_multiplier', options.cpu_weight_multiplier ?? 1.0);
  }

  weigh(host: HostState): number {
    return host.freeVcpus;
  }
}
