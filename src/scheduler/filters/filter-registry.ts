import { TesseraError } from '../../common/errors.js';
import { AggregateInstanceExtraSpecsFilter } from './aggregate-instance-extra-specs-filter.js';
import { AvailabilityZoneFilter } from './availability-zone-filter.js';
import { ComputeFilter } from './compute-filter.js';
import { DifferentHostFilter } from './different-host-filter.js';
import type { HostFilter } from './host-filter.js';
import { ImagePropertiesFilter, type ImagePropertiesFilterOptions } from './image-properties-filter.js';
import { SameHostFilter } from './same-host-filter.js';
import { ServerGroupAffinityFilter } from './server-group-affinity-filter.js';
import { ServerGroupAntiAffinityFilter } from './server-group-anti-affinity-filter.js';

/**
 * Options some filters read, under their `[filter_scheduler]` names; all optional, and other
 * options are allowed, so `config.filter_scheduler` can be passed as it is.
 */
export interface FilterOptions extends ImagePropertiesFilterOptions {
  readonly [option: string]: unknown;
}

// The requested-destination restriction and the capacity check are always on, so not listed.
const KNOWN: Record<string, (options: FilterOptions) => HostFilter> = {
  ComputeFilter: () => new ComputeFilter(),
  AvailabilityZoneFilter: () => new AvailabilityZoneFilter(),
  ServerGroupAntiAffinityFilter: () => new ServerGroupAntiAffinityFilter(),
  ServerGroupAffinityFilter: () => new ServerGroupAffinityFilter(),
  SameHostFilter: () => new SameHostFilter(),
  DifferentHostFilter: () => new DifferentHostFilter(),
  AggregateInstanceExtraSpecsFilter: () => new AggregateInstanceExtraSpecsFilter(),
  ImagePropertiesFilter: (options) => new ImagePropertiesFilter(options),
};

/** The filter names `[filter_scheduler] enabled_filters` accepts (Nova's class names). */
export function knownFilterNames(): string[] {
  return Object.keys(KNOWN);
}

/**
 * Builds the filters named by `[filter_scheduler] enabled_filters`, in that order; an unknown
 * name stops start-up.
 *
 * @example
 * const filters = filtersFromConfig(config.filter_scheduler.enabled_filters, config.filter_scheduler);
 */
export function filtersFromConfig(names: readonly string[], options: FilterOptions = {}): HostFilter[] {
  return names.map((name) => {
    const make = Object.hasOwn(KNOWN, name) ? KNOWN[name] : undefined;
    if (make === undefined) {
      throw new TesseraError('config.unknown_filter', 500, `[filter_scheduler] enabled_filters: unknown filter ${name} (known: ${knownFilterNames().join(', ')})`);
    }
    return make(options);
  });
}
