import { poolRanges } from './allocation-pools.js';
import { freeAddresses } from './ip-allocator.js';
import { contains, formatIpv4, parseCidr, parseIpv4 } from './ipv4.js';
import { invalidInput, invalidIpForNetwork, invalidIpForSubnet, ipAddressAlreadyAllocated, ipAddressGenerationFailure } from './neutron-errors.js';
import type { FixedIp } from './port-record.js';
import type { SubnetRecord } from './subnet-record.js';

/** One entry of a port's `fixed_ips` in a request: a subnet, an address, or both. */
export interface FixedIpRequest {
  subnet_id?: string;
  ip_address?: string;
}

/** What a plan is made from. The subnets are those of the port's network, already checked to hold every requested subnet id. */
export interface FixedIpPlanInput {
  networkId: string;
  subnets: readonly SubnetRecord[];
  /** Omitted: one address from the first subnet that has one free; []: no address. */
  requests: readonly FixedIpRequest[] | undefined;
  /** Addresses in use per subnet id. */
  taken: ReadonlyMap<string, ReadonlySet<number>>;
  /** Chooses among free addresses (lowest first); retries under contention spread their choice. */
  pick: (free: readonly number[]) => number;
}

/** How many free addresses per subnet a choice is made among. */
const CANDIDATES = 64;

/**
 * Decides the addresses of a new port, as Neutron's IPAM does: requested addresses must lie in
 * a subnet of the network (and in the subnet named with them), be host addresses other than the
 * gateway and be free; a subnet alone gets one of its free pool addresses; nothing asked gets
 * one address from the first subnet with room. The plan is checked again by the database's
 * unique key when it is written.
 *
 * @throws ConflictError `network.ip_address_generation_failure` when no address is free;
 *   `network.ip_address_already_allocated` for a requested address in use. BadRequestError for
 *   addresses outside the network or subnet, and for duplicates.
 */
export function planFixedIps(input: FixedIpPlanInput): FixedIp[] {
  const { networkId, subnets, taken } = input;
  const used = new Map<string, Set<number>>(subnets.map((s) => [s.id, new Set(taken.get(s.id) ?? [])]));
  if (input.requests === undefined) {
    for (const subnet of subnets) {
      const free = freeAddresses(poolRanges(subnet.allocation_pools), used.get(subnet.id) ?? new Set(), CANDIDATES);
      if (free.length > 0) return [{ subnet_id: subnet.id, ip_address: formatIpv4(input.pick(free)) }];
    }
    if (subnets.length === 0) return [];
    throw ipAddressGenerationFailure(networkId);
  }
  const plan: (FixedIp | undefined)[] = input.requests.map(() => undefined);
  // Explicit addresses first, so that the automatic choices below avoid them.
  for (const [i, request] of input.requests.entries()) {
    if (request.ip_address === undefined) continue;
    const address = parseIpv4(request.ip_address);
    const subnet = request.subnet_id === undefined
      ? subnets.find((s) => address !== undefined && isHostOf(s, address))
      : subnets.find((s) => s.id === request.subnet_id);
    if (subnet === undefined || address === undefined) throw invalidIpForNetwork(request.ip_address);
    if (!isHostOf(subnet, address) || subnet.gateway_ip === formatIpv4(address)) throw invalidIpForSubnet(request.ip_address);
    const inUse = used.get(subnet.id) ?? new Set<number>();
    if (plan.some((p) => p?.subnet_id === subnet.id && p.ip_address === formatIpv4(address))) {
      throw invalidInput(`Duplicate IP address '${formatIpv4(address)}'`);
    }
    if (inUse.has(address)) throw ipAddressAlreadyAllocated(formatIpv4(address), subnet.id);
    inUse.add(address);
    plan[i] = { subnet_id: subnet.id, ip_address: formatIpv4(address) };
  }
  for (const [i, request] of input.requests.entries()) {
    if (request.ip_address !== undefined) continue;
    const subnet = subnets.find((s) => s.id === request.subnet_id);
    if (subnet === undefined) throw invalidInput(`Failed to create port on network ${networkId}, because fixed_ips included invalid subnet ${String(request.subnet_id)}`);
    const inUse = used.get(subnet.id) ?? new Set<number>();
    const free = freeAddresses(poolRanges(subnet.allocation_pools), inUse, CANDIDATES);
    if (free.length === 0) throw ipAddressGenerationFailure(networkId, subnet.id);
    const address = input.pick(free);
    inUse.add(address);
    plan[i] = { subnet_id: subnet.id, ip_address: formatIpv4(address) };
  }
  return plan.filter((p): p is FixedIp => p !== undefined);
}

/** Whether the address is a host address of the subnet (neither its network nor its broadcast address). */
function isHostOf(subnet: SubnetRecord, address: number): boolean {
  const cidr = parseCidr(subnet.cidr);
  return cidr !== undefined && contains(cidr, address) && address !== cidr.first && address !== cidr.last;
}
