import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../../common/errors.js';
import type { ComputeApiDeps } from '../../../compute-api/compute-api-deps.js';
import { createFlavor } from '../../../compute-api/flavors/create-flavor.js';
import { deleteFlavor } from '../../../compute-api/flavors/delete-flavor.js';
import { deleteExtraSpec, listExtraSpecs, setExtraSpecs, showExtraSpec, updateExtraSpec } from '../../../compute-api/flavors/flavor-extra-specs.js';
import {
  CreateExtraSpecsBody,
  createFlavorBody,
  flavorListQuery,
  UpdateExtraSpecBody,
  UpdateFlavorBody,
  type CreateFlavorRequest,
} from '../../../compute-api/flavors/flavor-schemas.js';
import { mayListExtraSpecs, showFlavor } from '../../../compute-api/flavors/get-flavor.js';
import { listFlavors } from '../../../compute-api/flavors/list-flavors.js';
import { updateFlavorDescription } from '../../../compute-api/flavors/update-flavor.js';
import { baseUrl } from '../../base-url.js';
import { atLeast } from '../../microversion.js';
import { compileValidator } from '../../validation/validator.js';
import { flavorCollection, flavorDetail, type FlavorViewContext } from '../../views/flavor-view.js';
import { lastValues } from '../../validation/last-values.js';

const validateListQuery = compileValidator(flavorListQuery(false), 'query');
const validateListQueryStrict = compileValidator(flavorListQuery(true), 'query');
const validateCreate = compileValidator(createFlavorBody(false), 'body');
const validateCreateWithDescription = compileValidator(createFlavorBody(true), 'body');
const validateUpdate = compileValidator(UpdateFlavorBody, 'body');
const validateCreateSpecs = compileValidator(CreateExtraSpecsBody, 'body');
const validateUpdateSpec = compileValidator(UpdateExtraSpecBody, 'body');

type IdParams = { Params: { id: string } };
type SpecParams = { Params: { id: string; key: string } };

/**
 * Flavors and their extra specs (`/flavors`, `/flavors/detail`, `/flavors/{id}`,
 * `/flavors/{id}/os-extra_specs[/{key}]`), shaped per microversion as Nova's api-ref describes.
 */
export async function flavorRoutes(app: FastifyInstance, deps: ComputeApiDeps): Promise<void> {
  const mount = mountPoint(app.prefix);
  const view = (request: FastifyRequest): FlavorViewContext => ({
    mv: request.microversion,
    computeRoot: `${baseUrl(request)}${mount.root}`,
    version: mount.version,
    mayListExtraSpecs: atLeast(request.microversion, '2.61') && mayListExtraSpecs(deps, request.ctx),
  });

  const list = (detail: boolean) => async (request: FastifyRequest) => {
    const raw = lastValues(request.query);
    const query = (atLeast(request.microversion, '2.75') ? validateListQueryStrict : validateListQuery)(raw);
    const page = await listFlavors(deps, request.ctx, query);
    return flavorCollection(view(request), page, detail, raw);
  };
  app.get('/flavors', list(false));
  app.get('/flavors/detail', list(true));

  app.get<IdParams>('/flavors/:id', async (request) => {
    const flavor = await showFlavor(deps, request.ctx, request.params.id);
    return { flavor: flavorDetail(view(request), flavor) };
  });

  app.post('/flavors', async (request) => {
    const withDescription = atLeast(request.microversion, '2.55');
    const body = (withDescription ? validateCreateWithDescription : validateCreate)(request.body) as CreateFlavorRequest;
    const flavor = await createFlavor(deps, request.ctx, body);
    return { flavor: flavorDetail(view(request), flavor) };
  });

  app.put<IdParams>('/flavors/:id', async (request) => {
    if (!atLeast(request.microversion, '2.55')) throw new NotFoundError('api.not_found', 'The resource could not be found.');
    const body = validateUpdate(request.body);
    const flavor = await updateFlavorDescription(deps, request.ctx, request.params.id, body.flavor.description);
    return { flavor: flavorDetail(view(request), flavor) };
  });

  app.delete<IdParams>('/flavors/:id', async (request, reply) => {
    await deleteFlavor(deps, request.ctx, request.params.id);
    return reply.status(202).send();
  });

  app.get<IdParams>('/flavors/:id/os-extra_specs', async (request) => {
    return { extra_specs: await listExtraSpecs(deps, request.ctx, request.params.id) };
  });

  app.post<IdParams>('/flavors/:id/os-extra_specs', async (request) => {
    const body = validateCreateSpecs(request.body);
    await setExtraSpecs(deps, request.ctx, request.params.id, body.extra_specs);
    return body;
  });

  app.get<SpecParams>('/flavors/:id/os-extra_specs/:key', async (request) => {
    return showExtraSpec(deps, request.ctx, request.params.id, request.params.key);
  });

  app.put<SpecParams>('/flavors/:id/os-extra_specs/:key', async (request) => {
    const body = validateUpdateSpec(request.body);
    await updateExtraSpec(deps, request.ctx, request.params.id, request.params.key, body);
    return body;
  });

  app.delete<SpecParams>('/flavors/:id/os-extra_specs/:key', async (request, reply) => {
    await deleteExtraSpec(deps, request.ctx, request.params.id, request.params.key);
    return reply.status(200).send();
  });
}

/** `/compute/v2.1` → root `/compute`, version `v2.1`: links follow the version the client used. */
function mountPoint(prefix: string): { root: string; version: string } {
  const m = /^(.*)\/(v2(?:\.1)?)$/.exec(prefix);
  return m ? { root: m[1] ?? '', version: m[2] ?? 'v2.1' } : { root: prefix, version: 'v2.1' };
}
