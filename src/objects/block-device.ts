/**
 * One block device mapping of an instance, as Nova keeps it: where the device comes from
 * (`source_type`) and what it becomes (`destination_type`), with the volume, attachment and tag.
 * The root device is the one with `boot_index` 0.
 */
export interface BlockDeviceMapping {
  uuid: string;
  instance_uuid: string;
  source_type: 'image' | 'volume' | 'blank' | 'snapshot';
  destination_type: 'local' | 'volume';
  boot_index: number | null;
  device_name: string | null;
  device_type: string | null;
  disk_bus: string | null;
  guest_format: string | null;
  delete_on_termination: boolean;
  image_id: string | null;
  snapshot_id: string | null;
  volume_id: string | null;
  volume_size: number | null;
  volume_type: string | null;
  attachment_id: string | null;
  connection_info: Record<string, unknown> | null;
  no_device: boolean;
  tag: string | null;
  created_at: string;
  updated_at: string | null;
}

/** What a caller gives to create a mapping; the rest defaults (no volume, no attachment yet). */
export type NewBlockDeviceMapping = Pick<BlockDeviceMapping, 'instance_uuid' | 'source_type' | 'destination_type'> &
  Partial<Omit<BlockDeviceMapping, 'instance_uuid' | 'source_type' | 'destination_type' | 'created_at' | 'updated_at'>>;

/** One network interface of an instance: the port, its network and MAC, and the tag given at boot or attach. */
export interface VirtualInterface {
  /** The port id. */
  uuid: string;
  instance_uuid: string;
  network_id: string | null;
  address: string | null;
  tag: string | null;
  created_at: string;
}

/**
 * One port of the instance as the API shows it in `addresses` (Nova's network info cache entry,
 * trimmed to what Tessera shows): the network's name labels the addresses.
 */
export interface NetworkInfoEntry {
  port_id: string;
  network_id: string;
  network_name: string;
  mac_address: string;
  fixed_ips: { ip_address: string; version: 4 | 6 }[];
  /**
   * True for a port the user brought (a port id at boot or attach): detaching or deleting the
   * server unbinds it and keeps it. False or absent for a port Nova created, which is deleted.
   * Nova keeps this flag in the same place, its network info cache.
   */
  preserve_on_delete?: boolean;
}
