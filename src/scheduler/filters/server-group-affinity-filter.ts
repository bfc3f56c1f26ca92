import type { RequestSpec } from '../../objects/request-spec.js';
import type { HostState } from '../host-state.js';
import type { HostFilter } from './host-filter.js';

/**
 * For a server group with the `affinity` policy, passes only the hosts its members are already on;
 * while the group has no host yet (its first member), every host passes. Other requests pass.
 */
export class ServerGroupAffinityFilter implements HostFilter {
  readonly name = 'ServerGroupAffinityFilter';

  passes(host: HostState, spec: RequestSpec): boolean {
    const group = spec.instance_group;
    if (group === null || group === undefined || group.policy !== 'affinity') return true;
    return group.hosts.length === 0 || group.hosts.includes(host.host);
  }
}
