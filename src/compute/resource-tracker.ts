import type { Logger } from '../common/logger.js';
import type { CellRepos } from '../db/cell/cell-repos.js';
import type { NodeReport } from '../db/cell/compute-node-repo.js';
import type { Flavor } from '../objects/flavor.js';
import type { Instance } from '../objects/instance.js';
import type { PlacementClient } from '../placement/index.js';
import type { VirtDriver } from '../virt/index.js';

interface SavedReport {
  report: NodeReport;
  /** The report as JSON, to compare with the next one. */
  key: string;
  uuid: string;
  /** The instances (and moves) the report counts. */
  counted: ReadonlySet<string>;
}

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
  /**
   * The last report written per node, with the node's uuid and the instances it counts: an
   * unchanged report is not written again, and a claim adds one instance to it.
   */
  private readonly saved = new Map<string, SavedReport>();

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
        disk += diskOf(flavor, bdms.get(uuid) ?? []);
      }
      const report: NodeReport = {
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
      const counted = new Set(held.map((h) => h.uuid));
      const before = this.saved.get(node);
      let uuid = before?.key === key ? before.uuid : undefined;
      if (uuid === undefined) {
        uuid = (await repos.computeNodes.save(this.deps.serviceId, report)).uuid;
      }
      this.saved.set(node, { report, key, uuid, counted });
      await this.report(uuid, res.hypervisor_hostname, res, options.correct === true);
    }
  }

  /**
   * Nova's instance_claim: a build counts its instance on the node's last report and writes it,
   * instead of reading every instance and move of the host again. Before the node's first report,
   * or for an instance that report already counts, it is a full update (or nothing). The periodic
   * update recounts from the database and puts any drift right.
   */
  async claim(instance: Pick<Instance, 'uuid' | 'node' | 'flavor'>): Promise<void> {
    const { repos } = this.deps;
    const node = instance.node;
    if (node === null || !this.saved.has(node)) return this.update();
    const devices = (await repos.bdms.listFor([instance.uuid])).get(instance.uuid) ?? [];
    // Read again after the wait: an update meanwhile may have counted the instance already.
    const last = this.saved.get(node);
    if (last === undefined || last.counted.has(instance.uuid)) return;
    const report: NodeReport = {
      ...last.report,
      vcpus_used: last.report.vcpus_used + instance.flavor.vcpus,
      memory_mb_used: last.report.memory_mb_used + instance.flavor.memory_mb,
      local_gb_used: last.report.local_gb_used + diskOf(instance.flavor, devices),
      running_vms: last.report.running_vms + 1,
    };
    // Recorded before the write, so that a claim that comes while it is under way adds to it.
    this.saved.set(node, { report, key: JSON.stringify(report), uuid: last.uuid, counted: new Set([...last.counted, instance.uuid]) });
    await repos.computeNodes.save(this.deps.serviceId, report);
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

/** The local disk (GB) an instance takes: a volume-backed root disk lives on the volume service. */
function diskOf(flavor: Flavor, devices: readonly { boot_index: number | null; destination_type: string | null }[]): number {
  const volumeBacked = devices.some((b) => b.boot_index === 0 && b.destination_type === 'volume');
  return (volumeBacked ? 0 : flavor.root_gb) + flavor.ephemeral_gb + Math.ceil(flavor.swap / 1024);
}
