import type { FastifyInstance } from 'fastify';
import type { ComputeApiDeps } from '../../../compute-api/compute-api-deps.js';
import { listServices } from '../../../compute-api/services/list-services.js';
import { legacyServiceActionBody, serviceListQuery, UpdateServiceBody } from '../../../compute-api/services/service-schemas.js';
import { legacyServiceAction, updateService } from '../../../compute-api/services/update-service.js';
import { atLeast } from '../../microversion.js';
import { compileValidator } from '../../validation/validator.js';
import { serviceView } from '../../views/service-view.js';
import { lastValues } from '../../validation/last-values.js';

const validateQuery = compileValidator(serviceListQuery(false), 'query');
const validateQueryStrict = compileValidator(serviceListQuery(true), 'query');
const validateUpdate = compileValidator(UpdateServiceBody, 'body');
const validateLegacy = compileValidator(legacyServiceActionBody(false), 'body');
const validateLegacyWithForcedDown = compileValidator(legacyServiceActionBody(true), 'body');

/**
 * The compute services API: `GET /os-services` across all cells, and `PUT /os-services/{id}` —
 * by uuid with {status, disabled_reason, forced_down} from 2.53, or the older
 * `/os-services/{enable|disable|disable-log-reason|force-down}` forms naming host and binary.
 */
export async function serviceRoutes(app: FastifyInstance, deps: ComputeApiDeps): Promise<void> {
  app.get('/os-services', async (request) => {
    const mv = request.microversion;
    const query = (atLeast(mv, '2.75') ? validateQueryStrict : validateQuery)(lastValues(request.query));
    const entries = await listServices(deps, request.ctx, query);
    return { services: entries.map((e) => serviceView(mv, e)) };
  });

  app.put<{ Params: { id: string } }>('/os-services/:id', async (request) => {
    const mv = request.microversion;
    if (atLeast(mv, '2.53')) {
      const body = validateUpdate(request.body);
      const entry = await updateService(deps, request.ctx, request.params.id, body);
      return { service: serviceView(mv, entry) };
    }
    const withForcedDown = atLeast(mv, '2.11');
    const body = (withForcedDown ? validateLegacyWithForcedDown : validateLegacy)(request.body);
    return { service: await legacyServiceAction(deps, request.ctx, request.params.id, body, withForcedDown) };
  });
}
