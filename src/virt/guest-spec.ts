import type { Flavor } from '../objects/flavor.js';

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
}
