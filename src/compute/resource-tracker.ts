import type { Logger } from '../common/logger.js';
import type { CellRepos } from '../db/cell/cell-repos.js';
import type { VirtDriver } from '../virt/index.js';

export interface TrackerConfig {
  cpu_allocation_ratio: number;
  ram_allocation_ratio: number;
  disk_allocation_ratio: number;
  reserved_host_memory_mb: number;
  reserved_host_disk_mb: number;
  reserved_host_cpus: number;
}

/**
 * Reports the node's capacity (from the driver) and usage (from the instances the cell database
 * places on this host) to the compute_nodes table, as Nova's resource tracker does.
 */
export class ResourceTracker {
  constructor(private readonly deps: { host: string; serviceId: number; repos: CellRepos; driver: VirtDriver; config: TrackerConfig; logger: Logger }) {}

  async update(): Promise<void> {
    const { host, repos, driver, config } = this.deps;
    for (const node of await driver.getNodeNames()) {
      const res = await driver.getAvailableResource(node);
      const instances = (await repos.instances.onHost(host)).filter((i) => i.node === node || i.node === null);
      let vcpus = 0;
      let memory = config.reserved_host_memory_mb;
      let disk = Math.ceil(config.reserved_host_disk_mb / 1024);
      for (const i of instances) {
        vcpus += i.flavor.vcpus;
        memory += i.flavor.memory_mb;
        disk += i.flavor.root_gb + i.flavor.ephemeral_gb + Math.ceil(i.flavor.swap / 1024);
      }
      await repos.computeNodes.save(this.deps.serviceId, {
        host,
        hypervisor_hostname: res.hypervisor_hostname,
        hypervisor_type: res.hypervisor_type,
        hypervisor_version: res.hypervisor_version,
        host_ip: res.host_ip,
        vcpus: res.vcpus,
        memory_mb: res.memory_mb,
        local_gb: res.local_gb,
        vcpus_used: vcpus,
        memory_mb_used: memory,
        local_gb_used: disk,
        running_vms: instances.length,
        cpu_allocation_ratio: config.cpu_allocation_ratio,
        ram_allocation_ratio: config.ram_allocation_ratio,
        disk_allocation_ratio: config.disk_allocation_ratio,
        reserved_host_memory_mb: config.reserved_host_memory_mb,
        reserved_host_disk_mb: config.reserved_host_disk_mb,
        reserved_host_cpus: config.reserved_host_cpus,
      });
    }
  }
}
