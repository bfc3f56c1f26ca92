import type { TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ComputeApiDeps } from '../../../compute-api/compute-api-deps.js';
import { boolFromString } from '../../../compute-api/flavors/bool-from-string.js';
import { hypervisorListQuery, hypervisorShowQuery, type HypervisorListQuery } from '../../../compute-api/hypervisors/hypervisor-schemas.js';
import { hypervisorStatistics } from '../../../compute-api/hypervisors/hypervisor-statistics.js';
import { hypervisorServers, listHypervisors, searchHypervisors } from '../../../compute-api/hypervisors/list-hypervisors.js';
import { hypervisorUptime, showHypervisor } from '../../../compute-api/hypervisors/show-hypervisor.js';
import { NotFoundError } from '../../../common/errors.js';
import { baseUrl } from '../../base-url.js';
import { atLeast } from '../../microversion.js';
import { compileValidator, type Validator } from '../../validation/validator.js';
import { hypervisorLinks, hypervisorStatisticsView, hypervisorUptimeView, hypervisorView } from '../../views/hypervisor-view.js';
import { lastValues } from '../../validation/last-values.js';

// The list query changes at 2.33 (paging) and 2.53 (pattern, with_servers, nothing else).
const listValidators: [number, Validator<TSchema>][] = [53, 33, 1].map((minor) => [minor, compileValidator(hypervisorListQuery(minor), 'query')]);
const showValidators: [number, Validator<TSchema>][] = [53, 1].map((minor) => [minor, compileValidator(hypervisorShowQuery(minor), 'query')]);

function pick(validators: [number, Validator<TSchema>][], minor: number): Validator<TSchema> {
  return (validators.find(([from]) => minor >= from) ?? validators[validators.length - 1])?.[1] as Validator<TSchema>;
}

// Routes Nova removed at a microversion answer 404 from then on.
function removedAt(request: FastifyRequest, version: string): void {
  if (atLeast(request.microversion, version)) throw new NotFoundError('api.not_found', 'The resource could not be found.');
}

type IdParams = { Params: { id: string } };

/**
 * Hypervisors (`/os-hypervisors`), built from the compute nodes and services of every cell: list,
 * detail, show, statistics (< 2.88), uptime (< 2.88), and search and servers by hostname pattern
 * (< 2.53; query parameters of the lists from 2.53).
 */
export async function hypervisorRoutes(app: FastifyInstance, deps: ComputeApiDeps): Promise<void> {
  const list = (detail: boolean) => async (request: FastifyRequest) => {
    const mv = request.microversion;
    const raw = lastValues(request.query);
    const query = pick(listValidators, mv.minor)(raw) as HypervisorListQuery;
    const uuidIds = atLeast(mv, '2.53');
    const page = await listHypervisors(deps, request.ctx, { detail, paging: atLeast(mv, '2.33'), uuidIds, query });
    const withServers = uuidIds && boolFromString(query.with_servers ?? false) === true;
    const hypervisors = page.items.map((item) => hypervisorView(mv, item, { detail, withServers }));
    const links = hypervisorLinks(`${collectionRoot(request)}/os-hypervisors${detail ? '/detail' : ''}`, hypervisors, page.pageSize, raw);
    return links === undefined ? { hypervisors } : { hypervisors, hypervisors_links: links };
  };
  app.get('/os-hypervisors', list(false));
  app.get('/os-hypervisors/detail', list(true));

  app.get('/os-hypervisors/statistics', async (request) => {
    removedAt(request, '2.88');
    return hypervisorStatisticsView(await hypervisorStatistics(deps, request.ctx));
  });

  app.get<IdParams>('/os-hypervisors/:id', async (request) => {
    const mv = request.microversion;
    const query = pick(showValidators, mv.minor)(lastValues(request.query)) as { with_servers?: string | boolean };
    const uuidIds = atLeast(mv, '2.53');
    const withServers = uuidIds && boolFromString(query.with_servers ?? false) === true;
    const item = await showHypervisor(deps, request.ctx, request.params.id, { uuidIds, withServers });
    return { hypervisor: hypervisorView(mv, item, { detail: true, withServers }) };
  });

  app.get<IdParams>('/os-hypervisors/:id/uptime', async (request) => {
    removedAt(request, '2.88');
    const item = await hypervisorUptime(deps, request.ctx, request.params.id, { uuidIds: atLeast(request.microversion, '2.53') });
    return { hypervisor: hypervisorUptimeView(request.microversion, item) };
  });

  app.get<IdParams>('/os-hypervisors/:id/search', async (request) => {
    removedAt(request, '2.53');
    const items = await searchHypervisors(deps, request.ctx, request.params.id);
    return { hypervisors: items.map((item) => hypervisorView(request.microversion, item, { detail: false, withServers: false })) };
  });

  app.get<IdParams>('/os-hypervisors/:id/servers', async (request) => {
    removedAt(request, '2.53');
    const items = await hypervisorServers(deps, request.ctx, request.params.id);
    return { hypervisors: items.map((item) => hypervisorView(request.microversion, item, { detail: false, withServers: false })) };
  });
}

/** `http://host/compute/v2.1`: the collection root the client used, for `next` links. */
function collectionRoot(request: FastifyRequest): string {
  return `${baseUrl(request)}${request.routeOptions.url?.replace(/\/os-hypervisors.*$/, '') ?? '/compute/v2.1'}`;
}
