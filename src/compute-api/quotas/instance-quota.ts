import { OverLimitError } from '../../common/errors.js';
import type { Flavor } from '../../objects/flavor.js';
import { countInstanceUsage, type InstanceUsage, type InstanceUsageDeps } from './instance-usage.js';
import { projectQuotas, type ProjectQuotaDeps } from './project-quotas.js';
import { isUnlimited } from './quota-resources.js';

/** What checking instance quotas needs. */
export type InstanceQuotaDeps = InstanceUsageDeps & ProjectQuotaDeps;

type Counted = keyof InstanceUsage;
const COUNTED: readonly Counted[] = ['cores', 'instances', 'ram'];

/**
 * How many instances of `flavor` a boot of `min`..`max` of them may create in the project: `max`
 * when everything fits, else as many as the instances, cores and ram quotas leave room for, when
 * that is at least `min` (Nova's check_num_instances_quota).
 *
 * @throws OverLimitError `compute.quota_exceeded` (403) with Nova's TooManyInstances message,
 *   e.g. "Quota exceeded for instances: Requested 2, but already used 9 of 10 instances".
 */
export async function checkInstanceQuota(deps: InstanceQuotaDeps, projectId: string, flavor: Flavor, min: number, max: number): Promise<number> {
  const limits = await projectQuotas(deps, projectId);
  // Nothing to count when nothing is limited.
  if (COUNTED.every((r) => isUnlimited(limits[r]))) return max;
  // The bound is never below the exact count: when everything fits on it, it fits exactly too.
  const bound = await countInstanceUsage(deps, projectId, undefined, { exact: false });
  if (oversOf(limits, bound, requestedBy(flavor, max)).length === 0) return max;
  const usage = await countInstanceUsage(deps, projectId);
  return allowedInstances(limits, usage, flavor, min, max);
}

/**
 * The pure part of `checkInstanceQuota`, for a known usage.
 *
 * @example
 * allowedInstances({ instances: 10, cores: 20, ram: 51200 }, { instances: 8, cores: 8, ram: 4096 }, tiny, 1, 5); // 2
 */
export function allowedInstances(limits: InstanceUsage, usage: InstanceUsage, flavor: Flavor, min: number, max: number): number {
  const requested = requestedBy(flavor, max);
  const overs = oversOf(limits, usage, requested);
  if (overs.length === 0) return max;
  const room = (r: Counted): number => (isUnlimited(limits[r]) ? Infinity : limits[r] - usage[r]);
  let allowed = room('instances');
  if (flavor.vcpus > 0) allowed = Math.min(allowed, Math.floor(room('cores') / flavor.vcpus));
  if (flavor.memory_mb > 0) allowed = Math.min(allowed, Math.floor(room('ram') / flavor.memory_mb));
  if (allowed >= min && allowed <= max) return allowed;
  const shown = { instances: min === max ? String(min) : `${min}-${max}`, cores: String(requested.cores), ram: String(requested.ram) };
  throw tooManyInstances(overs, limits, usage, shown);
}

/** What `count` instances of `flavor` hold. */
function requestedBy(flavor: Flavor, count: number): InstanceUsage {
  return { instances: count, cores: count * flavor.vcpus, ram: count * flavor.memory_mb };
}

/**
 * Checks that a resize from `current` to `next` fits the project's cores and ram quotas: only a
 * growth counts (the instance itself is already counted), as Nova's upsize check. The resize API
 * calls this before it changes anything.
 *
 * @throws OverLimitError `compute.quota_exceeded` (403) with Nova's TooManyInstances message.
 */
export async function checkResizeQuota(deps: InstanceQuotaDeps, projectId: string, current: Flavor, next: Flavor): Promise<void> {
  const deltas = resizeDeltas(current, next);
  if (deltas.cores === 0 && deltas.ram === 0) return;
  const limits = await projectQuotas(deps, projectId);
  if (isUnlimited(limits.cores) && isUnlimited(limits.ram)) return;
  if (oversOf(limits, await countInstanceUsage(deps, projectId, undefined, { exact: false }), deltas).length === 0) return;
  const usage = await countInstanceUsage(deps, projectId);
  const overs = oversOf(limits, usage, deltas);
  if (overs.length > 0) throw tooManyInstances(overs, limits, usage, { instances: '0', cores: String(deltas.cores), ram: String(deltas.ram) });
}

/** What a resize adds to the project's usage: no instance, and only the growth of cores and ram. */
export function resizeDeltas(current: Flavor, next: Flavor): InstanceUsage {
  return { instances: 0, cores: Math.max(0, next.vcpus - current.vcpus), ram: Math.max(0, next.memory_mb - current.memory_mb) };
}

/** The limited resources that `deltas` would take past their limit, sorted as Nova sorts them. */
function oversOf(limits: InstanceUsage, usage: InstanceUsage, deltas: InstanceUsage): Counted[] {
  return COUNTED.filter((r) => deltas[r] > 0 && !isUnlimited(limits[r]) && usage[r] + deltas[r] > limits[r]);
}

function tooManyInstances(overs: Counted[], limits: InstanceUsage, usage: InstanceUsage, requested: Record<Counted, string>): OverLimitError {
  const list = (f: (r: Counted) => string): string => overs.map(f).join(', ');
  const what = list((r) => r);
  const message = `Quota exceeded for ${what}: Requested ${list((r) => requested[r])}, but already used ${list((r) => String(usage[r]))} of ${list((r) => String(limits[r]))} ${what}`;
  return new OverLimitError('compute.quota_exceeded', message, {
    details: { overs, requested, used: Object.fromEntries(overs.map((r) => [r, usage[r]])), allowed: Object.fromEntries(overs.map((r) => [r, limits[r]])) },
  });
}
