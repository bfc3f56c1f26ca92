import type { PowerState } from '../objects/power-state.js';
import type { GuestInterface, GuestVolume } from './guest-devices.js';
import type { GuestSnapshot } from './guest-snapshot.js';
import type { GuestSpec } from './guest-spec.js';
import type { HostResources } from './host-resources.js';

/** Nova's reboot types: SOFT asks the guest OS, HARD power-cycles the guest. */
export type RebootType = 'SOFT' | 'HARD';

export const REBOOT_TYPES: readonly RebootType[] = ['SOFT', 'HARD'];

/** What the hypervisor says about one guest (Nova's `get_info`). */
export interface GuestInfo {
  power_state: PowerState;
}

/**
 * The seam between the compute service and a hypervisor (Nova's `ComputeDriver`).
 *
 * One driver instance serves one compute host, which has exactly one node whose name is the host
 * name. Every method is async because real hypervisors are remote and slow. A guest that the
 * driver does not know raises `NotFoundError` with code `virt.instance_not_found`, except in
 * {@link VirtDriver.destroy}, which is idempotent so that cleanup paths can always call it.
 *
 * @example
 * const driver = createDriver('fake.FakeDriver', deps);
 * await driver.init('cell1-compute1');
 * await driver.spawn({ uuid, name: 'instance-00000001', flavor, imageRef, powerOn: true });
 * await driver.powerOff(uuid);
 * (await driver.getInfo(uuid)).power_state; // PowerState.SHUTDOWN
 * const snap = await driver.snapshot(uuid, imageId); // { diskFormat: 'qcow2', containerFormat: 'bare', data }
 * await images.upload(ctx, imageId, snap.data);
 * await driver.attachVolume(uuid, { volumeId, mountpoint: '/dev/vdb', connectionInfo });
 * await driver.attachInterface(uuid, { portId, macAddress, networkId });
 * await driver.detachInterface(uuid, portId);
 * await driver.detachVolume(uuid, '/dev/vdb');
 * await driver.destroy(uuid);
 */
export interface VirtDriver {
  /** Binds the driver to its host; called once when the compute service starts. */
  init(host: string): Promise<void>;

  /** Capacity and usage of a node; `NotFoundError` (`virt.node_not_found`) for another node. */
  getAvailableResource(nodename: string): Promise<HostResources>;

  /** The nodes this driver manages: one, named after the host. */
  getNodeNames(): Promise<string[]>;

  /** Uuids of the guests on this host, whatever their power state. */
  listInstanceUuids(): Promise<string[]>;

  /** Builds a guest; `ConflictError` (`virt.instance_exists`) if the uuid is already on this host. */
  spawn(guest: GuestSpec): Promise<void>;

  /** Removes a guest and its local disks; a guest that is already gone is not an error. */
  destroy(uuid: string): Promise<void>;

  /** Shuts a guest down; already shut down is fine. */
  powerOff(uuid: string): Promise<void>;

  /** Starts a guest; already running is fine. */
  powerOn(uuid: string): Promise<void>;

  /** Reboots a guest; a HARD reboot of a stopped guest leaves it running. */
  reboot(uuid: string, type: RebootType): Promise<void>;

  /** The guest's power state as the hypervisor sees it. */
  getInfo(uuid: string): Promise<GuestInfo>;

  /**
   * Captures the guest's root disk, running or stopped, for image `imageId`. The returned data
   * streams the disk; the guest keeps running meanwhile. Only image-backed guests have a root
   * disk here; `BadRequestError` (`virt.no_local_root_disk`) for a guest without one.
   */
  snapshot(uuid: string, imageId: string): Promise<GuestSnapshot>;

  /**
   * Connects a volume to a guest, running or stopped, at `volume.mountpoint` (Nova's
   * `attach_volume`). `ConflictError` (`virt.device_in_use`) when the guest already has a disk
   * there.
   */
  attachVolume(uuid: string, volume: GuestVolume): Promise<void>;

  /**
   * Disconnects the disk at `mountpoint`. `NotFoundError` (`virt.disk_not_found`) when the guest
   * has none there; callers that clean up treat that as already done, as Nova does with
   * DiskNotFound.
   */
  detachVolume(uuid: string, mountpoint: string): Promise<void>;

  /**
   * Plugs a port into a guest (Nova's `attach_interface`). `ConflictError`
   * (`virt.interface_exists`) when the port is already plugged.
   */
  attachInterface(uuid: string, vif: GuestInterface): Promise<void>;

  /**
   * Unplugs a port. `NotFoundError` (`virt.interface_not_found`) when the guest does not have it;
   * callers that clean up treat that as already done.
   */
  detachInterface(uuid: string, portId: string): Promise<void>;

  /**
   * The source half of a resize or cold migration (Nova's `migrate_disk_and_power_off`): powers
   * the guest off and sets its disks aside on this host, where they stay until the move is
   * confirmed (then {@link VirtDriver.confirmMigration} drops them) or reverted (then
   * {@link VirtDriver.finishRevertMigration} brings the guest back from them). The guest is no
   * longer defined on this host afterwards; a same-host resize can thus build the new guest here.
   */
  migrateDiskAndPowerOff(uuid: string): Promise<void>;

  /**
   * The destination half (Nova's `finish_migration`): builds the guest from the migrated disks
   * with the new flavor, powered on or not as `guest.powerOn` says. `ConflictError`
   * (`virt.instance_exists`) when the guest is already defined here.
   */
  finishMigration(guest: GuestSpec): Promise<void>;

  /** Drops the disks a move set aside on this host (the source); nothing set aside is fine. */
  confirmMigration(uuid: string): Promise<void>;

  /**
   * Brings back on this host (the source) the guest whose disks a move set aside, with its old
   * flavor and devices, powered on or not. A guest still defined here (the move never got as far
   * as the source) just takes the power state. `NotFoundError` (`virt.instance_not_found`) when
   * there is neither.
   */
  finishRevertMigration(uuid: string, powerOn: boolean): Promise<void>;

  /**
   * The volumes connected to a guest (mountpoint and volume id), when the driver can tell; a
   * revert uses it to plug in or out volumes attached or detached while the guest was away.
   */
  guestVolumes?(uuid: string): Promise<{ volumeId: string; mountpoint: string }[]>;

  /**
   * Releases the driver at service stop (Nova's `cleanup_host`): in-flight operations fail and
   * later ones are refused until `init` is called again. Guests keep running, as on a real host.
   */
  cleanup(): Promise<void>;
}
