/**
 * Tables of the network database. Times are ISO-8601 text; booleans are 0/1; lists and objects
 * (allocation pools, DNS servers, binding profiles and VIF details) are JSON text.
 */
export interface NetworkSchema {
  networks: NetworkTable;
  subnets: SubnetTable;
  ports: PortTable;
  ip_allocations: IpAllocationTable;
  port_bindings: PortBindingTable;
  resource_tags: ResourceTagTable;
  seeded_defaults: SeededDefaultTable;
}

export interface NetworkTable {
  id: string;
  name: string;
  description: string;
  project_id: string;
  status: string;
  admin_state_up: number;
  shared: number;
  router_external: number;
  mtu: number;
  revision_number: number;
  created_at: string;
  updated_at: string;
}

export interface SubnetTable {
  id: string;
  network_id: string;
  name: string;
  description: string;
  project_id: string;
  ip_version: number;
  cidr: string;
  /** Null: the subnet has no gateway. */
  gateway_ip: string | null;
  enable_dhcp: number;
  /** JSON `[{"start": "...", "end": "..."}]`. */
  allocation_pools: string;
  /** JSON list of addresses. */
  dns_nameservers: string;
  revision_number: number;
  created_at: string;
  updated_at: string;
}

export interface PortTable {
  id: string;
  network_id: string;
  name: string;
  description: string;
  project_id: string;
  mac_address: string;
  admin_state_up: number;
  /** ACTIVE when bound to a host and administratively up, DOWN otherwise. */
  status: string;
  device_id: string;
  device_owner: string;
  revision_number: number;
  created_at: string;
  updated_at: string;
}

/** One fixed IP of a port; (subnet_id, ip_address) is unique, which is what stops duplicates. */
export interface IpAllocationTable {
  subnet_id: string;
  ip_address: string;
  port_id: string;
  network_id: string;
  /** The address's place in the port's `fixed_ips` list. */
  position: number;
}

/**
 * A port's binding to a host. Every port has exactly one ACTIVE binding, whose host is '' while
 * the port is unbound (as in ML2); bindings made through the extended port-binding API for other
 * hosts are INACTIVE until activated.
 */
export interface PortBindingTable {
  port_id: string;
  host: string;
  status: string;
  vif_type: string;
  vnic_type: string;
  /** JSON object. */
  profile: string;
  /** JSON object. */
  vif_details: string;
}

/** Tags of networks, subnets and ports (Neutron's standard-attr-tag). */
export interface ResourceTagTable {
  resource_id: string;
  resource_type: string;
  tag: string;
}

/** Defaults created once (e.g. the `private` network), so an operator's deletion sticks. */
export interface SeededDefaultTable {
  name: string;
  created_at: string;
}
