import { randomInt } from 'node:crypto';
import { ConflictError, TesseraError } from '../common/errors.js';
import type { IdGenerator } from '../common/ids.js';
import type { Logger } from '../common/logger.js';
import type { RequestContext } from '../common/request-context.js';
import type { PolicyEngine } from '../policy/index.js';
import { planFixedIps } from './fixed-ip-planner.js';
import { generateMac, normalizeMac } from './mac-address.js';
import { badField, invalidInput, portNotFound, subnetNotFound } from './neutron-errors.js';
import type { NewPortValues, PortUpdateValues } from './network-client.js';
import type { NetworkRecord } from './network-record.js';
import type { NetworkRepo } from './network-repo.js';
import { NetworkRule } from './network-policy-rules.js';
import type { PortRecord } from './port-record.js';
import type { PortChanges, PortFilter, PortRepo } from './port-repo.js';
import { toPortView, type PortAttributeAccess, type PortView } from './port-view.js';
import { authorize, targetOn, viewerOf, type PolicyTarget } from './policy-targets.js';
import type { SubnetRepo } from './subnet-repo.js';

export interface PortOperationsDeps {
  networks: NetworkRepo;
  subnets: SubnetRepo;
  ports: PortRepo;
  policy: PolicyEngine;
  ids: IdGenerator;
  logger: Logger;
}

/** Attempts at writing a port whose automatically chosen address or MAC another writer took first. */
export const MAX_ALLOCATION_ATTEMPTS = 20;

/**
 * Ports as Neutron's core plugin serves them. Addresses are chosen from what the database says
 * is free and written with the port in one transaction; when a concurrent create took the same
 * address first, the unique key refuses the write and the choice is made again, spread over more
 * free addresses each time, so concurrent creates never share an address and an exhausted pool
 * is reported as Neutron's 409 IpAddressGenerationFailure.
 */
export class PortOperations {
  constructor(private readonly deps: PortOperationsDeps) {}

  async list(ctx: RequestContext, filter: PortFilter = {}): Promise<PortView[]> {
    const ports = await this.deps.ports.list(filter, viewerOf(ctx));
    const networks = await this.networksOf(ports);
    const out: PortView[] = [];
    for (const port of ports) {
      const network = networks.get(port.network_id);
      if (network === undefined) continue;
      const target = targetOn(network, port.project_id, port.device_owner);
      if (this.deps.policy.check(NetworkRule.getPort, ctx, target)) out.push(toPortView(port, this.access(ctx, target)));
    }
    return out;
  }

  /** @throws NotFoundError `network.port_not_found` when missing or not the caller's to see. */
  async get(ctx: RequestContext, id: string): Promise<PortView> {
    const { port, target } = await this.visible(ctx, id);
    if (!this.deps.policy.check(NetworkRule.getPort, ctx, target)) throw portNotFound(id);
    return toPortView(port, this.access(ctx, target));
  }

  /**
   * @throws NotFoundError `network.network_not_found` / `network.subnet_not_found`; ForbiddenError
   *   `network.policy_not_authorized`; ConflictError `network.ip_address_generation_failure`,
   *   `network.ip_address_already_allocated`, `network.mac_address_in_use`; BadRequestError for
   *   addresses outside the network.
   */
  async create(ctx: RequestContext, values: NewPortValues): Promise<PortView> {
    const network = await this.deps.networks.get(values.network_id, { viewer: viewerOf(ctx) });
    const requestedMac = values.mac_address === undefined ? undefined : checkMac(values.mac_address);
    const projectId = values.project_id ?? ctx.projectId;
    const target = targetOn(network, projectId, values.device_owner ?? '');
    this.authorizeCreate(ctx, values, target);
    const subnets = await this.deps.subnets.list({ network_id: [network.id] });
    for (const request of values.fixed_ips ?? []) {
      if (request.subnet_id === undefined) continue;
      if (subnets.some((s) => s.id === request.subnet_id)) continue;
      // A subnet of another network the caller can see is a bad request; one they cannot see does not exist.
      if ((await this.deps.subnets.find(request.subnet_id, { viewer: viewerOf(ctx) })) === undefined) throw subnetNotFound(request.subnet_id);
      throw invalidInput(`Failed to create port on network ${network.id}, because fixed_ips included invalid subnet ${request.subnet_id}`);
    }
    const log = this.deps.logger.child({ request_id: ctx.requestId, network_id: network.id });
    for (let attempt = 0; ; attempt++) {
      const taken = await this.deps.ports.allocatedAddresses(subnets.map((s) => s.id));
      const fixedIps = planFixedIps({ networkId: network.id, subnets, requests: values.fixed_ips, taken, pick: (free) => spread(free, attempt) });
      const id = this.deps.ids.uuid();
      const mac = requestedMac ?? generateMac(this.deps.ids);
      try {
        const port = await this.deps.ports.create({
          id,
          network_id: network.id,
          project_id: projectId,
          mac_address: mac,
          admin_state_up: values.admin_state_up ?? true,
          fixed_ips: fixedIps,
          binding: { host: values['binding:host_id'] ?? '', vnic_type: values['binding:vnic_type'] ?? 'normal', profile: values['binding:profile'] ?? {} },
          ...(values.name === undefined ? {} : { name: values.name }),
          ...(values.description === undefined ? {} : { description: values.description }),
          ...(values.device_id === undefined ? {} : { device_id: values.device_id }),
          ...(values.device_owner === undefined ? {} : { device_owner: values.device_owner }),
          ...(values.tags === undefined ? {} : { tags: values.tags }),
        });
        log.info({ port_id: id, fixed_ips: fixedIps, device_id: port.device_id, attempts: attempt + 1 }, 'port created');
        return toPortView(port, this.access(ctx, target));
      } catch (err) {
        if (!this.lostRace(err, values)) throw err;
        if (attempt + 1 >= MAX_ALLOCATION_ATTEMPTS) {
          log.warn({ attempts: attempt + 1, err }, 'port create kept losing address races');
          throw new ConflictError('network.allocation_contention', `Could not allocate a port on network ${network.id}: concurrent requests took every address chosen in ${attempt + 1} attempts; retry.`, { cause: err, details: { type: 'Conflict' } });
        }
        log.debug({ attempt, code: (err as TesseraError).code, details: (err as TesseraError).details }, 'address or MAC taken by a concurrent create; choosing again');
      }
    }
  }

  /** @throws NotFoundError `network.port_not_found`; ForbiddenError `network.policy_not_authorized`; ConflictError as PortRepo.update. */
  async update(ctx: RequestContext, id: string, values: PortUpdateValues): Promise<PortView> {
    const { port, network, target } = await this.visible(ctx, id);
    const policy = this.deps.policy;
    authorize(policy, NetworkRule.updatePort, ctx, target);
    if (values.device_owner !== undefined) authorize(policy, NetworkRule.updatePortDeviceOwner, ctx, targetOn(network, port.project_id, values.device_owner));
    if (values.mac_address !== undefined) authorize(policy, NetworkRule.updatePortMacAddress, ctx, target);
    if (values['binding:host_id'] !== undefined) authorize(policy, NetworkRule.updatePortHostId, ctx, target);
    if (values['binding:profile'] !== undefined) authorize(policy, NetworkRule.updatePortProfile, ctx, target);
    const host = values['binding:host_id'];
    const profile = values['binding:profile'];
    const changes: PortChanges = {
      ...(values.name === undefined ? {} : { name: values.name }),
      ...(values.description === undefined ? {} : { description: values.description }),
      ...(values.admin_state_up === undefined ? {} : { admin_state_up: values.admin_state_up }),
      ...(values.device_id === undefined ? {} : { device_id: values.device_id }),
      ...(values.device_owner === undefined ? {} : { device_owner: values.device_owner }),
      ...(values.mac_address === undefined ? {} : { mac_address: checkMac(values.mac_address) }),
      ...(host === undefined ? {} : { host: host ?? '' }),
      ...(values['binding:vnic_type'] === undefined ? {} : { vnic_type: values['binding:vnic_type'] }),
      ...(profile === undefined ? {} : { profile: profile ?? {} }),
    };
    const updated = await this.deps.ports.update(id, changes);
    this.deps.logger.info({ request_id: ctx.requestId, port_id: id, changed: Object.keys(changes), device_id: updated.device_id, host: updated.binding.host }, 'port updated');
    return toPortView(updated, this.access(ctx, targetOn(network, updated.project_id, updated.device_owner)));
  }

  /** @throws NotFoundError `network.port_not_found`; ForbiddenError `network.policy_not_authorized`. */
  async delete(ctx: RequestContext, id: string): Promise<void> {
    const { target } = await this.visible(ctx, id);
    authorize(this.deps.policy, NetworkRule.deletePort, ctx, target);
    await this.deps.ports.delete(id);
    this.deps.logger.info({ request_id: ctx.requestId, port_id: id }, 'port deleted');
  }

  /** The port, its network and its policy target; 404 unless the caller can see the port. */
  async visible(ctx: RequestContext, id: string): Promise<{ port: PortRecord; network: NetworkRecord; target: PolicyTarget }> {
    const port = await this.deps.ports.get(id, { viewer: viewerOf(ctx) });
    const network = await this.deps.networks.get(port.network_id);
    return { port, network, target: targetOn(network, port.project_id, port.device_owner) };
  }

  private authorizeCreate(ctx: RequestContext, values: NewPortValues, target: PolicyTarget): void {
    const policy = this.deps.policy;
    authorize(policy, NetworkRule.createPort, ctx, target);
    if (values.device_owner !== undefined) authorize(policy, NetworkRule.createPortDeviceOwner, ctx, target);
    if (values.mac_address !== undefined) authorize(policy, NetworkRule.createPortMacAddress, ctx, target);
    if (values.fixed_ips?.some((ip) => ip.ip_address !== undefined)) authorize(policy, NetworkRule.createPortFixedIpsIpAddress, ctx, target);
    if (values.fixed_ips?.some((ip) => ip.subnet_id !== undefined)) authorize(policy, NetworkRule.createPortFixedIpsSubnetId, ctx, target);
    // As in Neutron, an attribute's rule applies when it is set to other than its default ('' for the host).
    if (values['binding:host_id'] !== undefined && values['binding:host_id'] !== '') authorize(policy, NetworkRule.createPortHostId, ctx, target);
    if (values['binding:profile'] !== undefined) authorize(policy, NetworkRule.createPortProfile, ctx, target);
  }

  /** Whether a create failed only because a concurrent one took what was chosen automatically. */
  private lostRace(err: unknown, values: NewPortValues): boolean {
    if (!(err instanceof TesseraError)) return false;
    if (err.code === 'network.mac_address_in_use') return values.mac_address === undefined;
    if (err.code !== 'network.ip_address_already_allocated') return false;
    const ip = err.details?.['ip_address'];
    return !(values.fixed_ips ?? []).some((r) => r.ip_address === ip);
  }

  private access(ctx: RequestContext, target: PolicyTarget): PortAttributeAccess {
    const check = (rule: string) => this.deps.policy.check(rule, ctx, target);
    return {
      hostId: check(NetworkRule.getPortHostId),
      vifType: check(NetworkRule.getPortVifType),
      vifDetails: check(NetworkRule.getPortVifDetails),
      profile: check(NetworkRule.getPortProfile),
    };
  }

  private async networksOf(ports: readonly PortRecord[]): Promise<Map<string, NetworkRecord>> {
    const ids = [...new Set(ports.map((p) => p.network_id))];
    return new Map((await this.deps.networks.list({ id: ids })).map((n) => [n.id, n]));
  }
}

/**
 * The first free address on a first attempt; afterwards one chosen at random among a window that
 * widens with each attempt, so that writers who collided do not collide again.
 */
function spread(free: readonly number[], attempt: number): number {
  const window = Math.min(free.length, attempt === 0 ? 1 : 8 * attempt);
  return free[window <= 1 ? 0 : randomInt(window)] as number;
}

function checkMac(text: string): string {
  const mac = normalizeMac(text);
  if (mac === undefined) throw badField('mac_address', `'${text}' is not a valid MAC address`);
  return mac;
}
