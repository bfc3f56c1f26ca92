import { BadRequestError, ConflictError } from '../../common/errors.js';
import type { BlockDeviceMapping } from '../../objects/block-device.js';
import type { Flavor } from '../../objects/flavor.js';

/** The root disk's name when no mapping names it: an image-backed guest's first virtio disk. */
export const DEFAULT_ROOT_DEVICE = '/dev/vda';

// Nova's block_device.match_device: a prefix such as /dev/vd, /dev/sd, /dev/xvd, then the letters.
const DEVICE = /^(\/dev\/x?[a-z]?d?)([a-z]+)[0-9]*$/;

/** Splits `/dev/vdb` into its prefix `/dev/vd` and letters `b`; undefined for anything else. */
export function matchDevice(device: string): { prefix: string; letters: string } | undefined {
  const m = DEVICE.exec(device);
  return m === null ? undefined : { prefix: m[1] as string, letters: m[2] as string };
}

/** The letters of the n-th device (0 → a, 25 → z, 26 → aa), as Nova numbers disks. */
export function deviceLetters(index: number): string {
  let letters = '';
  for (let i = index; i >= 0; i = Math.floor(i / 26) - 1) letters = String.fromCharCode(97 + (i % 26)) + letters;
  return letters;
}

export interface DeviceNameInput {
  /** The instance's live mappings. */
  bdms: readonly Pick<BlockDeviceMapping, 'device_name' | 'boot_index' | 'destination_type'>[];
  /** Its flavor's ephemeral disk and swap, which occupy the letters after the root when no mapping names them. */
  flavor: Pick<Flavor, 'ephemeral_gb' | 'swap'>;
  /** The device the user asked for, if any. */
  requested?: string | null;
}

/**
 * Picks the device name of a new disk as Nova's `get_next_device_name` does: the root disk's
 * prefix (`/dev/vd`), and the requested letter if it is free or else the first free one. The
 * root takes `a`; the flavor's ephemeral disk and swap take the next letters unless mappings
 * already name them.
 *
 * @throws BadRequestError `compute.invalid_device_path` for a request that is not a device path;
 *   ConflictError `compute.device_path_in_use` when the requested letter is taken.
 * @example
 * nextDeviceName({ bdms: [], flavor: { ephemeral_gb: 0, swap: 0 } });                       // '/dev/vdb'
 * nextDeviceName({ bdms: [], flavor: { ephemeral_gb: 0, swap: 0 }, requested: '/dev/sdd' }); // '/dev/vdd'
 */
export function nextDeviceName(input: DeviceNameInput): string {
  let requested: { prefix: string; letters: string } | undefined;
  if (input.requested !== undefined && input.requested !== null && input.requested !== '') {
    requested = matchDevice(input.requested);
    if (requested === undefined) {
      throw new BadRequestError('compute.invalid_device_path', `The supplied device path (${input.requested}) is invalid.`, { details: { device: input.requested } });
    }
  }
  const root = input.bdms.find((b) => b.boot_index === 0 && b.device_name !== null)?.device_name ?? DEFAULT_ROOT_DEVICE;
  const prefix = matchDevice(root)?.prefix ?? '/dev/vd';
  const used = new Set<string>();
  for (const name of [root, ...input.bdms.map((b) => b.device_name)]) {
    const letters = name === null ? undefined : matchDevice(name)?.letters;
    if (letters !== undefined) used.add(letters);
  }
  const namesLocalDisks = input.bdms.some((b) => b.destination_type === 'local' && b.boot_index !== 0 && b.device_name !== null);
  if (!namesLocalDisks) {
    const localDisks = (input.flavor.ephemeral_gb > 0 ? 1 : 0) + (input.flavor.swap > 0 ? 1 : 0);
    for (let i = 0, taken = 0; taken < localDisks; i++) {
      const letters = deviceLetters(i);
      if (!used.has(letters)) {
        used.add(letters);
        taken++;
      }
    }
  }
  if (requested !== undefined) {
    if (used.has(requested.letters)) {
      throw new ConflictError('compute.device_path_in_use', `The supplied device path (${input.requested ?? ''}) is in use.`, { details: { device: input.requested } });
    }
    return prefix + requested.letters;
  }
  for (let i = 0; ; i++) {
    const letters = deviceLetters(i);
    if (!used.has(letters)) return prefix + letters;
  }
}
