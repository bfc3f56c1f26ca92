import type { Generated } from 'kysely';

/** Tables of the API database (Nova's nova_api). Times are ISO-8601 text; booleans are 0/1. */
export interface ApiSchema {
  cell_mappings: CellMappingTable;
  host_mappings: HostMappingTable;
  instance_mappings: InstanceMappingTable;
  request_specs: RequestSpecTable;
  build_requests: BuildRequestTable;
  flavors: FlavorTable;
  flavor_extra_specs: FlavorExtraSpecTable;
  aggregates: AggregateTable;
  aggregate_hosts: AggregateHostTable;
  aggregate_metadata: AggregateMetadataTable;
  instance_groups: InstanceGroupTable;
  instance_group_members: InstanceGroupMemberTable;
  quotas: QuotaTable;
  key_pairs: KeyPairTable;
}

export interface CellMappingTable {
  id: Generated<number>;
  uuid: string;
  name: string;
  transport_url: string;
  database_connection: string;
  disabled: number;
  created_at: string;
  updated_at: string | null;
}

export interface HostMappingTable {
  id: Generated<number>;
  cell_id: number;
  host: string;
  created_at: string;
  updated_at: string | null;
}

export interface InstanceMappingTable {
  id: Generated<number>;
  instance_uuid: string;
  cell_id: number | null;
  project_id: string;
  user_id: string;
  queued_for_delete: number;
  created_at: string;
  updated_at: string | null;
}

export interface RequestSpecTable {
  id: Generated<number>;
  instance_uuid: string;
  spec: string;
  created_at: string;
  updated_at: string | null;
}

export interface BuildRequestTable {
  id: Generated<number>;
  instance_uuid: string;
  project_id: string;
  user_id: string;
  /** The instance as the API sees it before it has a cell, as JSON. */
  instance: string;
  /** The block device mappings asked for, as a JSON list (migration 004); null for none. */
  block_device_mappings: string | null;
  /** vCPUs and RAM (MiB) of the flavor asked for (migration 006), what quota counts sum. */
  vcpus: Generated<number>;
  memory_mb: Generated<number>;
  created_at: string;
  updated_at: string | null;
}

export interface FlavorTable {
  id: Generated<number>;
  flavorid: string;
  name: string;
  memory_mb: number;
  vcpus: number;
  root_gb: number;
  ephemeral_gb: number;
  swap: number;
  rxtx_factor: number;
  vcpu_weight: number | null;
  disabled: number;
  is_public: number;
  description: string | null;
  created_at: string;
  updated_at: string | null;
}

export interface FlavorExtraSpecTable {
  id: Generated<number>;
  flavor_id: number;
  key: string;
  value: string;
  created_at: string;
  updated_at: string | null;
}

export interface AggregateTable {
  id: Generated<number>;
  uuid: string;
  name: string;
  created_at: string;
  updated_at: string | null;
}

export interface AggregateHostTable {
  id: Generated<number>;
  aggregate_id: number;
  host: string;
  created_at: string;
  updated_at: string | null;
}

export interface AggregateMetadataTable {
  id: Generated<number>;
  aggregate_id: number;
  key: string;
  value: string;
  created_at: string;
  updated_at: string | null;
}

/** A server group (Nova's instance group) with its one policy and its rules as a JSON object. */
export interface InstanceGroupTable {
  id: Generated<number>;
  uuid: string;
  name: string | null;
  project_id: string;
  user_id: string;
  policy: string;
  /** `{"max_server_per_host": 2}` or `{}`, as JSON. */
  rules: string;
  created_at: string;
  updated_at: string | null;
}

export interface InstanceGroupMemberTable {
  id: Generated<number>;
  group_id: number;
  instance_uuid: string;
  created_at: string;
  updated_at: string | null;
}

/** A project's own limit on one resource, overriding the `[quota]` default (Nova's `quotas`). */
export interface QuotaTable {
  id: Generated<number>;
  project_id: string;
  resource: string;
  /** -1 is unlimited. */
  hard_limit: number;
  created_at: string;
  updated_at: string | null;
}

/** A user's key pair (Nova's `key_pairs`); (user_id, name) is unique. */
export interface KeyPairTable {
  id: Generated<number>;
  name: string;
  user_id: string;
  fingerprint: string;
  public_key: string;
  /** `ssh` or `x509`. */
  type: string;
  created_at: string;
  updated_at: string | null;
}
