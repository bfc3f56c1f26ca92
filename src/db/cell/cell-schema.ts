import type { Generated } from 'kysely';

/** Tables of one cell database (Nova's nova / nova_cell0). Times are ISO-8601 text; booleans 0/1. */
export interface CellSchema {
  services: ServiceTable;
  compute_nodes: ComputeNodeTable;
  instances: InstanceTable;
  instance_faults: InstanceFaultTable;
  instance_actions: InstanceActionTable;
  instance_actions_events: InstanceActionEventTable;
  tags: TagTable;
  block_device_mapping: BlockDeviceMappingTable;
  virtual_interfaces: VirtualInterfaceTable;
  instance_info_caches: InstanceInfoCacheTable;
  migrations: MigrationTable;
  quota_usage: QuotaUsageTable;
}

/**
 * What the counted instances of one user of a project hold in this cell; written only by the
 * triggers on `instances` (migration 007), read by the quota count.
 */
export interface QuotaUsageTable {
  project_id: string;
  user_id: string;
  instances: number;
  cores: number;
  ram: number;
}

interface SoftDeleted {
  created_at: string;
  updated_at: string | null;
  deleted_at: string | null;
  deleted: Generated<number>;
}

export interface ServiceTable extends SoftDeleted {
  id: Generated<number>;
  uuid: string;
  host: string;
  binary: string;
  topic: string | null;
  report_count: number;
  disabled: number;
  disabled_reason: string | null;
  forced_down: number;
  last_seen_up: string | null;
  version: number;
}

export interface ComputeNodeTable extends SoftDeleted {
  id: Generated<number>;
  uuid: string;
  service_id: number | null;
  host: string;
  hypervisor_hostname: string;
  hypervisor_type: string;
  hypervisor_version: number;
  host_ip: string;
  vcpus: number;
  memory_mb: number;
  local_gb: number;
  vcpus_used: number;
  memory_mb_used: number;
  local_gb_used: number;
  running_vms: number;
  cpu_allocation_ratio: number;
  ram_allocation_ratio: number;
  disk_allocation_ratio: number;
  reserved_host_memory_mb: number;
  reserved_host_disk_mb: number;
  reserved_host_cpus: number;
}

export interface InstanceTable extends SoftDeleted {
  id: Generated<number>;
  uuid: string;
  display_name: string;
  display_description: string | null;
  hostname: string;
  project_id: string;
  user_id: string;
  image_ref: string;
  /** `{"cur": Flavor, "old": Flavor|null, "new": Flavor|null}` as JSON, like Nova's instance_extra. */
  flavor: string;
  /** vCPUs and RAM (MiB) of the current flavor, kept equal to it; what quota counts sum. */
  vcpus: Generated<number>;
  memory_mb: Generated<number>;
  vm_state: string;
  task_state: string | null;
  power_state: number;
  host: string | null;
  node: string | null;
  availability_zone: string | null;
  reservation_id: string;
  launch_index: number;
  key_name: string | null;
  config_drive: string;
  access_ip_v4: string | null;
  access_ip_v6: string | null;
  /** User metadata as a JSON object of strings. */
  metadata: string;
  /** System metadata as a JSON object of strings. */
  system_metadata: string;
  user_data: string | null;
  locked: number;
  locked_by: string | null;
  progress: number;
  hidden: number;
  launched_at: string | null;
  terminated_at: string | null;
}

export interface InstanceFaultTable extends SoftDeleted {
  id: Generated<number>;
  instance_uuid: string;
  code: number;
  message: string;
  details: string | null;
  host: string | null;
}

export interface InstanceActionTable extends SoftDeleted {
  id: Generated<number>;
  action: string;
  instance_uuid: string;
  request_id: string;
  user_id: string;
  project_id: string;
  start_time: string;
  finish_time: string | null;
  message: string | null;
}

export interface InstanceActionEventTable extends SoftDeleted {
  id: Generated<number>;
  action_id: number;
  event: string;
  start_time: string;
  finish_time: string | null;
  result: string | null;
  traceback: string | null;
  host: string | null;
  details: string | null;
}

/** A server tag (Nova's `tags` table): `resource_id` is the instance uuid; (resource_id, tag) is unique. */
export interface TagTable {
  resource_id: string;
  tag: string;
}

/** How one block device of an instance is provided (Nova's `block_device_mapping`). */
export interface BlockDeviceMappingTable extends SoftDeleted {
  id: Generated<number>;
  uuid: string;
  instance_uuid: string;
  /** `image`, `volume`, `blank` or `snapshot`. */
  source_type: string;
  /** `local` or `volume`. */
  destination_type: string;
  boot_index: number | null;
  device_name: string | null;
  device_type: string | null;
  disk_bus: string | null;
  guest_format: string | null;
  delete_on_termination: number;
  image_id: string | null;
  snapshot_id: string | null;
  volume_id: string | null;
  volume_size: number | null;
  volume_type: string | null;
  attachment_id: string | null;
  /** JSON of the volume service's connection info, once connected. */
  connection_info: string | null;
  no_device: number;
  tag: string | null;
}

/** One network interface of an instance (Nova's `virtual_interfaces`): `uuid` is the port id. */
export interface VirtualInterfaceTable extends SoftDeleted {
  id: Generated<number>;
  uuid: string;
  instance_uuid: string;
  network_id: string | null;
  /** The MAC address. */
  address: string | null;
  tag: string | null;
}

/** The instance's network info as last read from the network service (JSON), shown as `addresses`. */
export interface InstanceInfoCacheTable extends SoftDeleted {
  id: Generated<number>;
  instance_uuid: string;
  network_info: string;
}

/** One resize or cold migration (Nova's `migrations`); its uuid is also a placement consumer. */
export interface MigrationTable extends SoftDeleted {
  id: Generated<number>;
  uuid: string;
  instance_uuid: string;
  source_compute: string | null;
  source_node: string | null;
  dest_compute: string | null;
  dest_node: string | null;
  dest_host: string | null;
  old_instance_type_id: number;
  new_instance_type_id: number;
  status: string;
  migration_type: string;
  cross_cell_move: number;
  hidden: number;
  user_id: string | null;
  project_id: string | null;
}
