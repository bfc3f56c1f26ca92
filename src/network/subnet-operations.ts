import type { IdGenerator } from '../common/ids.js';
import type { Logger } from '../common/logger.js';
import type { RequestContext } from '../common/request-context.js';
import type { PolicyEngine } from '../policy/index.js';
import { checkAllocationPools, defaultAllocationPools, type AllocationPool } from './allocation-pools.js';
import { contains, formatCidr, formatIpv4, isCanonical, parseCidr, parseIpv4, type Cidr } from './ipv4.js';
import { badField, invalidInput, subnetNotFound } from './neutron-errors.js';
import type { NetworkRepo } from './network-repo.js';
import { NetworkRule } from './network-policy-rules.js';
import { authorize, targetOn, viewerOf } from './policy-targets.js';
import type { SubnetFilter, SubnetRepo } from './subnet-repo.js';
import { toSubnetView, type SubnetView } from './subnet-view.js';

/** What `POST /v2.0/subnets` may set, in Neutron's names. */
export interface CreateSubnetValues {
  network_id: string;
  cidr: string;
  ip_version: 4;
  name?: string;
  description?: string;
  /** Omitted: the first host address; null: no gateway. */
  gateway_ip?: string | null;
  /** Omitted: every host address but the gateway. */
  allocation_pools?: AllocationPool[];
  enable_dhcp?: boolean;
  dns_nameservers?: string[];
  project_id?: string;
  tags?: string[];
}

/** The longest prefix accepted: a /31 or /32 has no address to hand out. */
export const MAX_PREFIX_LENGTH = 30;

export interface SubnetOperationsDeps {
  networks: NetworkRepo;
  subnets: SubnetRepo;
  policy: PolicyEngine;
  ids: IdGenerator;
  logger: Logger;
}

/** Subnets as Neutron's core plugin serves them (IPv4 only). */
export class SubnetOperations {
  constructor(private readonly deps: SubnetOperationsDeps) {}

  async list(ctx: RequestContext, filter: SubnetFilter = {}): Promise<SubnetView[]> {
    const subnets = await this.deps.subnets.list(filter, viewerOf(ctx));
    const networks = new Map((await this.deps.networks.list({ id: [...new Set(subnets.map((s) => s.network_id))] })).map((n) => [n.id, n]));
    return subnets
      .filter((s) => {
        const network = networks.get(s.network_id);
        return network !== undefined && this.deps.policy.check(NetworkRule.getSubnet, ctx, targetOn(network, s.project_id));
      })
      .map(toSubnetView);
  }

  /** @throws NotFoundError `network.subnet_not_found` when missing or not the caller's to see. */
  async get(ctx: RequestContext, id: string): Promise<SubnetView> {
    const subnet = await this.deps.subnets.get(id, { viewer: viewerOf(ctx) });
    const network = await this.deps.networks.get(subnet.network_id);
    if (!this.deps.policy.check(NetworkRule.getSubnet, ctx, targetOn(network, subnet.project_id))) throw subnetNotFound(id);
    return toSubnetView(subnet);
  }

  /**
   * Creates the subnet after Neutron's checks of the CIDR, gateway, pools and DNS servers.
   *
   * @throws NotFoundError `network.network_not_found`; BadRequestError for a bad CIDR, gateway or
   *   pool, or an overlap with another subnet of the network; ConflictError for pools that overlap
   *   each other or hold the gateway.
   */
  async create(ctx: RequestContext, values: CreateSubnetValues): Promise<SubnetView> {
    const network = await this.deps.networks.get(values.network_id, { viewer: viewerOf(ctx) });
    const projectId = values.project_id ?? ctx.projectId;
    authorize(this.deps.policy, NetworkRule.createSubnet, ctx, targetOn(network, projectId));
    const cidr = checkCidr(values.cidr);
    const gateway = checkGateway(cidr, values.gateway_ip);
    const pools = values.allocation_pools === undefined ? defaultAllocationPools(cidr, gateway) : values.allocation_pools;
    if (values.allocation_pools !== undefined) checkAllocationPools(cidr, gateway, pools);
    const dns = values.dns_nameservers ?? [];
    for (const server of dns) if (parseIpv4(server) === undefined) throw badField('dns_nameservers', `'${server}' is not a valid nameserver`);
    if (new Set(dns).size !== dns.length) throw badField('dns_nameservers', `Duplicate nameserver in '${dns.join(', ')}'`);
    const id = this.deps.ids.uuid();
    const subnet = await this.deps.subnets.create({
      id,
      network_id: network.id,
      project_id: projectId,
      cidr: formatCidr(cidr),
      gateway_ip: gateway === undefined ? null : formatIpv4(gateway),
      allocation_pools: pools,
      dns_nameservers: dns,
      ...(values.name === undefined ? {} : { name: values.name }),
      ...(values.description === undefined ? {} : { description: values.description }),
      ...(values.enable_dhcp === undefined ? {} : { enable_dhcp: values.enable_dhcp }),
      ...(values.tags === undefined ? {} : { tags: values.tags }),
    });
    await this.deps.networks.touch(network.id);
    this.deps.logger.info({ request_id: ctx.requestId, subnet_id: id, network_id: network.id, cidr: subnet.cidr }, 'subnet created');
    return toSubnetView(subnet);
  }

  /** @throws NotFoundError `network.subnet_not_found`; ConflictError `network.subnet_in_use`. */
  async delete(ctx: RequestContext, id: string): Promise<void> {
    const subnet = await this.deps.subnets.get(id, { viewer: viewerOf(ctx) });
    const network = await this.deps.networks.get(subnet.network_id);
    authorize(this.deps.policy, NetworkRule.deleteSubnet, ctx, targetOn(network, subnet.project_id));
    await this.deps.subnets.delete(id);
    await this.deps.networks.touch(network.id);
    this.deps.logger.info({ request_id: ctx.requestId, subnet_id: id, network_id: network.id }, 'subnet deleted');
  }
}

function checkCidr(text: string): Cidr {
  const cidr = parseCidr(text);
  if (cidr === undefined) throw badField('cidr', `'${text}' is not a valid IP subnet`);
  if (!isCanonical(cidr)) throw badField('cidr', `'${text}' isn't a recognized IP subnet cidr, '${formatCidr(cidr)}' is recommended`);
  if (cidr.prefix > MAX_PREFIX_LENGTH) throw badField('cidr', `'${text}' leaves no address to allocate; the prefix length must be at most ${MAX_PREFIX_LENGTH}`);
  return cidr;
}

/** The gateway as a number: the first host address when omitted, none for null. */
function checkGateway(cidr: Cidr, gateway: string | null | undefined): number | undefined {
  if (gateway === null) return undefined;
  if (gateway === undefined) return cidr.first + 1;
  const address = parseIpv4(gateway);
  if (address === undefined) throw badField('gateway_ip', `'${gateway}' is not a valid IP address`);
  if (!contains(cidr, address) || address === cidr.first || address === cidr.last) throw invalidInput('Gateway is not valid on subnet');
  return address;
}
