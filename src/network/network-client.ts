import type { RequestContext } from '../common/request-context.js';
import type { FixedIpRequest } from './fixed-ip-planner.js';
import type { NetworkView } from './network-view.js';
import type { PortBindingView } from './port-binding-view.js';
import type { PortView } from './port-view.js';

/** Which networks to list; without filters, every network the caller can see. */
export interface NetworkListFilter {
  ids?: string[];
  /** Only networks of this project (Nova asks for the project's own, then for shared ones). */
  projectId?: string;
  shared?: boolean;
  name?: string;
}

/** Which ports to list; lists match any of their values. */
export interface PortListFilter {
  ids?: string[];
  deviceIds?: string[];
  deviceOwners?: string[];
  networkIds?: string[];
  projectId?: string;
  /** Hosts of the ports' active bindings. */
  hostIds?: string[];
}

/**
 * A new port, in Neutron's attribute names. Nova creates an instance's port with `device_id` (the
 * instance uuid) and `device_owner` (`compute:<availability zone>`), and binds it with
 * `binding:host_id` once the host is known.
 */
export interface NewPortValues {
  network_id: string;
  name?: string;
  description?: string;
  device_id?: string;
  device_owner?: string;
  /** Omitted: one address from the network's first subnet with room; []: none. */
  fixed_ips?: FixedIpRequest[];
  mac_address?: string;
  admin_state_up?: boolean;
  'binding:host_id'?: string;
  'binding:vnic_type'?: string;
  'binding:profile'?: Record<string, unknown>;
  /** The project that owns the port (admins may create ports for other projects). */
  project_id?: string;
  tags?: string[];
}

/**
 * Changes to a port. Unbinding, as Nova does when an instance leaves a port:
 * `{ device_id: '', device_owner: '', 'binding:host_id': null, 'binding:profile': {} }`.
 */
export interface PortUpdateValues {
  name?: string;
  description?: string;
  device_id?: string;
  device_owner?: string;
  admin_state_up?: boolean;
  mac_address?: string;
  'binding:host_id'?: string | null;
  'binding:vnic_type'?: string;
  'binding:profile'?: Record<string, unknown> | null;
}

/** A binding of a port to a host, made through the extended port-binding API. */
export interface NewPortBindingValues {
  host: string;
  vnic_type?: string;
  profile?: Record<string, unknown> | null;
}

/**
 * The network service as the compute side sees it: the built-in service implements it in
 * process, and a client of a real Neutron could replace it (its answers are Neutron's JSON
 * shapes). Every call acts for `ctx`, with Neutron's visibility and policy, as if made with that
 * user's token; Nova makes the binding calls with an admin context. Every call passes a fault
 * point first (`network.<operation>`, see NETWORK_CLIENT_OPERATIONS), so tests can make any
 * one of them fail.
 *
 * @example
 * const port = await network.createPort(ctx, { network_id: net.id, device_id: instance.uuid, device_owner: 'compute:nova' });
 * await network.updatePort(admin, port.id, { 'binding:host_id': 'cell1-compute1' });
 * // cross-cell move: bind at the destination, then switch
 * await network.createPortBinding(admin, port.id, { host: 'cell2-compute1' }); // INACTIVE
 * await network.activatePortBinding(admin, port.id, 'cell2-compute1');
 * await network.deletePortBinding(admin, port.id, 'cell1-compute1');
 */
export interface NetworkClient {
  /** @throws NotFoundError `network.network_not_found` when missing or invisible to the caller. */
  getNetwork(ctx: RequestContext, id: string): Promise<NetworkView>;
  /** Networks visible to the caller: their project's, shared and external ones. */
  listNetworks(ctx: RequestContext, filter?: NetworkListFilter): Promise<NetworkView[]>;
  /** @throws NotFoundError `network.port_not_found`. */
  getPort(ctx: RequestContext, id: string): Promise<PortView>;
  listPorts(ctx: RequestContext, filter?: PortListFilter): Promise<PortView[]>;
  /**
   * @throws NotFoundError `network.network_not_found`; ConflictError
   *   `network.ip_address_generation_failure` when the network has no free address.
   */
  createPort(ctx: RequestContext, values: NewPortValues): Promise<PortView>;
  /** @throws NotFoundError `network.port_not_found`; ForbiddenError for binding changes by non-admins. */
  updatePort(ctx: RequestContext, id: string, values: PortUpdateValues): Promise<PortView>;
  /** Deletes the port and releases its addresses. @throws NotFoundError `network.port_not_found`. */
  deletePort(ctx: RequestContext, id: string): Promise<void>;
  /** The port's bindings to hosts (admin). @throws BadRequestError for ports that are not compute ports. */
  listPortBindings(ctx: RequestContext, portId: string): Promise<PortBindingView[]>;
  /**
   * Binds the port to another host: INACTIVE while the port is bound elsewhere, else ACTIVE.
   *
   * @throws ConflictError `network.port_binding_already_exists`.
   */
  createPortBinding(ctx: RequestContext, portId: string, values: NewPortBindingValues): Promise<PortBindingView>;
  /**
   * Makes the host's binding the active one; the previous one becomes INACTIVE.
   *
   * @throws NotFoundError `network.port_binding_not_found`; ConflictError `network.port_binding_already_active`.
   */
  activatePortBinding(ctx: RequestContext, portId: string, host: string): Promise<PortBindingView>;
  /** @throws NotFoundError `network.port_binding_not_found`. */
  deletePortBinding(ctx: RequestContext, portId: string, host: string): Promise<void>;
}

/**
 * The fault points of the client, one per method: `faults.arm('network.create_port')` makes the
 * next `createPort` fail with `fault.injected` before it changes anything.
 */
export const NETWORK_CLIENT_OPERATIONS = [
  'get_network',
  'list_networks',
  'get_port',
  'list_ports',
  'create_port',
  'update_port',
  'delete_port',
  'list_port_bindings',
  'create_port_binding',
  'activate_port_binding',
  'delete_port_binding',
] as const;
export type NetworkClientOperation = (typeof NETWORK_CLIENT_OPERATIONS)[number];
