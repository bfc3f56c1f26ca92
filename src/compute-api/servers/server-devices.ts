import type { CellRepos } from '../../db/cell/cell-repos.js';
import type { BlockDeviceMapping, NetworkInfoEntry } from '../../objects/block-device.js';

/** What a server body shows of an instance's devices: `addresses` and `volumes_attached`. */
export interface ServerDevices {
  networkInfo: NetworkInfoEntry[];
  bdms: BlockDeviceMapping[];
}

export const NO_DEVICES: ServerDevices = { networkInfo: [], bdms: [] };

/**
 * The devices of instances of one cell, in two queries whatever their number (the network info
 * caches and the block device mappings), so that a detailed list costs the same per cell as one
 * server.
 */
export async function devicesOf(repos: CellRepos, uuids: readonly string[]): Promise<Map<string, ServerDevices>> {
  const [info, bdms] = await Promise.all([repos.vifs.networkInfoFor(uuids), repos.bdms.listFor(uuids)]);
  return new Map(uuids.map((u) => [u, { networkInfo: info.get(u) ?? [], bdms: bdms.get(u) ?? [] }]));
}
