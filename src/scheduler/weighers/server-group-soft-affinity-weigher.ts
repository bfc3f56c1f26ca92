import type { RequestSpec } from '../../objects/request-spec.js';
import { countOverlap } from '../filters/uuid-set.js';
import type { HostState } from '../host-state.js';
import { aggregateMultiplier } from './aggregate-multiplier.js';
import type { HostWeigher, WeigherOptions } from './host-weigher.js';

/**
 * For a `soft-affinity` server group, prefers hosts holding more of the group's members (raw: how
 * many), so members gather without the hard affinity filter's NoValidHost. Off otherwise.
 */
export class ServerGroupSoftAffinityWeigher implements HostWeigher {
  readonly name = 'ServerGroupSoftAffinityWeigher';

  appliesTo(spec: RequestSpec): boolean {
    return spec.instance_group?.policy === 'soft-affinity';
  }

  multiplier(options: WeigherOptions, host: HostState): number {
    return aggregateMultiplier(host, 'soft_affinity_weight_multiplier', options.soft_affinity_weight_multiplier ?? 1.0);
  }

  weigh(host: HostState, spec: RequestSpec): number {
    const group = spec.instance_group;
    if (group === null || group === undefined || group.policy !== 'soft-affinity') return 0;
    return countOverlap(host.instanceUuids, group.members);
  }
}
