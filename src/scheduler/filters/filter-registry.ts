import { TesseraError } from '../../common/errors.js';
import { AvailabilityZoneFilter } from './availability-zone-filter.js';
import { ComputeFilter } from './compute-filter.js';
import type { HostFilter } from './host-filter.js';

const KNOWN: Record<string, () => HostFilter> = {
  ComputeFilter: () => new ComputeFilter(),
  AvailabilityZoneFilter: () => new AvailabilityZoneFilter(),
};

/** Builds the filters named by `[filter_scheduler] enabled_filters`; an unknown name stops start-up. */
export function filtersFromConfig(names: readonly string[]): HostFilter[] {
  return names.map((name) => {
    const make = KNOWN[name];
    if (make === undefined) {
      throw new TesseraError('config.unknown_filter', 500, `[filter_scheduler] enabled_filters: unknown filter ${name} (known: ${Object.keys(KNOWN).join(', ')})`);
    }
    return make();
  });
}
