import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../common/errors.js';
import { NETWORK_EXTENSIONS } from './network-extensions.js';
import type { NetworkOperations } from './network-operations.js';
import { registerNetworkResourceRoutes } from './network-resource-routes.js';
import { networkResourcesDocument, networkVersionsDocument } from './network-versions.js';
import type { PortBindingOperations } from './port-binding-operations.js';
import { registerPortBindingRoutes } from './port-binding-routes.js';
import type { PortOperations } from './port-operations.js';
import { registerPortRoutes } from './port-routes.js';
import type { SubnetOperations } from './subnet-operations.js';
import { registerSubnetRoutes } from './subnet-routes.js';
import type { TagOperations } from './tag-operations.js';
import { registerTagRoutes } from './tag-routes.js';

/** The operations behind the routes: Neutron's semantics, visibility and policy, without fault points. */
export interface NetworkOperationSet {
  networks: NetworkOperations;
  subnets: SubnetOperations;
  ports: PortOperations;
  bindings: PortBindingOperations;
  tags: TagOperations;
}

export interface NetworkRoutesDeps extends NetworkOperationSet {
  /** Where the routes are mounted (`/network`); version links point below it. */
  prefix: string;
}

/**
 * The Neutron v2.0 subset that Nova and the OpenStack clients use, on Neutron's wire format:
 * version discovery, extensions, networks, subnets, ports, port bindings, tags, and quotas (read only). Visibility
 * and policy are enforced by the operations behind them, so HTTP and in-process callers get the
 * same answers; every body and query is checked against its JSON Schema first.
 */
export function registerNetworkRoutes(app: FastifyInstance, deps: NetworkRoutesDeps): void {
  const endpoint = (request: FastifyRequest) => `${request.protocol}://${request.host}${deps.prefix}`;
  app.get('/', { config: { public: true } }, async (request: FastifyRequest, reply: FastifyReply) => reply.send(networkVersionsDocument(endpoint(request))));
  app.get('/v2.0', async (request) => networkResourcesDocument(`${endpoint(request)}/v2.0`));

  app.get('/v2.0/extensions', async () => ({ extensions: NETWORK_EXTENSIONS }));
  app.get<{ Params: { alias: string } }>('/v2.0/extensions/:alias', async (request) => {
    const extension = NETWORK_EXTENSIONS.find((e) => e.alias === request.params.alias);
    if (extension === undefined) {
      throw new NotFoundError('network.extensions_not_found', `Extension with alias ${request.params.alias} does not exist`, { details: { type: 'HTTPNotFound' } });
    }
    return { extension };
  });

  registerNetworkResourceRoutes(app, deps.networks);
  registerSubnetRoutes(app, deps.subnets);
  registerPortRoutes(app, deps.ports);
  registerPortBindingRoutes(app, deps.bindings);
  registerTagRoutes(app, deps.tags);

  // Read only, and unlimited: `openstack quota show` reads them once a network endpoint is in the catalog.
  app.get<{ Params: { project_id: string } }>('/v2.0/quotas/:project_id', async (request) => ({ quota: deps.networks.quotaOf(request.ctx, request.params.project_id) }));
  app.get<{ Params: { project_id: string } }>('/v2.0/quotas/:project_id/default', async (request) => ({ quota: deps.networks.quotaOf(request.ctx, request.params.project_id) }));
}
