import type { HostState } from '../host-state.js';
import { aggregateMultiplier } from './aggregate-multiplier.js';
import type { HostWeigher, WeigherOptions } from './host-weigher.js';

/**
 * Prefers hosts with more free RAM, spreading instances; a negative `ram_weight_multiplier`
 * stacks them instead. Weights are shares of the largest free RAM among the candidates.
 */
export class RamWeigher implements HostWeigher {
  readonly name = 'RAMWeigher';
  readonly minval = 0;

  multiplier(options: WeigherOptions, host: HostState): number {
    return aggregateMultiplier(host, 'ram_weight_multiplier', options.ram_weight_multiplier ?? 1.0);
  }

  weigh(host: HostState): number {
    return host.freeRamMb;
  }
}
