import type { FastifyInstance } from 'fastify';
import type { ComputeApiDeps } from '../../../compute-api/compute-api-deps.js';
import type { ApiModule } from '../../app.js';
import { echoMicroversion, negotiateMicroversion } from '../../microversion.js';
import { aggregateRoutes } from './aggregate-routes.js';
import { availabilityZoneRoutes } from './availability-zone-routes.js';
import { flavorRoutes } from './flavor-routes.js';
import { hypervisorRoutes } from './hypervisor-routes.js';
import { instanceActionRoutes } from './instance-action-routes.js';
import { interfaceAttachmentRoutes } from './interface-attachment-routes.js';
import { keyPairRoutes } from './key-pair-routes.js';
import { migrationRoutes } from './migration-routes.js';
import { quotaSetRoutes } from './quota-set-routes.js';
import { serverActionRoutes } from './server-action-routes.js';
import { serverGroupRoutes } from './server-group-routes.js';
import { serverRoutes } from './server-routes.js';
import { serverTagRoutes } from './server-tag-routes.js';
import { serviceRoutes } from './service-routes.js';
import { versionRoutes } from './version-routes.js';
import { volumeAttachmentRoutes } from './volume-attachment-routes.js';

const HOST_STATE_ROUTES = /\/os-(services|aggregates)(\/|\?|$)/;

/**
 * The compute API under `/compute`: version documents at the root, and v2.1 (also served as v2)
 * with microversion negotiation on every request.
 */
export function computeModule(deps: ComputeApiDeps): ApiModule {
  return {
    prefix: '/compute',
    face: 'compute',
    register: async (app: FastifyInstance) => {
      await versionRoutes(app);
      for (const prefix of ['/v2.1', '/v2']) {
        await app.register(
          async (v2) => {
            v2.addHook('onRequest', async (request, reply) => {
              request.microversion = negotiateMicroversion(request);
              echoMicroversion(reply, request.microversion);
            });
            // A changed service or aggregate changes what the scheduler may choose: tell it to
            // reload its view of the hosts before its next decision.
            v2.addHook('onResponse', async (request, reply) => {
              if (request.method !== 'GET' && reply.statusCode < 300 && HOST_STATE_ROUTES.test(request.url)) {
                await deps.scheduler.invalidateHostState(request.ctx).catch((err: unknown) => request.log.error({ err }, 'could not tell the scheduler'));
              }
            });
            await flavorRoutes(v2, deps);
            await serverRoutes(v2, deps);
            await serverActionRoutes(v2, deps);
            await serverTagRoutes(v2, deps);
            await serviceRoutes(v2, deps);
            await availabilityZoneRoutes(v2, deps);
            await aggregateRoutes(v2, deps);
            await serverGroupRoutes(v2, deps);
            await hypervisorRoutes(v2, deps);
            await volumeAttachmentRoutes(v2, deps);
            await interfaceAttachmentRoutes(v2, deps);
            await quotaSetRoutes(v2, deps);
            await keyPairRoutes(v2, deps);
            await instanceActionRoutes(v2, deps);
            await migrationRoutes(v2, deps);
          },
          { prefix },
        );
      }
    },
  };
}
