import type { FastifyInstance } from 'fastify';
import { registerAllocationRoutes } from './allocation-routes.js';
import { registerCandidateRoutes } from './candidate-routes.js';
import { registerCatalogRoutes } from './catalog-routes.js';
import { registerInventoryRoutes } from './inventory-routes.js';
import { PLACEMENT_MAX_VERSION, PLACEMENT_MIN_VERSION, echoPlacementVersion, negotiatePlacementVersion } from './placement-microversion.js';
import { registerProviderLinkRoutes } from './provider-link-routes.js';
import { registerProviderRoutes } from './provider-routes.js';
import { cacheHeaders, versionOf, type PlacementRouteDeps } from './route-support.js';

/**
 * Every placement route, under the module's prefix. The microversion is negotiated first (so a
 * bad one is refused even before authentication, and every answer carries the version header);
 * each route then checks its policy rule and validates its query and body.
 */
export function registerPlacementRoutes(app: FastifyInstance, deps: PlacementRouteDeps): void {
  app.addHook('onRequest', async (request, reply) => {
    const mv = negotiatePlacementVersion(request);
    request.microversion = mv;
    echoPlacementVersion(reply, mv);
  });

  app.get('/', { config: { public: true } }, async (request, reply) => {
    cacheHeaders(reply, versionOf(request));
    return {
      versions: [
        {
          id: `v${PLACEMENT_MIN_VERSION}`,
          max_version: PLACEMENT_MAX_VERSION,
          min_version: PLACEMENT_MIN_VERSION,
          status: 'CURRENT',
          // Placement's own relative "this same URL", which keystoneauth resolves against the endpoint.
          links: [{ rel: 'self', href: '' }],
        },
      ],
    };
  });

  registerProviderRoutes(app, deps);
  registerInventoryRoutes(app, deps);
  registerProviderLinkRoutes(app, deps);
  registerCatalogRoutes(app, deps);
  registerAllocationRoutes(app, deps);
  registerCandidateRoutes(app, deps);
}
