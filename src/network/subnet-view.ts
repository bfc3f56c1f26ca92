import type { AllocationPool } from './allocation-pools.js';
import { neutronTime } from './neutron-time.js';
import type { SubnetRecord } from './subnet-record.js';

/** A subnet as Neutron v2 shows it (`GET /v2.0/subnets/{id}`). */
export interface SubnetView {
  id: string;
  name: string;
  description: string;
  tenant_id: string;
  project_id: string;
  network_id: string;
  ip_version: number;
  cidr: string;
  gateway_ip: string | null;
  allocation_pools: AllocationPool[];
  enable_dhcp: boolean;
  dns_nameservers: string[];
  host_routes: never[];
  ipv6_ra_mode: null;
  ipv6_address_mode: null;
  subnetpool_id: null;
  revision_number: number;
  created_at: string;
  updated_at: string;
  tags: string[];
}

export function toSubnetView(subnet: SubnetRecord): SubnetView {
  return {
    id: subnet.id,
    name: subnet.name,
    description: subnet.description,
    tenant_id: subnet.project_id,
    project_id: subnet.project_id,
    network_id: subnet.network_id,
    ip_version: subnet.ip_version,
    cidr: subnet.cidr,
    gateway_ip: subnet.gateway_ip,
    allocation_pools: subnet.allocation_pools.map((p) => ({ ...p })),
    enable_dhcp: subnet.enable_dhcp,
    dns_nameservers: [...subnet.dns_nameservers],
    host_routes: [],
    ipv6_ra_mode: null,
    ipv6_address_mode: null,
    subnetpool_id: null,
    revision_number: subnet.revision_number,
    created_at: neutronTime(subnet.created_at),
    updated_at: neutronTime(subnet.updated_at),
    tags: subnet.tags,
  };
}
