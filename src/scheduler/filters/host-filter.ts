import type { RequestSpec } from '../../objects/request-spec.js';
import type { HostState } from '../host-state.js';

/**
 * Decides whether one host can take the request. Filters are pure and cheap: they run for every
 * candidate host of every request.
 *
 * @example
 * class ComputeFilter implements HostFilter { name = 'ComputeFilter'; passes(h) { return h.serviceUp && !h.serviceDisabled; } }
 */
export interface HostFilter {
  readonly name: string;
  passes(host: HostState, spec: RequestSpec): boolean;
}
