import type { HypervisorItem } from '../../compute-api/hypervisors/list-hypervisors.js';
import type { HypervisorStatistics } from '../../compute-api/hypervisors/hypervisor-statistics.js';
import { atLeast, type Microversion } from '../microversion.js';

/** How to shape a hypervisor: the summary or the detailed view, and whether servers were asked for. */
export interface HypervisorViewOptions {
  detail: boolean;
  withServers: boolean;
}

/**
 * A hypervisor as Nova's view builds it. The id is the (cell-unique) integer below 2.53 and the
 * node uuid from 2.53; the detailed view adds type, version, host IP and the service, plus the
 * usage fields below 2.88 (`cpu_info` a JSON string below 2.28, an object from 2.28) or `uptime`
 * from 2.88. `servers` appears when the host has any, and from 2.75 as `[]` when asked for.
 */
export function hypervisorView(mv: Microversion, item: HypervisorItem, options: HypervisorViewOptions): Record<string, unknown> {
  const { node, service } = item.entry;
  const uuidIds = atLeast(mv, '2.53');
  const body: Record<string, unknown> = {
    id: uuidIds ? node.uuid : item.entry.legacyId,
    hypervisor_hostname: node.hypervisor_hostname,
    state: item.entry.up ? 'up' : 'down',
    status: service.disabled ? 'disabled' : 'enabled',
  };
  if (options.detail) {
    body['hypervisor_type'] = node.hypervisor_type;
    body['hypervisor_version'] = node.hypervisor_version;
    body['host_ip'] = node.host_ip;
    // The service id is the one GET /os-services shows at the same microversion.
    body['service'] = { id: uuidIds ? service.uuid : service.id, host: node.host, disabled_reason: service.disabled_reason };
    if (atLeast(mv, '2.88')) {
      body['uptime'] = item.uptime;
    } else {
      const freeDisk = node.local_gb - node.local_gb_used;
      Object.assign(body, {
        vcpus: node.vcpus,
        memory_mb: node.memory_mb,
        local_gb: node.local_gb,
        vcpus_used: node.vcpus_used,
        memory_mb_used: node.memory_mb_used,
        local_gb_used: node.local_gb_used,
        free_ram_mb: node.memory_mb - node.memory_mb_used,
        free_disk_gb: freeDisk,
        current_workload: item.workload,
        running_vms: node.running_vms,
        // The fake driver reports no over-commit-aware figure; the free disk is the best one.
        disk_available_least: freeDisk,
        // No driver reports CPU details yet: an empty object, as a string before 2.28.
        cpu_info: atLeast(mv, '2.28') ? {} : '{}',
      });
    }
  }
  const servers = item.servers ?? [];
  if (servers.length > 0) body['servers'] = servers.map((s) => ({ name: s.name, uuid: s.uuid }));
  else if (options.withServers && atLeast(mv, '2.75')) body['servers'] = [];
  return body;
}

/** The view of GET /os-hypervisors/{id}/uptime: the summary plus `uptime`. */
export function hypervisorUptimeView(mv: Microversion, item: HypervisorItem): Record<string, unknown> {
  return { ...hypervisorView(mv, item, { detail: false, withServers: false }), uptime: item.uptime };
}

/** The body of GET /os-hypervisors/statistics. */
export function hypervisorStatisticsView(stats: HypervisorStatistics): Record<string, unknown> {
  return { hypervisor_statistics: { ...stats } };
}

/**
 * `hypervisors_links` with a `next` link when the page is full: the request's query (sorted, as
 * Nova does) with the marker set to the last id shown.
 */
export function hypervisorLinks(
  collectionUrl: string,
  shown: readonly Record<string, unknown>[],
  pageSize: number | undefined,
  query: Readonly<Record<string, string>>,
): { rel: string; href: string }[] | undefined {
  const last = shown[shown.length - 1];
  if (last === undefined || pageSize === undefined || pageSize === 0 || shown.length !== pageSize) return undefined;
  const marker = String(last['id']);
  const params = new URLSearchParams();
  for (const key of Object.keys(query).sort()) params.append(key, key === 'marker' ? marker : (query[key] ?? ''));
  if (!params.has('marker')) params.append('marker', marker);
  return [{ rel: 'next', href: `${collectionUrl}?${params.toString()}` }];
}
