import type { NetworkInfoEntry } from '../../objects/block-device.js';
import { versionedObject, type VersionedObject } from '../notification.js';

/** IpPayload 1.0: one fixed address of one port of the instance. */
export interface IpPayloadData {
  label: string;
  mac: string;
  meta: Record<string, string>;
  port_uuid: string | null;
  version: number;
  address: string;
  device_name: string | null;
}

export type IpPayload = VersionedObject<IpPayloadData>;

/**
 * One entry per fixed address of every port in the network info cache, in port order. The
 * device name is the tap name Nova and Neutron's agents give a port: `tap` and the first 11
 * characters of its id (14 characters, the Linux interface name limit less one).
 */
export function ipPayloads(networkInfo: readonly NetworkInfoEntry[]): IpPayload[] {
  return networkInfo.flatMap((port) =>
    port.fixed_ips.map((ip) =>
      versionedObject('IpPayload', '1.0', {
        label: port.network_name,
        mac: port.mac_address,
        meta: {},
        port_uuid: port.port_id,
        version: ip.version,
        address: ip.ip_address,
        device_name: `tap${port.port_id.slice(0, 11)}`,
      }),
    ),
  );
}
