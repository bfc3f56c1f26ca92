import type { Logger } from '../common/logger.js';
import type { CellRepos } from '../db/cell/cell-repos.js';
import type { Flavor } from '../objects/flavor.js';
import type { Instance } from '../objects/instance.js';
import type { PlacementClient } from '../placement/index.js';
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
 * places on this host, and the moves into or out of it) to the compute_nodes table, as Nova's
 * resource tracker does.
 */
export class ResourceTracker {
  private readonly inCellAggregate = new Set<string>();
  /** What was last reported per provider, so an unchanged inventory costs no placement call. */
  private readonly reported = new Map<string, string>();
  /** The last report written per node, with the node's uuid: an unchanged report is not written again. */
  private readonly saved = new Map<string, { report: string; uuid: string }>();

  constructor(
    private readonly deps: { host: string; cellUuid: string; serviceId: number; repos: CellRepos; driver: VirtDriver; placement: PlacementClient; config: TrackerConfig; logger: Logger },
  ) {}

  /**
   * Reports the node. `correct` (the periodic task) always sends the inventory, so that drift made
   * in placement by someone else is put right; other updates skip an inventory already reported.
   */
  async update(options: { correct?: boolean } = {}): Promise<void> {
    const { host, repos, driver, config } = this.deps;
    for (const node of await driver.getNodeNames()) {
      const res = await driver.getAvailableResource(node);
      const instances = (await repos.instances.onHost(host)).filter((i) => i.node === node || i.node === null);
      const held = [...instances.map((i) => ({ uuid: i.uuid, flavor: i.flavor })), ...(await this.movesHeldHere(instances))];
      let vcpus = 0;
      let memory = config.reserved_host_memory_mb;
      let disk = Math.ceil(config.reserved_host_disk_mb / 1024);
      const bdms = await repos.bdms.listFor([...new Set(held.map((h) => h.uuid))]);
      for (const { uuid, flavor } of held) {
        vcpus += flavor.vcpus;
        memory += flavor.memory_mb;
        // A volume-backed root disk lives on the volume service, not on this host.
        const volumeBacked = (bdms.get(uuid) ?? []).some((b) => b.boot_index === 0 && b.destination_type === 'volume');
        disk += (volumeBacked ? 0 : flavor.root_gb) + flavor.ephemeral_gb + Math.ceil(flavor.swap / 1024);
      }
      const report = {
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
      };
      // As Nova's tracker, the node's record is written only when the report changed; at 10,000
      // simulated hosts the periodic task would otherwise rewrite every row each interval.
      const key = JSON.stringify(report);
      let uuid = this.saved.get(node)?.report === key ? this.saved.get(node)?.uuid : undefined;
      if (uuid === undefined) {
        uuid = (await repos.computeNodes.save(this.deps.serviceId, report)).uuid;
        this.saved.set(node, { report: key, uuid });
      }
      await this.report(uuid, res.hypervisor_hostname, res, options.correct === true);
    }
  }

  /**
   * What open moves hold on this host besides the instances on it, as Nova's tracker counts
   * migrations: an instance leaving keeps its old flavor here until the move is confirmed or
   * reverted, one arriving takes its new flavor from the start, and a same-host resize holds both.
   */
  private async movesHeldHere(onHost: readonly Instance[]): Promise<{ uuid: string; flavor: Flavor }[]> {
    const { host, repos } = this.deps;
    const out: { uuid: string; flavor: Flavor }[] = [];
    for (const m of await repos.migrations.inProgressOnHost(host)) {
      const instance = onHost.find((i) => i.uuid === m.instance_uuid) ?? (await repos.instances.find(m.instance_uuid));
      if (instance === undefined) continue;
      // A hidden copy (a cross-cell move) is not the instance being here.
      const here = instance.host === host && !instance.hidden;
      const oldFlavor = instance.old_flavor ?? instance.flavor;
      const newFlavor = instance.new_flavor ?? instance.flavor;
      if (m.source_compute === host && m.dest_compute === host) {
        out.push({ uuid: instance.uuid, flavor: instance.flavor.id === newFlavor.id ? oldFlavor : newFlavor });
      } else if (m.source_compute === host && !here) {
        out.push({ uuid: instance.uuid, flavor: oldFlavor });
      } else if (m.dest_compute === host && !here) {
        out.push({ uuid: instance.uuid, flavor: newFlavor });
      }
    }
    return out;
  }

  /**
   * The node's inventory in placement (placement skips the write when nothing changed), and, once,
   * its membership in the aggregate named by its cell's uuid, which the scheduler's cell and zone
   * prefilters ask placement for.
   */
  private async report(uuid: string, name: string, res: { vcpus: number; memory_mb: number; local_gb: number }, correct: boolean): Promise<void> {
    const { placement, config } = this.deps;
    const inventory = {
      VCPU: { total: res.vcpus, reserved: config.reserved_host_cpus, allocation_ratio: config.cpu_allocation_ratio, max_unit: res.vcpus },
      MEMORY_MB: { total: res.memory_mb, reserved: config.reserved_host_memory_mb, allocation_ratio: config.ram_allocation_ratio, max_unit: res.memory_mb },
      DISK_GB: { total: res.local_gb, reserved: Math.ceil(config.reserved_host_disk_mb / 1024), allocation_ratio: config.disk_allocation_ratio, max_unit: res.local_gb },
    };
    const key = `${name}|${JSON.stringify(inventory)}`;
    if (correct || this.reported.get(uuid) !== key) {
      await placement.ensureProvider({ uuid, name });
      await placement.setInventory(uuid, inventory);
      this.reported.set(uuid, key);
    }
    if (!this.inCellAggregate.has(uuid)) {
      await placement.setAggregates(uuid, [this.deps.cellUuid]);
      this.inCellAggregate.add(uuid);
    }
  }
}
