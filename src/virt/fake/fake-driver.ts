import { setTimeout as sleep } from 'node:timers/promises';
import { BadRequestError, ConflictError, InternalError, NotFoundError } from '../../common/errors.js';
import type { FaultInjector } from '../../common/fault-injector.js';
import type { Logger } from '../../common/logger.js';
import { PowerState } from '../../objects/power-state.js';
import { REBOOT_TYPES, type GuestInfo, type RebootType, type VirtDriver } from '../driver.js';
import type { GuestInterface, GuestVolume } from '../guest-devices.js';
import type { GuestSnapshot } from '../guest-snapshot.js';
import type { GuestSpec } from '../guest-spec.js';
import type { HostResources } from '../host-resources.js';
import { fakeDiskImage } from './fake-disk-image.js';
import { guestLocalGb, type FakeGuest } from './fake-guest.js';

/** What the fake hypervisor is made of: the `[fake_driver]` options plus the host's address. */
export interface FakeDriverDeps {
  vcpus: number;
  memory_mb: number;
  local_gb: number;
  hypervisor_type: string;
  hypervisor_version: number;
  host_ip: string;
  logger: Logger;
  /** Fails `virt.<operation>` on demand, optionally on one host only. */
  faults?: FaultInjector;
  /** Latency added to every guest operation, to simulate a slow hypervisor; default 0. */
  delayMs?: number;
}

/** Operations that can be failed with `faults.arm('virt.<operation>', { host })`. */
export const FAKE_DRIVER_OPERATIONS = [
  'spawn',
  'destroy',
  'power_off',
  'power_on',
  'reboot',
  'snapshot',
  'get_info',
  'attach_volume',
  'detach_volume',
  'attach_interface',
  'detach_interface',
  'migrate_disk_and_power_off',
  'finish_migration',
  'confirm_migration',
  'finish_revert_migration',
] as const;
export type FakeDriverOperation = (typeof FAKE_DRIVER_OPERATIONS)[number];

const GIB = 1024 ** 3;

/**
 * A hypervisor that lives in memory: a real, selectable driver (`compute_driver = fake.FakeDriver`)
 * that the simulator runs by the thousand, not a test mock. It does not refuse guests for lack
 * of capacity, because overcommit is the scheduler's and placement's business; it only tracks usage.
 */
export class FakeDriver implements VirtDriver {
  private readonly deps: FakeDriverDeps;
  private readonly guests = new Map<string, FakeGuest>();
  /** Guests a move took off this host, kept (powered off) until it is confirmed or reverted. */
  private readonly setAside = new Map<string, FakeGuest>();
  private host: string | undefined;
  private logger: Logger;
  private stopped = false;
  // Aborts the latency of in-flight operations when the driver is cleaned up.
  private stopping = new AbortController();

  constructor(deps: FakeDriverDeps) {
    this.deps = deps;
    this.logger = deps.logger;
  }

  async init(host: string): Promise<void> {
    if (this.host !== undefined && this.host !== host) {
      throw new InternalError('virt.host_mismatch', `Driver already serves host ${this.host}, not ${host}.`, {
        details: { host: this.host, requested: host },
      });
    }
    this.host = host;
    this.stopped = false;
    this.stopping = new AbortController();
    this.logger = this.deps.logger.child({ host, service: 'virt' });
    this.logger.debug({ guests: this.guests.size }, 'fake driver initialised');
  }

  async getAvailableResource(nodename: string): Promise<HostResources> {
    const host = this.requireHost();
    if (nodename !== host) {
      throw new NotFoundError('virt.node_not_found', `Compute node ${nodename} is not managed by host ${host}.`, {
        details: { host, nodename },
      });
    }
    let vcpusUsed = 0;
    let memoryUsed = 0;
    let diskUsed = 0;
    for (const guest of this.guests.values()) {
      vcpusUsed += guest.flavor.vcpus;
      memoryUsed += guest.flavor.memory_mb;
      diskUsed += guestLocalGb(guest);
    }
    return {
      hypervisor_hostname: host,
      hypervisor_type: this.deps.hypervisor_type,
      hypervisor_version: this.deps.hypervisor_version,
      host_ip: this.deps.host_ip,
      vcpus: this.deps.vcpus,
      memory_mb: this.deps.memory_mb,
      local_gb: this.deps.local_gb,
      vcpus_used: vcpusUsed,
      memory_mb_used: memoryUsed,
      local_gb_used: diskUsed,
    };
  }

  async getNodeNames(): Promise<string[]> {
    return [this.requireHost()];
  }

  async listInstanceUuids(): Promise<string[]> {
    this.requireHost();
    return [...this.guests.keys()];
  }

  async spawn(spec: GuestSpec): Promise<void> {
    await this.begin('spawn');
    await this.spawnGuest(spec);
  }

  private async spawnGuest(spec: GuestSpec): Promise<void> {
    // Checked after the latency so that two concurrent spawns of one uuid cannot both succeed.
    if (this.guests.has(spec.uuid)) {
      throw new ConflictError('virt.instance_exists', `Instance ${spec.uuid} already exists on host ${this.host}.`, {
        details: { instance_uuid: spec.uuid, host: this.host },
      });
    }
    const volumes = spec.volumes ?? [];
    const rootDevice = spec.rootDevice ?? '/dev/vda';
    const mountpoints = volumes.map((v) => v.mountpoint);
    const clash = mountpoints.find((m, i) => mountpoints.indexOf(m) !== i || (spec.imageRef !== null && m === rootDevice));
    if (clash !== undefined) {
      throw new ConflictError('virt.device_in_use', `Two disks of instance ${spec.uuid} would be at ${clash} on host ${this.host}.`, {
        details: { instance_uuid: spec.uuid, host: this.host, mountpoint: clash },
      });
    }
    // Without an image, the guest boots from the volume at its root device; no such volume, no boot.
    if (spec.imageRef === null && !mountpoints.includes(rootDevice)) {
      throw new BadRequestError('virt.no_root_disk', `Instance ${spec.uuid} has no image and no volume at its root device ${rootDevice}.`, {
        details: { instance_uuid: spec.uuid, host: this.host, root_device: rootDevice },
      });
    }
    this.guests.set(spec.uuid, {
      uuid: spec.uuid,
      name: spec.name,
      flavor: {
        vcpus: spec.flavor.vcpus,
        memory_mb: spec.flavor.memory_mb,
        root_gb: spec.flavor.root_gb,
        ephemeral_gb: spec.flavor.ephemeral_gb,
        swap: spec.flavor.swap,
      },
      imageRef: spec.imageRef,
      powerState: spec.powerOn ? PowerState.RUNNING : PowerState.SHUTDOWN,
      volumes: volumes.map((v) => ({ mountpoint: v.mountpoint, volumeId: v.volumeId })),
      interfaces: (spec.interfaces ?? []).map((i) => ({ portId: i.portId, macAddress: i.macAddress, networkId: i.networkId })),
    });
    this.logger.info({ instance_uuid: spec.uuid, power_on: spec.powerOn, volumes: volumes.length, interfaces: spec.interfaces?.length ?? 0 }, 'guest built');
  }

  async destroy(uuid: string): Promise<void> {
    await this.begin('destroy');
    if (this.guests.delete(uuid)) this.logger.info({ instance_uuid: uuid }, 'guest destroyed');
    else this.logger.debug({ instance_uuid: uuid }, 'guest already gone on destroy');
  }

  async powerOff(uuid: string): Promise<void> {
    await this.begin('power_off');
    this.requireGuest(uuid).powerState = PowerState.SHUTDOWN;
    this.logger.debug({ instance_uuid: uuid }, 'guest powered off');
  }

  async powerOn(uuid: string): Promise<void> {
    await this.begin('power_on');
    this.requireGuest(uuid).powerState = PowerState.RUNNING;
    this.logger.debug({ instance_uuid: uuid }, 'guest powered on');
  }

  async reboot(uuid: string, type: RebootType): Promise<void> {
    await this.begin('reboot');
    // The type may arrive from the bus, where the compiler's check does not reach.
    if (!REBOOT_TYPES.includes(type)) {
      throw new BadRequestError('virt.invalid_reboot_type', `Reboot type ${String(type)} is not SOFT or HARD.`);
    }
    const guest = this.requireGuest(uuid);
    // A guest that is not running cannot take a soft reboot; like libvirt, fall back to a hard one,
    // which leaves the guest running either way.
    guest.powerState = PowerState.RUNNING;
    this.logger.debug({ instance_uuid: uuid, reboot_type: type }, 'guest rebooted');
  }

  async getInfo(uuid: string): Promise<GuestInfo> {
    await this.begin('get_info');
    return { power_state: this.requireGuest(uuid).powerState };
  }

  async snapshot(uuid: string, imageId: string): Promise<GuestSnapshot> {
    await this.begin('snapshot');
    const guest = this.requireGuest(uuid);
    if (guest.imageRef === null) {
      throw new BadRequestError('virt.no_local_root_disk', `Instance ${uuid} has no local root disk to snapshot; its root disk is a volume.`, {
        details: { instance_uuid: uuid, host: this.host },
      });
    }
    // A sparse qcow2 of a mostly empty disk: small data, the root disk's size as virtual size.
    const virtualSize = guest.flavor.root_gb * GIB;
    this.logger.info({ instance_uuid: uuid, image_id: imageId, virtual_size: virtualSize }, 'guest snapshotted');
    return {
      diskFormat: 'qcow2',
      containerFormat: 'bare',
      data: fakeDiskImage({ instanceUuid: uuid, imageId, sourceImage: guest.imageRef, virtualSize }),
    };
  }

  async attachVolume(uuid: string, volume: GuestVolume): Promise<void> {
    await this.begin('attach_volume');
    const guest = this.requireGuest(uuid);
    if (guest.volumes.some((v) => v.mountpoint === volume.mountpoint)) {
      throw new ConflictError('virt.device_in_use', `Instance ${uuid} already has a disk at ${volume.mountpoint} on host ${this.host}.`, {
        details: { instance_uuid: uuid, host: this.host, mountpoint: volume.mountpoint },
      });
    }
    guest.volumes.push({ mountpoint: volume.mountpoint, volumeId: volume.volumeId });
    this.logger.info({ instance_uuid: uuid, volume_id: volume.volumeId, mountpoint: volume.mountpoint }, 'volume attached');
  }

  async detachVolume(uuid: string, mountpoint: string): Promise<void> {
    await this.begin('detach_volume');
    const guest = this.requireGuest(uuid);
    const index = guest.volumes.findIndex((v) => v.mountpoint === mountpoint);
    if (index < 0) {
      throw new NotFoundError('virt.disk_not_found', `No disk found at ${mountpoint} of instance ${uuid} on host ${this.host}.`, {
        details: { instance_uuid: uuid, host: this.host, mountpoint },
      });
    }
    const [gone] = guest.volumes.splice(index, 1);
    this.logger.info({ instance_uuid: uuid, volume_id: gone?.volumeId, mountpoint }, 'volume detached');
  }

  async attachInterface(uuid: string, vif: GuestInterface): Promise<void> {
    await this.begin('attach_interface');
    const guest = this.requireGuest(uuid);
    if (guest.interfaces.some((i) => i.portId === vif.portId)) {
      throw new ConflictError('virt.interface_exists', `Port ${vif.portId} is already plugged into instance ${uuid} on host ${this.host}.`, {
        details: { instance_uuid: uuid, host: this.host, port_id: vif.portId },
      });
    }
    guest.interfaces.push({ portId: vif.portId, macAddress: vif.macAddress, networkId: vif.networkId });
    this.logger.info({ instance_uuid: uuid, port_id: vif.portId }, 'interface attached');
  }

  async detachInterface(uuid: string, portId: string): Promise<void> {
    await this.begin('detach_interface');
    const guest = this.requireGuest(uuid);
    const index = guest.interfaces.findIndex((i) => i.portId === portId);
    if (index < 0) {
      throw new NotFoundError('virt.interface_not_found', `Port ${portId} is not plugged into instance ${uuid} on host ${this.host}.`, {
        details: { instance_uuid: uuid, host: this.host, port_id: portId },
      });
    }
    guest.interfaces.splice(index, 1);
    this.logger.info({ instance_uuid: uuid, port_id: portId }, 'interface detached');
  }

  async migrateDiskAndPowerOff(uuid: string): Promise<void> {
    await this.begin('migrate_disk_and_power_off');
    const guest = this.requireGuest(uuid);
    this.guests.delete(uuid);
    this.setAside.set(uuid, { ...guest, powerState: PowerState.SHUTDOWN });
    this.logger.info({ instance_uuid: uuid }, 'guest powered off and its disks set aside for a move');
  }

  async finishMigration(guest: GuestSpec): Promise<void> {
    await this.begin('finish_migration');
    // The fake's disks travel with the spec: building the guest is a spawn of it.
    await this.spawnGuest(guest);
    this.logger.info({ instance_uuid: guest.uuid, power_on: guest.powerOn }, 'migrated guest built');
  }

  async confirmMigration(uuid: string): Promise<void> {
    await this.begin('confirm_migration');
    if (this.setAside.delete(uuid)) this.logger.info({ instance_uuid: uuid }, 'disks set aside by a move dropped');
  }

  async finishRevertMigration(uuid: string, powerOn: boolean): Promise<void> {
    await this.begin('finish_revert_migration');
    const kept = this.setAside.get(uuid);
    if (kept !== undefined) {
      if (this.guests.has(uuid)) {
        throw new ConflictError('virt.instance_exists', `Instance ${uuid} already exists on host ${this.host}.`, { details: { instance_uuid: uuid, host: this.host } });
      }
      this.setAside.delete(uuid);
      this.guests.set(uuid, kept);
    }
    this.requireGuest(uuid).powerState = powerOn ? PowerState.RUNNING : PowerState.SHUTDOWN;
    this.logger.info({ instance_uuid: uuid, power_on: powerOn, restored: kept !== undefined }, 'guest brought back from a move');
  }

  async guestVolumes(uuid: string): Promise<{ volumeId: string; mountpoint: string }[]> {
    return this.requireGuest(uuid).volumes.map((v) => ({ ...v }));
  }

  /** Uuids of guests whose disks a move set aside here (for tests and the audit). */
  listSetAside(): string[] {
    return [...this.setAside.keys()];
  }

  async cleanup(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    this.logger.debug({ guests: this.guests.size }, 'fake driver cleaned up');
  }

  /** Copies of the guests on this host, for the simulator's status output and for tests. */
  listGuests(): FakeGuest[] {
    return [...this.guests.values()].map((g) => ({
      ...g,
      flavor: { ...g.flavor },
      volumes: g.volumes.map((v) => ({ ...v })),
      interfaces: g.interfaces.map((i) => ({ ...i })),
    }));
  }

  /** Fault check, then the simulated latency; every guest operation starts here. */
  private async begin(operation: FakeDriverOperation): Promise<void> {
    const host = this.requireHost();
    this.deps.faults?.check(`virt.${operation}`, { host });
    const delayMs = this.deps.delayMs ?? 0;
    if (delayMs <= 0) return;
    try {
      await sleep(delayMs, undefined, { signal: this.stopping.signal });
    } catch (err) {
      throw new InternalError('virt.driver_stopped', `Driver on host ${host} stopped during ${operation}.`, {
        cause: err,
        details: { host, operation },
      });
    }
  }

  private requireHost(): string {
    if (this.host === undefined) {
      throw new InternalError('virt.not_initialized', 'The virt driver was used before init(host).');
    }
    if (this.stopped) {
      throw new InternalError('virt.driver_stopped', `The virt driver of host ${this.host} was cleaned up.`, {
        details: { host: this.host },
      });
    }
    return this.host;
  }

  private requireGuest(uuid: string): FakeGuest {
    const guest = this.guests.get(uuid);
    if (guest === undefined) {
      throw new NotFoundError('virt.instance_not_found', `Instance ${uuid} could not be found on host ${this.host}.`, {
        details: { instance_uuid: uuid, host: this.host },
      });
    }
    return guest;
  }
}
