import { asTesseraError } from '../common/errors.js';
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
 * request to a real Neutron would. Failed calls are logged with the request id, the operation
 * and the ids involved: refusals (4xx) at info, failures (5xx, injected ones included) at error.
 */
export class LocalNetworkClient implements NetworkClient {
  constructor(private readonly deps: LocalNetworkClientDeps) {}

  getNetwork(ctx: RequestContext, id: string): Promise<NetworkView> {
    return this.call('get_network', ctx, { network_id: id }, () => this.deps.networks.get(ctx, id));
  }

  listNetworks(ctx: RequestContext, filter: NetworkListFilter = {}): Promise<NetworkView[]> {
    return this.call('list_networks', ctx, {}, () => this.deps.networks.list(ctx, {
      ...(filter.ids === undefined ? {} : { id: filter.ids }),
      ...(filter.projectId === undefined ? {} : { project_id: [filter.projectId] }),
      ...(filter.shared === undefined ? {} : { shared: filter.shared }),
      ...(filter.name === undefined ? {} : { name: [filter.name] }),
    }));
  }

  getPort(ctx: RequestContext, id: string): Promise<PortView> {
    return this.call('get_port', ctx, { port_id: id }, () => this.deps.ports.get(ctx, id));
  }

  listPorts(ctx: RequestContext, filter: PortListFilter = {}): Promise<PortView[]> {
    return this.call('list_ports', ctx, {}, () => this.deps.ports.list(ctx, {
      ...(filter.ids === undefined ? {} : { id: filter.ids }),
      ...(filter.deviceIds === undefined ? {} : { device_id: filter.deviceIds }),
      ...(filter.deviceOwners === undefined ? {} : { device_owner: filter.deviceOwners }),
      ...(filter.networkIds === undefined ? {} : { network_id: filter.networkIds }),
      ...(filter.projectId === undefined ? {} : { project_id: [filter.projectId] }),
      ...(filter.hostIds === undefined ? {} : { host_id: filter.hostIds }),
    }));
  }

  createPort(ctx: RequestContext, values: NewPortValues): Promise<PortView> {
    const context = { network_id: values.network_id, ...(values.device_id === undefined ? {} : { device_id: values.device_id }) };
    return this.call('create_port', ctx, context, () => this.deps.ports.create(ctx, values));
  }

  updatePort(ctx: RequestContext, id: string, values: PortUpdateValues): Promise<PortView> {
    return this.call('update_port', ctx, { port_id: id }, () => this.deps.ports.update(ctx, id, values));
  }

  deletePort(ctx: RequestContext, id: string): Promise<void> {
    return this.call('delete_port', ctx, { port_id: id }, () => this.deps.ports.delete(ctx, id));
  }

  listPortBindings(ctx: RequestContext, portId: string): Promise<PortBindingView[]> {
    return this.call('list_port_bindings', ctx, { port_id: portId }, () => this.deps.bindings.list(ctx, portId));
  }

  createPortBinding(ctx: RequestContext, portId: string, values: NewPortBindingValues): Promise<PortBindingView> {
    return this.call('create_port_binding', ctx, { port_id: portId, host: values.host }, () => this.deps.bindings.create(ctx, portId, values));
  }

  activatePortBinding(ctx: RequestContext, portId: string, host: string): Promise<PortBindingView> {
    return this.call('activate_port_binding', ctx, { port_id: portId, host }, () => this.deps.bindings.activate(ctx, portId, host));
  }

  deletePortBinding(ctx: RequestContext, portId: string, host: string): Promise<void> {
    return this.call('delete_port_binding', ctx, { port_id: portId, host }, () => this.deps.bindings.delete(ctx, portId, host));
  }

  /**
   * Passes the fault point `network.<operation>` (matching `host` for binding calls), then runs
   * the call; a failure, injected or not, is logged once with the call's context and rethrown.
   */
  private async call<T>(operation: NetworkClientOperation, ctx: RequestContext, context: Record<string, string>, run: () => Promise<T>): Promise<T> {
    try {
      this.deps.faults?.check(`network.${operation}`, context['host'] === undefined ? {} : { host: context['host'] });
      return await run();
    } catch (err) {
      const e = asTesseraError(err);
      const fields = { request_id: ctx.requestId, operation: `network.${operation}`, ...context, code: e.code, status: e.status };
      if (e.status >= 500) this.deps.logger.error({ ...fields, err }, 'network call failed');
      else this.deps.logger.info({ ...fields, message: e.message }, 'network call refused');
      throw err;
    }
  }
}
