/**
 * Nova's `host_subset_size`: picks at random among the best `size` of the ranked hosts (clamped to
 * between 1 and how many there are), so that concurrent schedulers do not all race for the same
 * host. Returns the pick first and the others in rank order after it, as the alternates.
 *
 * @example
 * const [chosen, ...alternates] = chooseFromSubset(ranked, config.filter_scheduler.host_subset_size, Math.random);
 */
export function chooseFromSubset<T>(ranked: readonly T[], size: number, random: () => number): T[] {
  if (ranked.length === 0) return [];
  const n = Number.isFinite(size) ? Math.min(Math.max(1, Math.floor(size)), ranked.length) : 1;
  // random() may return values a hair below 1; the index must still stay inside the subset.
  const index = n === 1 ? 0 : Math.min(Math.max(0, Math.floor(random() * n)), n - 1);
  return [ranked[index] as T, ...ranked.slice(0, index), ...ranked.slice(index + 1)];
}
