import type { RequestSpec } from '../../objects/request-spec.js';
import type { HostState } from '../host-state.js';

/**
 * The `[filter_scheduler]` multipliers the weighers read. Every one is optional and falls back to
 * Nova's default, so `config.filter_scheduler` can be passed as it is, whichever of them the
 * configuration schema defines.
 */
export interface WeigherOptions {
  /** Default 1.0; negative stacks instead of spreading. */
  ram_weight_multiplier?: number;
  /** Default 1.0; negative stacks instead of spreading. */
  cpu_weight_multiplier?: number;
  /** Default 1.0; negative stacks instead of spreading. */
  disk_weight_multiplier?: number;
  /** Default 1000000.0: staying in the source cell outweighs everything else. */
  cross_cell_move_weight_multiplier?: number;
  /** Default 1.0. */
  soft_affinity_weight_multiplier?: number;
  /** Default 1.0. */
  soft_anti_affinity_weight_multiplier?: number;
  /** Default 0.0 (off); positive packs onto busy hosts, negative spreads by instance count. */
  num_instances_weight_multiplier?: number;
  /** Default 1000000.0: a host that keeps failing builds drops to the bottom. */
  build_failure_weight_multiplier?: number;
}

/**
 * Scores hosts that passed the filters; higher wins. A weigher gives a raw value per host;
 * {@link weighHosts} normalises the raw values of all candidates to [0, 1], multiplies them by
 * the weigher's multiplier and adds up the weighers. Weighers are pure and cheap: they run for
 * every candidate host.
 *
 * @example
 * const ramWeigher: HostWeigher = {
 *   name: 'RAMWeigher',
 *   minval: 0,
 *   multiplier: (options) => options.ram_weight_multiplier ?? 1.0,
 *   weigh: (host) => host.freeRamMb,
 * };
 */
export interface HostWeigher {
  /** Nova's class name, e.g. `RAMWeigher`. */
  readonly name: string;
  /**
   * Bounds for normalisation: raw values are clamped to them, and a set bound replaces the
   * candidates' own minimum or maximum (so with `minval: 0` a weight is its share of the maximum).
   */
  readonly minval?: number;
  readonly maxval?: number;
  /**
   * The multiplier for this host: the configured one, unless one of the host's aggregates
   * overrides it in its metadata under the option's name (as Nova allows).
   */
  multiplier(options: WeigherOptions, host: HostState): number;
  /** The raw weight of the host for this request. */
  weigh(host: HostState, spec: RequestSpec): number;
  /** When it answers false the weigher gives every host the same weight and is skipped. */
  appliesTo?(spec: RequestSpec): boolean;
}
