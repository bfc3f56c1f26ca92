import type { PowerState } from '../../objects/power-state.js';
import type { GuestFlavor } from '../guest-spec.js';

/** A guest as the fake hypervisor keeps it in memory. */
export interface FakeGuest {
  uuid: string;
  name: string;
  flavor: GuestFlavor;
  imageRef: string | null;
  powerState: PowerState;
  /** Disks connected from volumes, in attach order. */
  volumes: { mountpoint: string; volumeId: string }[];
  /** Ports plugged in, in attach order. */
  interfaces: { portId: string; macAddress: string; networkId: string }[];
}

/**
 * Local disk (GiB) a guest occupies, counted as placement counts DISK_GB: the root disk only
 * when it is built from an image (a volume-backed root lives on the volume service), plus
 * ephemeral disk, plus swap rounded up to whole GiB.
 */
export function guestLocalGb(guest: Pick<FakeGuest, 'flavor' | 'imageRef'>): number {
  const root = guest.imageRef === null ? 0 : guest.flavor.root_gb;
  return root + guest.flavor.ephemeral_gb + Math.ceil(guest.flavor.swap / 1024);
}
