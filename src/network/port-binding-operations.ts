import type { Logger } from '../common/logger.js';
import type { RequestContext } from '../common/request-context.js';
import type { PolicyEngine } from '../policy/index.js';
import type { NewPortBindingValues } from './network-client.js';
import { badRequest } from './neutron-errors.js';
import { NetworkRule } from './network-policy-rules.js';
import type { PortBindingRepo } from './port-binding-repo.js';
import { toPortBindingView, type PortBindingView } from './port-binding-view.js';
import type { PortOperations } from './port-operations.js';
import { authorize } from './policy-targets.js';

export interface PortBindingOperationsDeps {
  ports: PortOperations;
  bindings: PortBindingRepo;
  policy: PolicyEngine;
  logger: Logger;
}

/** Device owners whose ports may have several bindings, as in Neutron. */
const MULTI_BINDING_OWNERS = ['compute:', 'manila:'];

/**
 * Neutron's extended port-binding API (`binding-extended`), which moves a port between hosts
 * without a window where it is bound nowhere: bind it to the destination (INACTIVE), activate
 * that binding (the source's becomes INACTIVE), then delete the source's. Only ports of compute
 * (and shared file system) devices have it; the rules are admin-only by default.
 */
export class PortBindingOperations {
  constructor(private readonly deps: PortBindingOperationsDeps) {}

  async list(ctx: RequestContext, portId: string): Promise<PortBindingView[]> {
    await this.checked(ctx, portId, NetworkRule.getPortBinding);
    return (await this.deps.bindings.list(portId)).map(toPortBindingView);
  }

  /** @throws NotFoundError `network.port_binding_not_found`. */
  async get(ctx: RequestContext, portId: string, host: string): Promise<PortBindingView> {
    await this.checked(ctx, portId, NetworkRule.getPortBinding);
    return toPortBindingView(await this.deps.bindings.get(portId, host));
  }

  /** @throws ConflictError `network.port_binding_already_exists`. */
  async create(ctx: RequestContext, portId: string, values: NewPortBindingValues): Promise<PortBindingView> {
    await this.checked(ctx, portId, NetworkRule.createPortBinding);
    const binding = await this.deps.bindings.create(portId, { host: values.host, vnic_type: values.vnic_type ?? 'normal', profile: values.profile ?? {} });
    this.deps.logger.info({ request_id: ctx.requestId, port_id: portId, host: values.host, status: binding.status }, 'port binding created');
    return toPortBindingView(binding);
  }

  /** @throws NotFoundError `network.port_binding_not_found`; ConflictError `network.port_binding_already_active`. */
  async activate(ctx: RequestContext, portId: string, host: string): Promise<PortBindingView> {
    await this.checked(ctx, portId, NetworkRule.activatePortBinding);
    const binding = await this.deps.bindings.activate(portId, host);
    this.deps.logger.info({ request_id: ctx.requestId, port_id: portId, host }, 'port binding activated');
    return toPortBindingView(binding);
  }

  /** @throws NotFoundError `network.port_binding_not_found`. */
  async delete(ctx: RequestContext, portId: string, host: string): Promise<void> {
    await this.checked(ctx, portId, NetworkRule.deletePortBinding);
    await this.deps.bindings.delete(portId, host);
    this.deps.logger.info({ request_id: ctx.requestId, port_id: portId, host }, 'port binding deleted');
  }

  /** Visibility (404), then the rule (403), then the device owner (400), as Neutron checks them. */
  private async checked(ctx: RequestContext, portId: string, rule: string): Promise<void> {
    const { port, target } = await this.deps.ports.visible(ctx, portId);
    authorize(this.deps.policy, rule, ctx, target);
    if (!MULTI_BINDING_OWNERS.some((prefix) => port.device_owner.startsWith(prefix))) {
      throw badRequest('port', `Invalid port ${portId}. Operation only valid on compute and shared filesystem ports`);
    }
  }
}
