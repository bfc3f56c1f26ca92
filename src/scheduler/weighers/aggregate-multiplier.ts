import { parsePythonFloat } from '../filters/python-float.js';
import type { HostState } from '../host-state.js';

/**
 * The multiplier for one host: the smallest value of the `name` key in the host's aggregates'
 * metadata, or `configured` when no aggregate sets it or a value is not a number (Nova logs a
 * warning there and uses the configured value).
 *
 * @example
 * aggregateMultiplier(host, 'ram_weight_multiplier', options.ram_weight_multiplier ?? 1.0)
 */
export function aggregateMultiplier(host: HostState, name: string, configured: number): number {
  const aggregates = host.aggregates;
  if (aggregates === undefined || aggregates.length === 0) return configured;
  let found: number | undefined;
  for (const agg of aggregates) {
    const raw = agg.metadata[name];
    if (raw === undefined) continue;
    const value = parsePythonFloat(raw);
    if (value === undefined || Number.isNaN(value)) return configured;
    found = found === undefined ? value : Math.min(found, value);
  }
  return found ?? configured;
}
