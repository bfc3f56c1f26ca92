import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BadRequestError } from '../common/errors.js';
import type { AttachmentOperations } from './attachment-operations.js';
import { registerAttachmentRoutes } from './attachment-routes.js';
import { registerLimitsRoutes } from './limits-routes.js';
import { registerQuotaSetRoutes } from './quota-set-routes.js';
import { echoVolumeVersion, negotiateVolumeVersion } from './volume-microversion.js';
import type { VolumeOperations } from './volume-operations.js';
import { projectInUrl } from './volume-route-context.js';
import { registerVolumeRoutes } from './volume-routes.js';
import { volumeVersionsDocument } from './volume-versions.js';

export interface VolumeApiDeps {
  volumes: VolumeOperations;
  attachments: AttachmentOperations;
  /** Where the routes are mounted (`/volume`). */
  prefix: string;
}

/**
 * The Cinder v3 subset under the module's prefix: the version list at the root (300) and at
 * `/v3` (200), then every resource twice, at `/v3/{project_id}/...` (the classic catalog URL,
 * which must name the caller's own project) and at `/v3/...` (Cinder's project-less URLs, 3.67).
 * The microversion is negotiated first, so a bad one is refused before anything else and every
 * answer, errors included, carries the `OpenStack-API-Version: volume X` header.
 */
export async function registerVolumeApi(app: FastifyInstance, deps: VolumeApiDeps): Promise<void> {
  const versions = (status: number) => async (request: FastifyRequest, reply: FastifyReply) =>
    reply.status(status).send(volumeVersionsDocument(`${request.protocol}://${request.host}${deps.prefix}`));
  app.get('/', { config: { public: true } }, versions(300));

  await app.register(
    async (v3) => {
      v3.addHook('onRequest', async (request, reply) => {
        request.microversion = negotiateVolumeVersion(request);
        echoVolumeVersion(reply, request.microversion);
      });
      v3.get('/', { config: { public: true } }, versions(200));
      const resources = async (scope: FastifyInstance) => {
        scope.addHook('preHandler', async (request) => {
          const project = projectInUrl(request);
          if (project !== undefined && project !== request.ctx.projectId) throw new BadRequestError('volume.malformed_url', 'Malformed request url');
        });
        const routeDeps = { volumes: deps.volumes, attachments: deps.attachments, prefix: deps.prefix };
        registerVolumeRoutes(scope, routeDeps);
        registerAttachmentRoutes(scope, routeDeps);
        registerLimitsRoutes(scope, routeDeps);
        registerQuotaSetRoutes(scope, routeDeps);
      };
      await v3.register(resources);
      await v3.register(resources, { prefix: '/:project_id' });
    },
    { prefix: '/v3' },
  );
}
