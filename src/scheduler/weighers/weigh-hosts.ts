import type { RequestSpec } from '../../objects/request-spec.js';
import type { HostState } from '../host-state.js';
import type { HostWeigher, WeigherOptions } from './host-weigher.js';

/** A candidate host and its total weight; higher is better. */
export interface WeighedHost {
  host: HostState;
  weight: number;
}

interface Bounds {
  minval?: number | undefined;
  maxval?: number | undefined;
}

/**
 * Where normalisation starts and how wide it is: the given bounds, else the values' minimum and
 * maximum. Null when they are all equal (every value then normalises to 0).
 */
function normalizationRange(values: ArrayLike<number>, { minval, maxval }: Bounds): { lo: number; range: number } | null {
  let lo = minval;
  let hi = maxval;
  if (lo === undefined || hi === undefined) {
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    lo ??= min;
    hi ??= max;
  }
  return lo === hi ? null : { lo, range: hi - lo };
}

/**
 * Nova's normalisation: maps the values onto [0, 1] between the minimum and the maximum (or the
 * given bounds). When they are all equal every value becomes 0, so a weigher that cannot tell the
 * hosts apart has no say.
 *
 * @example
 * normalize([2, 4, 6])             // [0, 0.5, 1]
 * normalize([2, 4], { minval: 0 }) // [0.5, 1]
 * normalize([3, 3])                // [0, 0]
 */
export function normalize(values: readonly number[], bounds: Bounds = {}): number[] {
  const r = values.length === 0 ? null : normalizationRange(values, bounds);
  return r === null ? values.map(() => 0) : values.map((v) => (v - r.lo) / r.range);
}

/** Descending weight; equal weights in host, then node, name order so that the result is stable. */
export function compareWeighed(a: WeighedHost, b: WeighedHost): number {
  if (a.weight !== b.weight) return b.weight - a.weight;
  if (a.host.host !== b.host.host) return a.host.host < b.host.host ? -1 : 1;
  if (a.host.nodename !== b.host.nodename) return a.host.nodename < b.host.nodename ? -1 : 1;
  return 0;
}

/**
 * Weighs the candidate hosts and returns them best first. For each weigher that applies to the
 * request: raw weights (clamped to the weigher's `minval`/`maxval`), normalised over all the
 * candidates, times the weigher's multiplier for each host, added to the host's total. With a
 * single candidate there is nothing to compare and its weight is 0.
 *
 * `limit` returns only the best `limit` hosts (the choice and its alternates) without sorting all
 * of them, which matters with thousands of candidates.
 *
 * @example
 * const ranked = weighHosts(candidates, spec, weighersFromConfig(cfg.weight_classes), cfg, { limit: 10 });
 * const best = ranked[0]?.host;
 */
export function weighHosts(
  hosts: readonly HostState[],
  spec: RequestSpec,
  weighers: readonly HostWeigher[],
  options: WeigherOptions,
  { limit = Infinity }: { limit?: number } = {},
): WeighedHost[] {
  const n = hosts.length;
  const totals = new Float64Array(n);
  if (n > 1) {
    const raw = new Float64Array(n);
    for (const weigher of weighers) {
      if (weigher.appliesTo !== undefined && !weigher.appliesTo(spec)) continue;
      const { minval, maxval } = weigher;
      for (let i = 0; i < n; i++) {
        let v = weigher.weigh(hosts[i] as HostState, spec);
        if (minval !== undefined && v < minval) v = minval;
        if (maxval !== undefined && v > maxval) v = maxval;
        raw[i] = v;
      }
      const r = normalizationRange(raw, weigher);
      if (r === null) continue;
      for (let i = 0; i < n; i++) {
        const w = ((raw[i] as number) - r.lo) / r.range;
        // A zero weight adds nothing whatever the multiplier; skip the multiplier lookup.
        if (w !== 0) totals[i] = (totals[i] as number) + weigher.multiplier(options, hosts[i] as HostState) * w;
      }
    }
  }
  const k = Math.max(0, Math.floor(limit));
  if (k >= n) return hosts.map((host, i) => ({ host, weight: totals[i] as number })).sort(compareWeighed);
  return best(hosts, totals, k);
}

/** The best `k` hosts in order, by bounded insertion: O(n log k), objects only for the winners. */
function best(hosts: readonly HostState[], totals: Float64Array, k: number): WeighedHost[] {
  const top: WeighedHost[] = [];
  if (k === 0) return top;
  for (let i = 0; i < hosts.length; i++) {
    const weight = totals[i] as number;
    // Most hosts lose to the current worst on weight alone; they need no object.
    if (top.length === k && weight < (top[k - 1] as WeighedHost).weight) continue;
    const entry = { host: hosts[i] as HostState, weight };
    if (top.length === k) {
      if (compareWeighed(entry, top[k - 1] as WeighedHost) >= 0) continue;
      top.pop();
    }
    let lo = 0;
    let hi = top.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareWeighed(top[mid] as WeighedHost, entry) <= 0) lo = mid + 1;
      else hi = mid;
    }
    top.splice(lo, 0, entry);
  }
  return top;
}
