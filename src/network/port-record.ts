import type { Selectable } from 'kysely';
import type { PortTable } from './network-schema.js';
import type { PortBindingRecord } from './port-binding-record.js';

/** One fixed IP of a port, as Neutron shows it. */
export interface FixedIp {
  subnet_id: string;
  ip_address: string;
}

/** A port as the network service holds it: the row, its fixed IPs in order, its active binding and tags. */
export interface PortRecord {
  id: string;
  network_id: string;
  name: string;
  description: string;
  project_id: string;
  mac_address: string;
  admin_state_up: boolean;
  status: string;
  device_id: string;
  device_owner: string;
  revision_number: number;
  created_at: string;
  updated_at: string;
  fixed_ips: FixedIp[];
  /** The ACTIVE binding; its host is '' while the port is unbound. */
  binding: PortBindingRecord;
  tags: string[];
}

export function rowToPortRecord(row: Selectable<PortTable>, fixedIps: FixedIp[], binding: PortBindingRecord, tags: string[]): PortRecord {
  return {
    id: row.id,
    network_id: row.network_id,
    name: row.name,
    description: row.description,
    project_id: row.project_id,
    mac_address: row.mac_address,
    admin_state_up: Number(row.admin_state_up) === 1,
    status: row.status,
    device_id: row.device_id,
    device_owner: row.device_owner,
    revision_number: Number(row.revision_number),
    created_at: row.created_at,
    updated_at: row.updated_at,
    fixed_ips: fixedIps,
    binding,
    tags,
  };
}

/** Neutron's port status: ACTIVE once bound to a host and administratively up, DOWN otherwise. */
export function portStatus(adminStateUp: boolean, host: string): 'ACTIVE' | 'DOWN' {
  return adminStateUp && host !== '' ? 'ACTIVE' : 'DOWN';
}
