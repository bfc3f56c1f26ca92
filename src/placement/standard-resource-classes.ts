/**
 * The standard resource classes (os-resource-classes), in their canonical order: a standard
 * class's database id is its index here, as in Placement. Custom classes (`CUSTOM_*`) are created
 * through the API and get ids from {@link FIRST_CUSTOM_RESOURCE_CLASS_ID} up.
 */
export const STANDARD_RESOURCE_CLASSES: readonly string[] = [
  'VCPU',
  'MEMORY_MB',
  'DISK_GB',
  'PCI_DEVICE',
  'SRIOV_NET_VF',
  'NUMA_SOCKET',
  'NUMA_CORE',
  'NUMA_THREAD',
  'NUMA_MEMORY_MB',
  'IPV4_ADDRESS',
  'VGPU',
  'VGPU_DISPLAY_HEAD',
  'NET_BW_EGR_KILOBIT_PER_SEC',
  'NET_BW_IGR_KILOBIT_PER_SEC',
  'PCPU',
  'MEM_ENCRYPTION_CONTEXT',
  'FPGA',
  'PGPU',
  'NET_PACKET_RATE_KILOPACKET_PER_SEC',
  'NET_PACKET_RATE_EGR_KILOPACKET_PER_SEC',
  'NET_PACKET_RATE_IGR_KILOPACKET_PER_SEC',
];

export const FIRST_CUSTOM_RESOURCE_CLASS_ID = 10000;

const STANDARD = new Set(STANDARD_RESOURCE_CLASSES);

/** Names of resource classes and traits: upper-case letters, digits and underscores. */
export const RC_TRAIT_PATTERN = '^[A-Z0-9_]+$';
/** Names a caller may create: `CUSTOM_` and at least one more character. */
export const CUSTOM_NAME_PATTERN = '^CUSTOM_[A-Z0-9_]+$';
const CUSTOM = new RegExp(CUSTOM_NAME_PATTERN);

export function isStandardResourceClass(name: string): boolean {
  return STANDARD.has(name);
}

export function isCustomName(name: string): boolean {
  return name.length <= 255 && CUSTOM.test(name);
}
