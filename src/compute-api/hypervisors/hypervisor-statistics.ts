import type { RequestContext } from '../../common/request-context.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { collectHypervisors, hostKey, workloads } from './collect-hypervisors.js';

/** The sums of GET /os-hypervisors/statistics. */
export interface HypervisorStatistics {
  count: number;
  vcpus: number;
  memory_mb: number;
  local_gb: number;
  vcpus_used: number;
  memory_mb_used: number;
  local_gb_used: number;
  free_ram_mb: number;
  free_disk_gb: number;
  current_workload: number;
  running_vms: number;
  disk_available_least: number;
}

/**
 * GET /os-hypervisors/statistics (administrators, before 2.88): capacity and usage summed over the
 * compute nodes whose nova-compute service is enabled, as Nova sums them.
 */
export async function hypervisorStatistics(deps: ComputeApiDeps, ctx: RequestContext): Promise<HypervisorStatistics> {
  deps.policy.authorize('os_compute_api:os-hypervisors:statistics', ctx, {});
  const entries = (await collectHypervisors(deps)).filter((e) => !e.service.disabled);
  const load = await workloads(deps, entries);
  const stats: HypervisorStatistics = {
    count: 0, vcpus: 0, memory_mb: 0, local_gb: 0, vcpus_used: 0, memory_mb_used: 0, local_gb_used: 0,
    free_ram_mb: 0, free_disk_gb: 0, current_workload: 0, running_vms: 0, disk_available_least: 0,
  };
  for (const { node, cell } of entries) {
    stats.count += 1;
    stats.vcpus += node.vcpus;
    stats.memory_mb += node.memory_mb;
    stats.local_gb += node.local_gb;
    stats.vcpus_used += node.vcpus_used;
    stats.memory_mb_used += node.memory_mb_used;
    stats.local_gb_used += node.local_gb_used;
    stats.free_ram_mb += node.memory_mb - node.memory_mb_used;
    stats.free_disk_gb += node.local_gb - node.local_gb_used;
    stats.disk_available_least += node.local_gb - node.local_gb_used;
    stats.current_workload += load.get(hostKey(cell, node.host)) ?? 0;
    stats.running_vms += node.running_vms;
  }
  return stats;
}
