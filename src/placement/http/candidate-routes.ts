import type { FastifyInstance } from 'fastify';
import { candidatesJson, candidatesView } from '../candidate-view.js';
import { findCandidates, type CandidateRequest } from '../model/candidate-finder.js';
import { PlacementRule } from '../placement-policy-rules.js';
import { badRequest } from '../placement-errors.js';
import { atLeast } from './placement-microversion.js';
import { queryValidator, queryValues } from './placement-input.js';
import { parseInTree, parseMemberOf, parseRequired, parseResources, traitsNamed } from './placement-query.js';
import { CandidatesQuery } from './placement-schemas.js';
import { authorize, cacheHeaders, refuseUnknownParams, requireVersion, versionOf, type PlacementRouteDeps } from './route-support.js';

const validateQuery = queryValidator(CandidatesQuery);
const SINCE = { limit: 16, required: 17, member_of: 21, group_policy: 25, in_tree: 31 };

/**
 * GET /allocation_candidates (1.10+), answered from the read model: `resources`, `limit` (1.16),
 * `required` (1.17; `!` 1.22; `in:` 1.39), `member_of` (1.21; several 1.24; `!` 1.32), `in_tree`
 * (1.31). Numbered request groups (`resources1`, ...) are not supported.
 */
export function registerCandidateRoutes(app: FastifyInstance, deps: PlacementRouteDeps): void {
  app.get('/allocation_candidates', async (request, reply) => {
    requireVersion(request, 10);
    authorize(deps, request, PlacementRule.allocationCandidatesList);
    const mv = versionOf(request);
    const values = queryValues(request);
    refuseUnknownParams(values, SINCE, mv);
    const query = validateQuery(values);
    const resources = parseResources(query.resources);
    const unknown = [];
    for (const rc of resources.keys()) if (!(await deps.catalog.classExists(rc))) unknown.push(rc);
    if (unknown.length > 0) throw badRequest(`Invalid resource class in resources parameter: No such resource class ${unknown.join(', ')}.`);
    const req: CandidateRequest = { resources };
    if (query.limit !== undefined) req.limit = query.limit;
    if (query.in_tree !== undefined) req.inTree = parseInTree(query.in_tree);
    if (query.member_of !== undefined) {
      const parsed = parseMemberOf(values.get('member_of') ?? [], mv);
      req.memberOf = parsed.groups;
      if (parsed.forbidden.size > 0) req.forbiddenAggregates = parsed.forbidden;
    }
    if (query.required !== undefined) {
      const parsed = parseRequired(values.get('required') ?? [], mv);
      const missing = [];
      for (const t of traitsNamed(parsed)) if (!(await deps.catalog.traitExists(t))) missing.push(t);
      if (missing.length > 0) throw badRequest(`No such trait(s): ${missing.join(', ')}.`);
      req.required = parsed.required;
      req.forbidden = parsed.forbidden;
    }
    const options = { traits: atLeast(mv, 17), allResources: atLeast(mv, 27), treeUuids: atLeast(mv, 29), mappings: atLeast(mv, 34) };
    const found = findCandidates(deps.model, req);
    cacheHeaders(reply, mv);
    if (atLeast(mv, 12)) return reply.type('application/json; charset=utf-8').send(candidatesJson(found, resources, options));
    const view = candidatesView(found, resources, options);
    return {
      allocation_requests: view.allocation_requests.map((r) => ({
        allocations: Object.entries(r.allocations).map(([uuid, a]) => ({ resource_provider: { uuid }, resources: a.resources })),
      })),
      provider_summaries: view.provider_summaries,
    };
  });
}
