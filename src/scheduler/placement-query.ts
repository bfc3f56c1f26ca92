import type { RequestSpec } from '../objects/request-spec.js';
import type { CandidateQuery } from '../placement/index.js';
import type { CachedHost } from './host-state-cache.js';

/** An aggregate uuid that no provider is ever a member of (unlike cell0's all-zero uuid). */
export const NO_SUCH_AGGREGATE = 'ffffffff-ffff-4fff-bfff-ffffffffffff';

/**
 * The placement resources a flavor asks for (swap counts as disk, rounded up to whole GiB). A
 * volume-backed instance (`isBfv`) keeps its root disk on the volume service, so the flavor's root
 * disk is not asked of the host, as in Nova.
 */
export function flavorResources(flavor: RequestSpec['flavor'], isBfv = false): Record<string, number> {
  const disk = (isBfv ? 0 : flavor.root_gb) + flavor.ephemeral_gb + Math.ceil(flavor.swap / 1024);
  const out: Record<string, number> = { VCPU: flavor.vcpus, MEMORY_MB: flavor.memory_mb };
  if (disk > 0) out['DISK_GB'] = disk;
  return out;
}

/**
 * The allocation-candidates query for a request, with Nova's prefilters done the cheap way: every
 * compute node provider is a member of its cell's aggregate (the cell uuid), so a requested cell,
 * or a requested zone, narrows placement's answer to the cells that can satisfy it before the
 * filters see it. The filters still apply the exact rule.
 */
export function candidateQuery(spec: RequestSpec, hostView: ReadonlyMap<string, CachedHost> | readonly CachedHost[], limit: number): CandidateQuery {
  // Walked only when a cell or zone is asked for: copying 10,000 hosts for every decision cost
  // more than the rest of this function.
  const all = (): Iterable<CachedHost> => ('values' in hostView && !Array.isArray(hostView) ? hostView.values() : hostView);
  const query: CandidateQuery = { resources: flavorResources(spec.flavor, spec.is_bfv === true), limit };
  const memberOf: string[][] = [];
  const cell = spec.requested_destination?.cell;
  if (cell !== undefined) {
    const uuids = new Set<string>();
    for (const h of all()) if (h.cellUuid === cell || h.cellName === cell) uuids.add(h.cellUuid);
    memberOf.push([...uuids]);
  }
  if (spec.availability_zone !== null) {
    const uuids = new Set<string>();
    for (const h of all()) if (h.zone === spec.availability_zone) uuids.add(h.cellUuid);
    memberOf.push([...uuids]);
  }
  // An empty any-of list matches nothing, which is the right answer: no cell can satisfy it.
  if (memberOf.length > 0) query.member_of = memberOf.map((l) => (l.length > 0 ? l : [NO_SUCH_AGGREGATE]));
  return query;
}
