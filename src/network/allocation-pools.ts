import {
  gatewayConflictWithAllocationPools,
  invalidAllocationPool,
  outOfBoundsAllocationPool,
  overlappingAllocationPools,
} from './neutron-errors.js';
import { formatCidr, formatIpv4, parseIpv4, type Cidr } from './ipv4.js';

/** A range of addresses a subnet hands out, as Neutron shows it: `{"start": "10.0.0.2", "end": "10.0.0.254"}`. */
export interface AllocationPool {
  start: string;
  end: string;
}

/** A pool as numbers, both ends included. */
export interface AddressRange {
  first: number;
  last: number;
}

/**
 * Neutron's default pools: every host address of the CIDR (not the network or broadcast
 * address) except the gateway, which splits the range in two when it falls inside.
 *
 * @example
 * defaultAllocationPools(parseCidr('10.0.0.0/24'), parseIpv4('10.0.0.1')); // [{ start: '10.0.0.2', end: '10.0.0.254' }]
 */
export function defaultAllocationPools(cidr: Cidr, gateway: number | undefined): AllocationPool[] {
  const hosts: AddressRange = { first: cidr.first + 1, last: cidr.last - 1 };
  const ranges: AddressRange[] = [];
  if (gateway === undefined || gateway < hosts.first || gateway > hosts.last) ranges.push(hosts);
  else {
    if (gateway > hosts.first) ranges.push({ first: hosts.first, last: gateway - 1 });
    if (gateway < hosts.last) ranges.push({ first: gateway + 1, last: hosts.last });
  }
  return ranges.map(toPool);
}

/**
 * Checks pools a client asked for, in Neutron's order: well-formed and ordered, inside the
 * CIDR's host addresses, not overlapping each other, and not holding the gateway.
 *
 * @throws BadRequestError `network.invalid_allocation_pool` or `network.out_of_bounds_allocation_pool`
 * @throws ConflictError `network.overlapping_allocation_pools` or `network.gateway_conflict_with_allocation_pools`
 */
export function checkAllocationPools(cidr: Cidr, gateway: number | undefined, pools: readonly AllocationPool[]): AddressRange[] {
  const ranges: AddressRange[] = [];
  for (const pool of pools) {
    const first = parseIpv4(pool.start);
    const last = parseIpv4(pool.end);
    if (first === undefined || last === undefined || first > last) throw invalidAllocationPool(describe(pool));
    if (first <= cidr.first || last >= cidr.last) throw outOfBoundsAllocationPool(describe(pool), formatCidr(cidr));
    ranges.push({ first, last });
  }
  const sorted = [...ranges].sort((a, b) => a.first - b.first);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1] as AddressRange;
    const cur = sorted[i] as AddressRange;
    if (cur.first <= prev.last) throw overlappingAllocationPools(describe(toPool(prev)), describe(toPool(cur)), formatCidr(cidr));
  }
  if (gateway !== undefined) {
    const holder = ranges.find((r) => gateway >= r.first && gateway <= r.last);
    if (holder !== undefined) throw gatewayConflictWithAllocationPools(formatIpv4(gateway), describe(toPool(holder)));
  }
  return ranges;
}

/** The pools of a stored subnet as numbers; stored pools were checked on create. */
export function poolRanges(pools: readonly AllocationPool[]): AddressRange[] {
  return pools.map((p) => ({ first: parseIpv4(p.start) ?? 0, last: parseIpv4(p.end) ?? -1 }));
}

function toPool(range: AddressRange): AllocationPool {
  return { start: formatIpv4(range.first), end: formatIpv4(range.last) };
}

// Neutron prints pools as Python's repr of an IPRange: <start>-<end>.
function describe(pool: AllocationPool): string {
  return `${pool.start}-${pool.end}`;
}
