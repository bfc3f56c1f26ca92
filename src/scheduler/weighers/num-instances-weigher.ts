import type { HostState } from '../host-state.js';
import { aggregateMultiplier } from './aggregate-multiplier.js';
import type { HostWeigher, WeigherOptions } from './host-weigher.js';

/**
 * Weighs hosts by how many instances they run. Its multiplier `num_instances_weight_multiplier`
 * defaults to 0 (off): negative prefers the emptier hosts, positive packs onto the busier ones.
 */
export class NumInstancesWeigher implements HostWeigher {
  readonly name = 'NumInstancesWeigher';

  multiplier(options: WeigherOptions, host: HostState): number {
    return aggregateMultiplier(host, 'num_instances_weight_multiplier', options.num_instances_weight_multiplier ?? 0.0);
  }

  weigh(host: HostState): number {
    return host.numInstances ?? host.instanceUuids?.length ?? 0;
  }
}
