import type { FastifyInstance } from 'fastify';
import { boolWord } from './volume-request-schemas.js';
import { queryOf, type VolumeRouteDeps } from './volume-route-context.js';

type TargetParams = { Params: { target: string } };

/**
 * Cinder's `os-quota-sets`, read only: `GET /os-quota-sets/{project_id}` (`?usage=True` adds
 * in_use and reserved) and `.../defaults`, which `openstack quota show` calls once a volume
 * endpoint is in the catalog. Every project has the `[cinder] quota_*` limits, so the defaults
 * are the same values; changing them per project is not supported.
 */
export function registerQuotaSetRoutes(app: FastifyInstance, deps: VolumeRouteDeps): void {
  app.get<TargetParams>('/os-quota-sets/:target', async (request) => {
    const raw = queryOf(request)['usage'];
    const usage = raw !== undefined && boolWord(raw);
    return { quota_set: { id: request.params.target, ...(await deps.volumes.quotaSet(request.ctx, request.params.target, usage)) } };
  });

  app.get<TargetParams>('/os-quota-sets/:target/defaults', async (request) => ({
    quota_set: { id: request.params.target, ...(await deps.volumes.quotaSet(request.ctx, request.params.target, false)) },
  }));
}
