import type { RequestSpec } from '../../objects/request-spec.js';
import type { HostState } from '../host-state.js';
import type { HostFilter } from './host-filter.js';

/**
 * Passes hosts with room for the flavor under the allocation ratios. Placement takes this job over
 * once it exists; until then the scheduler checks capacity itself.
 */
export class CapacityFilter implements HostFilter {
  readonly name = 'CapacityFilter';

  passes(host: HostState, spec: RequestSpec): boolean {
    const f = spec.flavor;
    const disk = f.root_gb + f.ephemeral_gb + Math.ceil(f.swap / 1024);
    return host.freeVcpus >= f.vcpus && host.freeRamMb >= f.memory_mb && host.freeDiskGb >= disk;
  }
}
