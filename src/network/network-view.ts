import type { NetworkRecord } from './network-record.js';
import { neutronTime } from './neutron-time.js';

/** A network as Neutron v2 shows it (`GET /v2.0/networks/{id}`). */
export interface NetworkView {
  id: string;
  name: string;
  description: string;
  tenant_id: string;
  project_id: string;
  status: string;
  admin_state_up: boolean;
  shared: boolean;
  'router:external': boolean;
  mtu: number;
  subnets: string[];
  revision_number: number;
  created_at: string;
  updated_at: string;
  tags: string[];
}

export function toNetworkView(network: NetworkRecord): NetworkView {
  return {
    id: network.id,
    name: network.name,
    description: network.description,
    tenant_id: network.project_id,
    project_id: network.project_id,
    status: network.status,
    admin_state_up: network.admin_state_up,
    shared: network.shared,
    'router:external': network.router_external,
    mtu: network.mtu,
    subnets: network.subnet_ids,
    revision_number: network.revision_number,
    created_at: neutronTime(network.created_at),
    updated_at: neutronTime(network.updated_at),
    tags: network.tags,
  };
}
