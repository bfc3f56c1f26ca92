import type { FastifyInstance } from 'fastify';
import { atLeast } from '../api/microversion.js';
import { compileValidator } from '../api/validation/validator.js';
import { VolumeVersion } from './volume-microversion.js';
import { LimitsQuery } from './volume-request-schemas.js';
import { queryOf, type VolumeRouteDeps } from './volume-route-context.js';

const validateLimits = compileValidator(LimitsQuery, 'query');

/**
 * `GET /limits` (Cinder's absolute limits; no rate limits) and `GET /os-availability-zone`, which
 * `openstack limits show` and `openstack availability zone list` call once a volume endpoint is
 * in the catalog.
 */
export function registerLimitsRoutes(app: FastifyInstance, deps: VolumeRouteDeps): void {
  app.get('/limits', async (request) => {
    const q = validateLimits(queryOf(request));
    // Another project's limits: admins only, from 3.39 (Cinder ignores the parameter otherwise).
    const other = atLeast(request.microversion, VolumeVersion.limitsProjectFilter) ? (q.project_id ?? q.tenant_id) : undefined;
    const absolute = await deps.volumes.limits(request.ctx, other);
    return { limits: { rate: [], absolute } };
  });

  app.get('/os-availability-zone', async (request) => {
    const zones = deps.volumes.zones(request.ctx);
    return { availabilityZoneInfo: zones.map((zoneName) => ({ zoneName, zoneState: { available: true } })) };
  });
}
