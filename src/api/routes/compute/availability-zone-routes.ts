import type { FastifyInstance } from 'fastify';
import {
  listAvailabilityZones,
  listAvailabilityZonesDetail,
  type ZoneInfo,
} from '../../../compute-api/availability-zones/list-availability-zones.js';
import type { ComputeApiDeps } from '../../../compute-api/compute-api-deps.js';
import { novaTime } from '../../views/service-view.js';

/**
 * `GET /os-availability-zone` (zone names and whether they are available) and
 * `GET /os-availability-zone/detail` (administrators; adds hosts and their services).
 */
export async function availabilityZoneRoutes(app: FastifyInstance, deps: ComputeApiDeps): Promise<void> {
  app.get('/os-availability-zone', async (request) => ({
    availabilityZoneInfo: (await listAvailabilityZones(deps, request.ctx)).map(zoneView),
  }));

  app.get('/os-availability-zone/detail', async (request) => ({
    availabilityZoneInfo: (await listAvailabilityZonesDetail(deps, request.ctx)).map(zoneView),
  }));
}

function zoneView(z: ZoneInfo): Record<string, unknown> {
  let hosts: Record<string, Record<string, unknown>> | null = null;
  if (z.hosts !== null) {
    hosts = {};
    for (const [host, services] of z.hosts) {
      hosts[host] = Object.fromEntries(
        services.map((s) => [s.binary, { available: s.available, active: s.active, updated_at: novaTime(s.updatedAt) }]),
      );
    }
  }
  return { zoneName: z.name, zoneState: { available: z.available }, hosts };
}
