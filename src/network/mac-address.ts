import type { IdGenerator } from '../common/ids.js';

/** Neutron's default `base_mac`: generated addresses are fa:16:3e:xx:xx:xx. */
const BASE_MAC = 'fa:16:3e';
const MAC = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/;

/**
 * A new MAC address under Neutron's base prefix, its last three octets taken from a fresh uuid
 * (so tests that inject ids get predictable addresses).
 *
 * @example
 * generateMac(ids); // 'fa:16:3e:4c:2a:91'
 */
export function generateMac(ids: IdGenerator): string {
  const hex = ids.uuid().replace(/-/g, '').slice(-6);
  return `${BASE_MAC}:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}`.toLowerCase();
}

/**
 * The address in Neutron's canonical form (lower case, colons), or undefined when it is not a
 * unicast MAC address that a port may have (multicast and all-zero addresses are refused).
 */
export function normalizeMac(text: string): string | undefined {
  const mac = text.toLowerCase().replace(/-/g, ':');
  if (!MAC.test(mac)) return undefined;
  const first = parseInt(mac.slice(0, 2), 16);
  if ((first & 1) === 1 || mac === '00:00:00:00:00:00') return undefined;
  return mac;
}
