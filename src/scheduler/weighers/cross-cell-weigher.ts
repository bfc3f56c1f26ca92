import type { RequestSpec } from '../../objects/request-spec.js';
import type { HostState } from '../host-state.js';
import { aggregateMultiplier } from './aggregate-multiplier.js';
import type { HostWeigher, WeigherOptions } from './host-weigher.js';

/**
 * During a move (`spec.move` set), prefers hosts in the instance's current cell: raw 1 there, 0
 * elsewhere, times `cross_cell_move_weight_multiplier` (default 1000000, which outweighs the other
 * weighers, so another cell is chosen only when the source cell has no fitting host). When the
 * request is restricted to one cell all candidates are equal and it has no say. Off on create.
 */
export class CrossCellWeigher implements HostWeigher {
  readonly name = 'CrossCellWeigher';

  appliesTo(spec: RequestSpec): boolean {
    return spec.move !== undefined && spec.move !== null;
  }

  multiplier(options: WeigherOptions, host: HostState): number {
    return aggregateMultiplier(host, 'cross_cell_move_weight_multiplier', options.cross_cell_move_weight_multiplier ?? 1000000.0);
  }

  weigh(host: HostState, spec: RequestSpec): number {
    const move = spec.move;
    return move !== undefined && move !== null && host.cellUuid === move.source_cell_uuid ? 1 : 0;
  }
}
