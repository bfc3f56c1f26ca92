import type { PortView } from '../../network/index.js';
import { atLeast, type Microversion } from '../microversion.js';

/**
 * An interface attachment as Nova shows it: the port's network, id, MAC, status and fixed IPs
 * (`subnet_id`, `ip_address`), and from 2.70 the tag of its virtual interface.
 */
export function interfaceAttachmentView(mv: Microversion, port: PortView, tag: string | null): Record<string, unknown> {
  const body: Record<string, unknown> = {
    net_id: port.network_id,
    port_id: port.id,
    mac_addr: port.mac_address,
    port_state: port.status,
    fixed_ips: port.fixed_ips.map((ip) => ({ subnet_id: ip.subnet_id, ip_address: ip.ip_address })),
  };
  if (atLeast(mv, '2.70')) body['tag'] = tag;
  return body;
}
