/**
 * What a hypervisor node reports to the resource tracker (Nova's `get_available_resource`).
 * Totals are physical; allocation ratios and reservations are applied by the tracker and placement.
 */
export interface HostResources {
  hypervisor_hostname: string;
  hypervisor_type: string;
  hypervisor_version: number;
  host_ip: string;
  vcpus: number;
  memory_mb: number;
  local_gb: number;
  /** Sums over the guests the driver has on this node. */
  vcpus_used: number;
  memory_mb_used: number;
  local_gb_used: number;
}
