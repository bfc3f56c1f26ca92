import type { RequestSpec } from '../../objects/request-spec.js';
import type { HostState } from '../host-state.js';
import type { HostFilter } from './host-filter.js';

/** Restricts the choice to the requested host, node or cell, and away from ignored hosts. Always on. */
export class RequestedDestinationFilter implements HostFilter {
  readonly name = 'RequestedDestinationFilter';

  passes(host: HostState, spec: RequestSpec): boolean {
    if (spec.ignore_hosts.includes(host.host)) return false;
    const dest = spec.requested_destination;
    if (dest === null) return true;
    if (dest.host !== undefined && dest.host !== host.host) return false;
    if (dest.node !== undefined && dest.node !== host.nodename) return false;
    if (dest.cell !== undefined && dest.cell !== host.cellUuid && dest.cell !== host.cellName) return false;
    return true;
  }
}
