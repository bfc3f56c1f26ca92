import type { RequestSpec } from '../../objects/request-spec.js';
import { countOverlap } from '../filters/uuid-set.js';
import type { HostState } from '../host-state.js';
import { aggregateMultiplier } from './aggregate-multiplier.js';
import type { HostWeigher, WeigherOptions } from './host-weigher.js';

/**
 * For a `soft-anti-affinity` server group, prefers hosts holding fewer of the group's members
 * (raw: minus how many), so members spread while a shared host is still allowed. Off otherwise.
 */
export class ServerGroupSoftAntiAffinityWeigher implements HostWeigher {
  readonly name = 'ServerGroupSoftAntiAffinityWeigher';

  appliesTo(spec: RequestSpec): boolean {
    return spec.instance_group?.policy === 'soft-anti-affinity';
  }

  multiplier(options: WeigherOptions, host: HostState): number {
    return aggregateMultiplier(host, 'soft_anti_affinity_weight_multiplier', options.soft_anti_affinity_weight_multiplier ?? 1.0);
  }

  weigh(host: HostState, spec: RequestSpec): number {
    const group = spec.instance_group;
    if (group === null || group === undefined || group.policy !== 'soft-anti-affinity') return 0;
    return -countOverlap(host.instanceUuids, group.members);
  }
}
