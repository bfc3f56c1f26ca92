import type { FaultInjector } from '../common/fault-injector.js';
import type { Logger } from '../common/logger.js';
import type { RequestContext } from '../common/request-context.js';
import type {
  NetworkClient,
  NetworkClientOperation,
  NetworkListFilter,
  NewPortBindingValues,
  NewPortValues,
  PortListFilter,
  PortUpdateValues,
} from './network-client.js';
import type { NetworkOperations } from './network-operations.js';
import type { NetworkView } from './network-view.js';
import type { PortBindingOperations } from './port-binding-operations.js';
import type { PortBindingView } from './port-binding-view.js';
import type { PortOperations } from './port-operations.js';
import type { PortView } from './port-view.js';

export interface LocalNetworkClientDeps {
  networks: NetworkOperations;
  ports: PortOperations;
  bindings: PortBindingOperations;
  logger: Logger;
  /** Fails `network.<operation>` on demand; without it no call ever fails on purpose. */
  faults?: FaultInjector;
}

/**
 * The built-in network service's `NetworkClient`: the same operations that serve the HTTP API,
 * behind a fault point per call. A fault fires before anything is read or written, as a failed
 * request to a real Neutron would.
 */
export class LocalNetworkClient implements NetworkClient {
  constructor(private readonly deps: LocalNetworkClientDeps) {}

  async getNetwork(ctx: RequestContext, id: string): Promise<NetworkView> {
    this.fault('get_network', ctx, { network_id: id });
    return this.deps.networks.get(ctx, id);
  }

  async listNetworks(ctx: RequestContext, filter: NetworkListFilter = {}): Promise<NetworkView[]> {
    this.fault('list_networks', ctx, {});
    return this.deps.networks.list(ctx, {
      ...(filter.ids === undefined ? {} : { id: filter.ids }),
      ...(filter.projectId === undefined ? {} : { project_id: [filter.projectId] }),
      ...(filter.shared === undefined ? {} : { shared: filter.shared }),
      ...(filter.name === undefined ? {} : { name: [filter.name] }),
    });
  }

  async getPort(ctx: RequestContext, id: string): Promise<PortView> {
    this.fault('get_port', ctx, { port_id: id });
    return this.deps.ports.get(ctx, id);
  }

  async listPorts(ctx: RequestContext, filter: PortListFilter = {}): Promise<PortView[]> {
    this.fault('list_ports', ctx, {});
    return this.deps.ports.list(ctx, {
      ...(filter.ids === undefined ? {} : { id: filter.ids }),
      ...(filter.deviceIds === undefined ? {} : { device_id: filter.deviceIds }),
      ...(filter.deviceOwners === undefined ? {} : { device_owner: filter.deviceOwners }),
      ...(filter.networkIds === undefined ? {} : { network_id: filter.networkIds }),
      ...(filter.projectId === undefined ? {} : { project_id: [filter.projectId] }),
      ...(filter.hostIds === undefined ? {} : { host_id: filter.hostIds }),
    });
  }

  async createPort(ctx: RequestContext, values: NewPortValues): Promise<PortView> {
    this.fault('create_port', ctx, { network_id: values.network_id, ...(values.device_id === undefined ? {} : { device_id: values.device_id }) });
    return this.deps.ports.create(ctx, values);
  }

  async updatePort(ctx: RequestContext, id: string, values: PortUpdateValues): Promise<PortView> {
    this.fault('update_port', ctx, { port_id: id });
    return this.deps.ports.update(ctx, id, values);
  }

  async deletePort(ctx: RequestContext, id: string): Promise<void> {
    this.fault('delete_port', ctx, { port_id: id });
    await this.deps.ports.delete(ctx, id);
  }

  async listPortBindings(ctx: RequestContext, portId: string): Promise<PortBindingView[]> {
    this.fault('list_port_bindings', ctx, { port_id: portId });
    return this.deps.bindings.list(ctx, portId);
  }

  async createPortBinding(ctx: RequestContext, portId: string, values: NewPortBindingValues): Promise<PortBindingView> {
    this.fault('create_port_binding', ctx, { port_id: portId, host: values.host });
    return this.deps.bindings.create(ctx, portId, values);
  }

  async activatePortBinding(ctx: RequestContext, portId: string, host: string): Promise<PortBindingView> {
    this.fault('activate_port_binding', ctx, { port_id: portId, host });
    return this.deps.bindings.activate(ctx, portId, host);
  }

  async deletePortBinding(ctx: RequestContext, portId: string, host: string): Promise<void> {
    this.fault('delete_port_binding', ctx, { port_id: portId, host });
    await this.deps.bindings.delete(ctx, portId, host);
  }

  /** Throws when `network.<operation>` is armed (matching `host` for binding calls), logging it with context. */
  private fault(operation: NetworkClientOperation, ctx: RequestContext, context: Record<string, string>): void {
    try {
      this.deps.faults?.check(`network.${operation}`, context['host'] === undefined ? {} : { host: context['host'] });
    } catch (err) {
      this.deps.logger.warn({ request_id: ctx.requestId, operation: `network.${operation}`, ...context, err }, 'network call failed by fault injection');
      throw err;
    }
  }
}
