import type { Selectable } from 'kysely';
import type { AllocationPool } from './allocation-pools.js';
import type { SubnetTable } from './network-schema.js';

/** A subnet as the network service holds it. Only IPv4 subnets exist. */
export interface SubnetRecord {
  id: string;
  network_id: string;
  name: string;
  description: string;
  project_id: string;
  ip_version: number;
  cidr: string;
  gateway_ip: string | null;
  enable_dhcp: boolean;
  allocation_pools: AllocationPool[];
  dns_nameservers: string[];
  revision_number: number;
  created_at: string;
  updated_at: string;
  tags: string[];
}

export function rowToSubnetRecord(row: Selectable<SubnetTable>, tags: string[]): SubnetRecord {
  return {
    id: row.id,
    network_id: row.network_id,
    name: row.name,
    description: row.description,
    project_id: row.project_id,
    ip_version: Number(row.ip_version),
    cidr: row.cidr,
    gateway_ip: row.gateway_ip,
    enable_dhcp: Number(row.enable_dhcp) === 1,
    allocation_pools: JSON.parse(row.allocation_pools) as AllocationPool[],
    dns_nameservers: JSON.parse(row.dns_nameservers) as string[],
    revision_number: Number(row.revision_number),
    created_at: row.created_at,
    updated_at: row.updated_at,
    tags,
  };
}
