import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../common/errors.js';
import type { IdGenerator } from '../../common/ids.js';
import type { RequestContext } from '../../common/request-context.js';
import type { PlacementReadModel } from '../model/placement-read-model.js';
import type { ProviderState } from '../model/provider-state.js';
import { badRequest } from '../placement-errors.js';
import type { AllocationStore } from '../store/allocation-store.js';
import type { CatalogStore } from '../store/catalog-store.js';
import type { ProviderStore } from '../store/provider-store.js';
import { atLeast, type PlacementVersion } from './placement-microversion.js';
import { normalizeUuid } from './placement-input.js';

/** Anything that can refuse a request by rule name (the PolicyEngine). */
export interface PolicyAuthorizer {
  authorize(rule: string, ctx: RequestContext, target: Readonly<Record<string, unknown>>): void;
}

export interface PlacementRouteDeps {
  providers: ProviderStore;
  allocations: AllocationStore;
  catalog: CatalogStore;
  model: PlacementReadModel;
  policy: PolicyAuthorizer;
  ids: IdGenerator;
  /** Where the routes are mounted (`/placement`); links point below it. */
  prefix: string;
}

export function versionOf(request: FastifyRequest): PlacementVersion {
  return request.microversion;
}

export function authorize(deps: PlacementRouteDeps, request: FastifyRequest, rule: string, target: Record<string, unknown> = {}): void {
  deps.policy.authorize(rule, request.ctx, { project_id: request.ctx.projectId, ...target });
}

/** Routes added by a later microversion do not exist below it: 404, as Placement answers. */
export function requireVersion(request: FastifyRequest, minor: number): void {
  if (!atLeast(versionOf(request), minor)) throw new NotFoundError('undefined_code', 'The resource could not be found.');
}

/** Query parameters a microversion does not know yet are refused as the schema would refuse them. */
export function refuseUnknownParams(values: ReadonlyMap<string, unknown>, sinceMinor: Readonly<Record<string, number>>, mv: PlacementVersion): void {
  for (const key of values.keys()) {
    const since = sinceMinor[key];
    if (since !== undefined && !atLeast(mv, since)) {
      throw badRequest(`Invalid query string parameters: Additional properties are not allowed ('${key}' was unexpected)`);
    }
  }
}

/** A path uuid, normalised; anything else cannot name a provider (404). */
export function providerUuidParam(value: string): string {
  const uuid = normalizeUuid(value);
  if (uuid === undefined) throw new NotFoundError('resource_provider.not_found', `No resource provider with uuid ${value} found`);
  return uuid;
}

/** 1.15+: Last-Modified and Cache-Control: no-cache on GETs and writes that return a body. */
export function cacheHeaders(reply: FastifyReply, mv: PlacementVersion, modified?: string | null): void {
  if (!atLeast(mv, 15)) return;
  reply.header('Cache-Control', 'no-cache');
  reply.header('Last-Modified', (modified === undefined || modified === null ? new Date() : new Date(modified)).toUTCString());
}

/** A provider in Placement's shape: links by microversion, tree uuids from 1.14. */
export function providerBody(p: ProviderState, mv: PlacementVersion, prefix: string): Record<string, unknown> {
  const self = `${prefix}/resource_providers/${p.uuid}`;
  const rels = ['inventories', 'usages'];
  if (atLeast(mv, 1)) rels.push('aggregates');
  if (atLeast(mv, 6)) rels.push('traits');
  if (atLeast(mv, 11)) rels.push('allocations');
  const body: Record<string, unknown> = {
    uuid: p.uuid,
    name: p.name,
    generation: p.generation,
    links: [{ rel: 'self', href: self }, ...rels.map((rel) => ({ rel, href: `${self}/${rel}` }))],
  };
  if (atLeast(mv, 14)) {
    body['parent_provider_uuid'] = p.parentUuid;
    body['root_provider_uuid'] = p.rootUuid;
  }
  return body;
}

export function lastModifiedOf(p: ProviderState): string {
  return p.updatedAt ?? p.createdAt;
}
