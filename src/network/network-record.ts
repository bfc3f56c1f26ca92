import type { Selectable } from 'kysely';
import type { NetworkTable } from './network-schema.js';

/** A network as the network service holds it, with the ids of its subnets and its tags. */
export interface NetworkRecord {
  id: string;
  name: string;
  description: string;
  project_id: string;
  status: string;
  admin_state_up: boolean;
  shared: boolean;
  router_external: boolean;
  mtu: number;
  revision_number: number;
  created_at: string;
  updated_at: string;
  subnet_ids: string[];
  tags: string[];
}

export function rowToNetworkRecord(row: Selectable<NetworkTable>, subnetIds: string[], tags: string[]): NetworkRecord {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    project_id: row.project_id,
    status: row.status,
    admin_state_up: Number(row.admin_state_up) === 1,
    shared: Number(row.shared) === 1,
    router_external: Number(row.router_external) === 1,
    mtu: Number(row.mtu),
    revision_number: Number(row.revision_number),
    created_at: row.created_at,
    updated_at: row.updated_at,
    subnet_ids: subnetIds,
    tags,
  };
}
