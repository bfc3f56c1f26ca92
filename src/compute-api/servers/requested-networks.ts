import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../../common/errors.js';
import { elevated, type RequestContext } from '../../common/request-context.js';
import type { NetworkView } from '../../network/index.js';
import type { RequestedNetwork } from '../../objects/requested-network.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import type { CreateServerRequest } from './create-server-schema.js';

type NetworksField = CreateServerRequest['server']['networks'];

/**
 * The API's check of `networks` (Nova's validate_networks): resolves `auto` to one network,
 * checks that every network exists, is visible and has a subnet, and that every port exists,
 * is the project's (or the caller is an admin), is unbound (409 PortInUse otherwise) and has an
 * address. Nothing is reserved: the compute takes the ports when it builds.
 *
 * Without `networks` (below 2.37), or with an empty list, the instance gets the network `auto`
 * would pick, or none when the project sees no network at all.
 *
 * @example
 * await resolveRequestedNetworks(deps, ctx, [{ uuid: net }, { port, tag: 'nic2' }], 1);
 * // [{ network_id: net, port_id: null, ... }, { network_id: null, port_id: port, tag: 'nic2', ... }]
 */
export async function resolveRequestedNetworks(deps: ComputeApiDeps, ctx: RequestContext, networks: NetworksField, count: number): Promise<RequestedNetwork[]> {
  if (networks === 'none') return [];
  // An empty list asks for nothing in particular, as no `networks` at all does (Nova).
  if (networks === 'auto' || networks === undefined || networks.length === 0) {
    const network = await pickNetwork(deps, ctx, networks === 'auto');
    if (network === undefined) return [];
    checkUsable(ctx, network);
    return [{ network_id: network.id, port_id: null, fixed_ip: null, tag: null }];
  }
  const requested = networks.map(parseItem);
  const ports = requested.flatMap((r) => (r.port_id === null ? [] : [r.port_id]));
  const duplicate = ports.find((p, i) => ports.indexOf(p) !== i);
  if (duplicate !== undefined) throw new BadRequestError('compute.duplicate_port', `Port ${duplicate} is given more than once.`);
  if (count > 1 && ports.length > 0) {
    throw new BadRequestError('compute.multiple_ports', 'Unable to launch multiple instances with a single configured port ID. Please launch your instance one by one with different ports.');
  }
  if (count > 1 && requested.some((r) => r.fixed_ip !== null)) {
    throw new BadRequestError('compute.fixed_ip_and_max_count', 'max_count cannot be greater than 1 if an fixed_ip is specified.');
  }
  for (const r of requested) {
    if (r.port_id !== null) await checkPort(deps, ctx, r.port_id);
    else await checkNetwork(deps, ctx, r.network_id as string, r.fixed_ip);
  }
  return requested;
}

function parseItem(item: Exclude<NetworksField, string | undefined>[number]): RequestedNetwork {
  const tag = item.tag ?? null;
  if (item.port !== undefined && item.port !== null) {
    if (item.fixed_ip !== undefined) {
      throw new BadRequestError('compute.fixed_ip_with_port', `Specified Fixed IP '${item.fixed_ip}' cannot be used with port '${item.port}': the two cannot be specified together.`);
    }
    // As in Nova, a port wins over a network uuid given with it: the port says which network.
    return { network_id: null, port_id: item.port.toLowerCase(), fixed_ip: null, tag };
  }
  if (item.uuid === undefined) throw new BadRequestError('compute.network_uuid_missing', "Bad network format: missing 'uuid'");
  return { network_id: item.uuid.toLowerCase(), port_id: null, fixed_ip: item.fixed_ip ?? null, tag };
}

/**
 * Nova's choice for `auto`: the project's own network when it has exactly one, else the shared
 * one (the configured default network when several are shared). None at all is a 400 for `auto`
 * and no network for a request that named none.
 */
async function pickNetwork(deps: ComputeApiDeps, ctx: RequestContext, required: boolean): Promise<NetworkView | undefined> {
  const visible = (await deps.network.listNetworks(ctx)).filter((n) => !n['router:external']);
  const own = visible.filter((n) => n.project_id === ctx.projectId && !n.shared);
  if (own.length === 1) return own[0];
  if (own.length > 1) throw ambiguous();
  const shared = visible.filter((n) => n.shared);
  if (shared.length === 1) return shared[0];
  if (shared.length > 1) {
    const preferred = shared.find((n) => n.name === deps.config.neutron.default_network_name);
    if (preferred !== undefined) return preferred;
    throw ambiguous();
  }
  if (required) throw new BadRequestError('compute.unable_to_auto_allocate_network', `Unable to automatically allocate a network for project ${ctx.projectId}`);
  return undefined;
}

function ambiguous(): ConflictError {
  return new ConflictError('compute.network_ambiguous', 'Multiple possible networks found, use a Network ID to be more specific.');
}

async function checkNetwork(deps: ComputeApiDeps, ctx: RequestContext, id: string, fixedIp: string | null): Promise<void> {
  let network: NetworkView;
  try {
    network = await deps.network.getNetwork(ctx, id);
  } catch (err) {
    if (err instanceof NotFoundError) throw new BadRequestError('compute.network_not_found', `Network ${id} could not be found.`, { cause: err });
    throw err;
  }
  checkUsable(ctx, network);
  if (fixedIp === null) return;
  // Read as an admin: the address may be held by a port the caller cannot see.
  const holders = await deps.network.listPorts(elevated(ctx), { networkIds: [id] });
  const holder = holders.find((p) => p.fixed_ips.some((ip) => ip.ip_address === fixedIp));
  if (holder !== undefined) {
    throw new BadRequestError('compute.fixed_ip_in_use', `Fixed IP address ${fixedIp} is already in use on instance ${holder.device_id === '' ? holder.id : holder.device_id}.`);
  }
}

function checkUsable(ctx: RequestContext, network: NetworkView): void {
  if (network['router:external'] && !ctx.isAdmin && !network.shared) {
    throw new ForbiddenError('compute.external_network_attach_forbidden', `It is not allowed to create an interface on external network ${network.id}`);
  }
  if (network.subnets.length === 0) {
    throw new BadRequestError('compute.network_requires_subnet', `Network ${network.id} requires a subnet in order to boot instances on.`);
  }
}

async function checkPort(deps: ComputeApiDeps, ctx: RequestContext, id: string): Promise<void> {
  let port;
  try {
    port = await deps.network.getPort(ctx, id);
  } catch (err) {
    if (err instanceof NotFoundError) throw new BadRequestError('compute.port_not_found', `Port ${id} could not be found.`, { cause: err });
    throw err;
  }
  if (port.project_id !== ctx.projectId && !ctx.isAdmin) {
    throw new BadRequestError('compute.port_not_usable', `Port ${id} not usable for project ${ctx.projectId}.`);
  }
  if (port.device_id !== '') throw new ConflictError('compute.port_in_use', `Port ${id} is still in use.`);
  if (port.fixed_ips.length === 0) throw new BadRequestError('compute.port_requires_fixed_ip', `Port ${id} requires a FixedIP in order to be used.`);
}
