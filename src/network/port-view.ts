import { neutronTime } from './neutron-time.js';
import type { FixedIp, PortRecord } from './port-record.js';

/**
 * A port as Neutron v2 shows it (`GET /v2.0/ports/{id}`). The binding attributes other than
 * `binding:vnic_type` are shown to administrators only, as Neutron's default policy does.
 */
export interface PortView {
  id: string;
  name: string;
  description: string;
  network_id: string;
  tenant_id: string;
  project_id: string;
  mac_address: string;
  admin_state_up: boolean;
  status: string;
  device_id: string;
  device_owner: string;
  fixed_ips: FixedIp[];
  'binding:vnic_type': string;
  'binding:host_id'?: string;
  'binding:vif_type'?: string;
  'binding:vif_details'?: Record<string, unknown>;
  'binding:profile'?: Record<string, unknown>;
  revision_number: number;
  created_at: string;
  updated_at: string;
  tags: string[];
}

/** Which binding attributes the caller may see (`get_port:binding:*` rules). */
export interface PortAttributeAccess {
  hostId: boolean;
  vifType: boolean;
  vifDetails: boolean;
  profile: boolean;
}

export const ALL_PORT_ATTRIBUTES: PortAttributeAccess = { hostId: true, vifType: true, vifDetails: true, profile: true };

export function toPortView(port: PortRecord, access: PortAttributeAccess): PortView {
  const b = port.binding;
  return {
    id: port.id,
    name: port.name,
    description: port.description,
    network_id: port.network_id,
    tenant_id: port.project_id,
    project_id: port.project_id,
    mac_address: port.mac_address,
    admin_state_up: port.admin_state_up,
    status: port.status,
    device_id: port.device_id,
    device_owner: port.device_owner,
    fixed_ips: port.fixed_ips.map((ip) => ({ ...ip })),
    'binding:vnic_type': b.vnic_type,
    ...(access.hostId ? { 'binding:host_id': b.host } : {}),
    ...(access.vifType ? { 'binding:vif_type': b.vif_type } : {}),
    ...(access.vifDetails ? { 'binding:vif_details': { ...b.vif_details } } : {}),
    ...(access.profile ? { 'binding:profile': { ...b.profile } } : {}),
    revision_number: port.revision_number,
    created_at: neutronTime(port.created_at),
    updated_at: neutronTime(port.updated_at),
    tags: port.tags,
  };
}
