import type { RequestSpec } from '../../objects/request-spec.js';
import type { HostState } from '../host-state.js';
import type { HostFilter } from './host-filter.js';
import { countOverlap } from './uuid-set.js';

/**
 * For a server group with the `anti-affinity` policy, passes hosts that hold fewer than
 * `max_server_per_host` (default 1) of the group's members. The host the instance is on already
 * passes, so a resize or migration may consider its source host. Other requests pass untouched.
 */
export class ServerGroupAntiAffinityFilter implements HostFilter {
  readonly name = 'ServerGroupAntiAffinityFilter';

  passes(host: HostState, spec: RequestSpec): boolean {
    const group = spec.instance_group;
    if (group === null || group === undefined || group.policy !== 'anti-affinity') return true;
    const onHost = host.instanceUuids ?? [];
    if (onHost.includes(spec.instance_uuid)) return true;
    const max = maxServerPerHost(group.rules.max_server_per_host);
    return countOverlap(onHost, group.members) < max;
  }
}

/** The rule's value; a missing or unusable one means Nova's default of one member per host. */
function maxServerPerHost(rule: number | string | undefined): number {
  if (rule === undefined) return 1;
  const n = Number(rule);
  return Number.isInteger(n) && n >= 1 ? n : 1;
}
