import type { Flavor } from '../objects/flavor.js';
import type { GuestInterface, GuestVolume } from './guest-devices.js';

/** The part of a flavor that sizes a guest on the hypervisor. */
export type GuestFlavor = Pick<Flavor, 'vcpus' | 'memory_mb' | 'root_gb' | 'ephemeral_gb' | 'swap'>;

/** What the compute service asks a virt driver to build. */
export interface GuestSpec {
  /** The instance uuid; one guest per uuid on a host. */
  uuid: string;
  /** The hypervisor-side name (Nova's `instance-0000000a` style name). */
  name: string;
  flavor: GuestFlavor;
  /** Image the root disk is built from; null when the guest boots from a volume. */
  imageRef: string | null;
  /** Leave the guest running after the build (false for a stopped server being moved). */
  powerOn: boolean;
  /**
   * Volumes to connect as the guest is built (Nova's block_device_info), already connected to
   * this host by the volume service. With no `imageRef`, the one at `rootDevice` is the root disk.
   */
  volumes?: GuestVolume[];
  /** The root disk's device (Nova's root_device_name); default `/dev/vda`. */
  rootDevice?: string;
  /** Ports to plug, bound to this host (Nova's network_info), in the order the guest sees them. */
  interfaces?: GuestInterface[];
}
