import type { IdGenerator } from '../common/ids.js';
import type { Logger } from '../common/logger.js';
import type { RequestContext } from '../common/request-context.js';
import type { PolicyEngine } from '../policy/index.js';
import { networkNotFound } from './neutron-errors.js';
import type { NetworkFilter, NetworkRepo } from './network-repo.js';
import { NetworkRule } from './network-policy-rules.js';
import { toNetworkView, type NetworkView } from './network-view.js';
import { authorize, targetOn, viewerOf } from './policy-targets.js';

/** What `POST /v2.0/networks` may set, in Neutron's names. */
export interface CreateNetworkValues {
  name?: string;
  description?: string;
  admin_state_up?: boolean;
  shared?: boolean;
  'router:external'?: boolean;
  mtu?: number;
  /** Another project to own the network (admins); the caller's project when omitted. */
  project_id?: string;
  tags?: string[];
}

export interface NetworkOperationsDeps {
  networks: NetworkRepo;
  policy: PolicyEngine;
  ids: IdGenerator;
  logger: Logger;
  /** MTU of a network created without one. */
  defaultMtu: number;
}

/**
 * Networks as Neutron's core plugin serves them: visibility first (a network the caller cannot
 * see is a 404, as if it did not exist), then the policy rule, then the change.
 */
export class NetworkOperations {
  constructor(private readonly deps: NetworkOperationsDeps) {}

  async list(ctx: RequestContext, filter: NetworkFilter = {}): Promise<NetworkView[]> {
    const networks = await this.deps.networks.list(filter, viewerOf(ctx));
    return networks.filter((n) => this.deps.policy.check(NetworkRule.getNetwork, ctx, targetOn(n))).map(toNetworkView);
  }

  /**
   * Neutron's quota of a project (`GET /v2.0/quotas/{project_id}`), for readers of the project
   * and administrators: the resources this service has, all unlimited (-1), because it enforces
   * no quota.
   */
  quotaOf(ctx: RequestContext, projectId: string): Record<string, number> {
    authorize(this.deps.policy, NetworkRule.getQuota, ctx, { project_id: projectId, network_project_id: projectId, shared: false, router_external: false });
    return { network: -1, subnet: -1, port: -1 };
  }

  /** @throws NotFoundError `network.network_not_found` when missing or not the caller's to see. */
  async get(ctx: RequestContext, id: string): Promise<NetworkView> {
    const network = await this.deps.networks.get(id, { viewer: viewerOf(ctx) });
    if (!this.deps.policy.check(NetworkRule.getNetwork, ctx, targetOn(network))) throw networkNotFound(id);
    return toNetworkView(network);
  }

  /** @throws ForbiddenError `network.policy_not_authorized` (e.g. `shared` by a non-admin). */
  async create(ctx: RequestContext, values: CreateNetworkValues): Promise<NetworkView> {
    const target = targetOn({ project_id: values.project_id ?? ctx.projectId, shared: values.shared === true, router_external: values['router:external'] === true });
    authorize(this.deps.policy, NetworkRule.createNetwork, ctx, target);
    // As in Neutron, an attribute's rule applies when it is set to other than its default.
    if (values.shared === true) authorize(this.deps.policy, NetworkRule.createNetworkShared, ctx, target);
    if (values['router:external'] === true) authorize(this.deps.policy, NetworkRule.createNetworkExternal, ctx, target);
    const id = this.deps.ids.uuid();
    await this.deps.networks.create({
      id,
      project_id: target.project_id,
      mtu: values.mtu ?? this.deps.defaultMtu,
      ...(values.name === undefined ? {} : { name: values.name }),
      ...(values.description === undefined ? {} : { description: values.description }),
      ...(values.admin_state_up === undefined ? {} : { admin_state_up: values.admin_state_up }),
      ...(values.shared === undefined ? {} : { shared: values.shared }),
      ...(values['router:external'] === undefined ? {} : { router_external: values['router:external'] }),
      ...(values.tags === undefined ? {} : { tags: values.tags }),
    });
    this.deps.logger.info({ request_id: ctx.requestId, network_id: id, project_id: target.project_id }, 'network created');
    return toNetworkView(await this.deps.networks.get(id));
  }

  /** @throws NotFoundError `network.network_not_found`; ConflictError `network.network_in_use`. */
  async delete(ctx: RequestContext, id: string): Promise<void> {
    const network = await this.deps.networks.get(id, { viewer: viewerOf(ctx) });
    authorize(this.deps.policy, NetworkRule.deleteNetwork, ctx, targetOn(network));
    await this.deps.networks.delete(id);
    this.deps.logger.info({ request_id: ctx.requestId, network_id: id }, 'network deleted');
  }
}
