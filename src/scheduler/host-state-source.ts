import type { Clock } from '../common/clock.js';
import type { ApiRepos } from '../db/api/api-repos.js';
import type { CellDatabases } from '../db/cell/cell-databases.js';
import { CELL0_UUID } from '../objects/cell-mapping.js';
import type { Flavor } from '../objects/flavor.js';
import { isServiceUp } from '../objects/service-liveness.js';
import type { HostState } from './host-state.js';

/** Resources a just-made choice holds until the instance row that accounts for it exists. */
export interface PendingClaim {
  instanceUuid: string;
  host: string;
  flavor: Flavor;
  expiresAt: number;
}

/**
 * Reads every cell's compute nodes, services and instances into host states. Usage is counted from
 * the instances placed on each host plus choices still in flight, so two requests in quick
 * succession do not both take the last room on a host.
 */
export class HostStateSource {
  constructor(private readonly deps: { api: ApiRepos; cells: CellDatabases; clock: Clock; serviceDownTime: number; defaultZone: string }) {}

  async load(pending: Map<string, PendingClaim>): Promise<HostState[]> {
    const now = this.deps.clock.now();
    const zones = await this.deps.api.aggregates.zonesByHost();
    const out: HostState[] = [];
    for (const cell of await this.deps.api.cells.list()) {
      if (cell.uuid === CELL0_UUID || cell.disabled) continue;
      const repos = this.deps.cells.repos(cell);
      const [nodes, services, instances] = await Promise.all([
        repos.computeNodes.list(),
        repos.services.list({ binary: 'nova-compute' }),
        repos.instances.list({}),
      ]);
      // A claim ends once its instance has a row in a cell, even a deleted one: from then on the
      // row (or its absence) is the truth, so a later delete frees the room at once.
      const seen = await repos.instances.list({ uuids: [...pending.keys()], includeDeleted: true });
      for (const i of seen) pending.delete(i.uuid);
      const placed = new Set(instances.map((i) => i.uuid));
      for (const node of nodes) {
        const service = services.find((s) => s.host === node.host);
        const usedFlavors = instances.filter((i) => i.host === node.host).map((i) => i.flavor);
        for (const claim of pending.values()) {
          if (claim.host === node.host && !placed.has(claim.instanceUuid) && claim.expiresAt > now.getTime()) usedFlavors.push(claim.flavor);
        }
        const used = usedFlavors.reduce(
          (acc, f) => ({ vcpus: acc.vcpus + f.vcpus, ram: acc.ram + f.memory_mb, disk: acc.disk + f.root_gb + f.ephemeral_gb + Math.ceil(f.swap / 1024) }),
          { vcpus: 0, ram: 0, disk: 0 },
        );
        const totalVcpus = Math.floor((node.vcpus - node.reserved_host_cpus) * node.cpu_allocation_ratio);
        const totalRamMb = Math.floor((node.memory_mb - node.reserved_host_memory_mb) * node.ram_allocation_ratio);
        const totalDiskGb = Math.floor((node.local_gb - node.reserved_host_disk_mb / 1024) * node.disk_allocation_ratio);
        out.push({
          host: node.host,
          nodename: node.hypervisor_hostname,
          cellUuid: cell.uuid,
          cellName: cell.name,
          zone: zones.get(node.host) ?? this.deps.defaultZone,
          serviceUp: service !== undefined && isServiceUp(service, now, this.deps.serviceDownTime),
          serviceDisabled: service?.disabled ?? true,
          totalVcpus,
          totalRamMb,
          totalDiskGb,
          freeVcpus: totalVcpus - used.vcpus,
          freeRamMb: totalRamMb - used.ram,
          freeDiskGb: totalDiskGb - used.disk,
        });
      }
    }
    return out;
  }
}
