import type { FastifyInstance, FastifyReply } from 'fastify';
import { inventoryOf, type InventoryValues, type ProviderState } from '../model/provider-state.js';
import { PlacementRule } from '../placement-policy-rules.js';
import { PlacementCode, badRequest, conflict, notFound } from '../placement-errors.js';
import { withInventoryDefaults } from '../store/inventory-writer.js';
import { atLeast, type PlacementVersion } from './placement-microversion.js';
import { bodyValidator } from './placement-input.js';
import { InventoriesBody, InventoryBody, NewInventoryBody } from './placement-schemas.js';
import { authorize, cacheHeaders, lastModifiedOf, providerUuidParam, requireVersion, versionOf, type PlacementRouteDeps } from './route-support.js';

const validateAll = bodyValidator(InventoriesBody);
const validateOne = bodyValidator(InventoryBody);
const validateNew = bodyValidator(NewInventoryBody);

type Params = { Params: { uuid: string } };
type ClassParams = { Params: { uuid: string; rc: string } };

/**
 * A provider's inventories: all at once (GET/PUT/DELETE), or one class (GET/PUT/DELETE, and POST
 * to add one). Every write names the generation it expects; a stale one is 409
 * `placement.concurrent_update`, and a class in use may not go (409 `placement.inventory.inuse`).
 */
export function registerInventoryRoutes(app: FastifyInstance, deps: PlacementRouteDeps): void {
  const base = '/resource_providers/:uuid/inventories';

  app.get<Params>(base, async (request, reply) => {
    authorize(deps, request, PlacementRule.inventoriesList);
    const p = await deps.providers.get(providerUuidParam(request.params.uuid));
    cacheHeaders(reply, versionOf(request), lastModifiedOf(p));
    return inventoriesBody(p);
  });

  app.put<Params>(base, async (request, reply) => {
    authorize(deps, request, PlacementRule.inventoriesUpdate);
    const uuid = providerUuidParam(request.params.uuid);
    await deps.providers.get(uuid);
    const body = validateAll(request.body);
    const wanted = new Map(Object.entries(body.inventories).map(([rc, inv]) => [rc, reservedCheck(withInventoryDefaults(inv), rc, uuid, versionOf(request))]));
    const p = await deps.providers.setInventories(uuid, body.resource_provider_generation, wanted);
    cacheHeaders(reply, versionOf(request), lastModifiedOf(p));
    return inventoriesBody(p);
  });

  app.delete<Params>(base, async (request, reply) => {
    requireVersion(request, 5);
    authorize(deps, request, PlacementRule.inventoriesDelete);
    const uuid = providerUuidParam(request.params.uuid);
    await deps.providers.get(uuid);
    await deps.providers.editInventories(uuid, undefined, [], () => new Map());
    return reply.status(204).send();
  });

  app.post<Params>(base, async (request, reply) => {
    authorize(deps, request, PlacementRule.inventoriesCreate);
    const uuid = providerUuidParam(request.params.uuid);
    await deps.providers.get(uuid);
    const { resource_class: rc, resource_provider_generation: generation, ...fields } = validateNew(request.body);
    const inv = reservedCheck(withInventoryDefaults(fields), rc, uuid, versionOf(request));
    const p = await deps.providers.editInventories(uuid, generation, [rc], (existing) => {
      if (existing.has(rc)) throw conflict(`Update conflict: Inventory for ${rc} on resource provider ${uuid} already exists.`, PlacementCode.CONCURRENT_UPDATE);
      return new Map([...existing, [rc, inv]]);
    });
    reply.header('Location', `${deps.prefix}/resource_providers/${uuid}/inventories/${rc}`);
    return sendOne(reply.status(201), p, rc, versionOf(request));
  });

  app.get<ClassParams>(`${base}/:rc`, async (request, reply) => {
    authorize(deps, request, PlacementRule.inventoriesShow);
    const uuid = providerUuidParam(request.params.uuid);
    const p = await deps.providers.get(uuid);
    if (!p.resources.has(request.params.rc)) throw notFound(`No inventory of class ${request.params.rc} for ${uuid}`);
    return sendOne(reply, p, request.params.rc, versionOf(request));
  });

  app.put<ClassParams>(`${base}/:rc`, async (request, reply) => {
    authorize(deps, request, PlacementRule.inventoriesUpdate);
    const uuid = providerUuidParam(request.params.uuid);
    const rc = request.params.rc;
    await deps.providers.get(uuid);
    const { resource_provider_generation: generation, ...fields } = validateOne(request.body);
    const inv = reservedCheck(withInventoryDefaults(fields), rc, uuid, versionOf(request));
    const p = await deps.providers.editInventories(uuid, generation, [rc], (existing) => {
      if (!existing.has(rc)) throw badRequest(`No inventory record with resource class for resource provider ${uuid}: ${rc}`);
      return new Map([...existing, [rc, inv]]);
    });
    return sendOne(reply, p, rc, versionOf(request));
  });

  app.delete<ClassParams>(`${base}/:rc`, async (request, reply) => {
    authorize(deps, request, PlacementRule.inventoriesDelete);
    const uuid = providerUuidParam(request.params.uuid);
    const rc = request.params.rc;
    await deps.providers.get(uuid);
    await deps.providers.editInventories(uuid, undefined, [], (existing) => {
      if (!existing.has(rc)) throw notFound(`No inventory of class ${rc} found for delete`);
      const next = new Map(existing);
      next.delete(rc);
      return next;
    });
    return reply.status(204).send();
  });
}

function inventoriesBody(p: ProviderState): { inventories: Record<string, InventoryValues>; resource_provider_generation: number } {
  return { inventories: Object.fromEntries([...p.resources].map(([rc, r]) => [rc, inventoryOf(r)])), resource_provider_generation: p.generation };
}

function sendOne(reply: FastifyReply, p: ProviderState, rc: string, mv: PlacementVersion): FastifyReply {
  const r = p.resources.get(rc);
  cacheHeaders(reply, mv, lastModifiedOf(p));
  return reply.send({ ...(r === undefined ? {} : inventoryOf(r)), resource_provider_generation: p.generation });
}

/** Before 1.26 reserved had to stay below total; from 1.26 it may equal it. */
function reservedCheck(inv: InventoryValues, rc: string, uuid: string, mv: PlacementVersion): InventoryValues {
  if (!atLeast(mv, 26) && inv.reserved >= inv.total) {
    throw badRequest(`Unable to update inventory for resource provider ${uuid}: Invalid inventory for '${rc}' on resource provider '${uuid}'. The reserved value is greater than or equal to total.`);
  }
  return inv;
}
