import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ForbiddenError, NotFoundError } from '../common/errors.js';
import type { IdentityDirectory } from './identity-directory.js';
import type { Project } from './identity-entities.js';

export interface ProjectRoutesDeps {
  directory: IdentityDirectory;
  /** The scheme and host the client used, for the `links`. */
  baseUrl(request: FastifyRequest): string;
}

/**
 * Reading projects, as Keystone's default policy allows it: `GET /v3/projects/{id}` to an
 * administrator or to a token scoped to that project (404 when there is no such project), and
 * `GET /v3/projects` (filters `name`, `domain_id`) to administrators only. The OpenStack clients
 * resolve a `<project>` argument with exactly these two calls (by id, then by name).
 */
export function registerProjectRoutes(app: FastifyInstance, deps: ProjectRoutesDeps): void {
  app.get<{ Params: { id: string } }>('/v3/projects/:id', async (request) => {
    const project = deps.directory.findProject({ id: request.params.id });
    if (project === undefined) throw new NotFoundError('identity.project_not_found', `Could not find project: ${request.params.id}.`);
    if (!request.ctx.isAdmin && request.ctx.projectId !== project.id) throw forbidden('identity:get_project');
    return { project: projectBody(project, deps.baseUrl(request)) };
  });

  app.get('/v3/projects', async (request) => {
    if (!request.ctx.isAdmin) throw forbidden('identity:list_projects');
    const query = (request.query ?? {}) as Record<string, unknown>;
    const name = typeof query['name'] === 'string' ? query['name'] : undefined;
    const domainId = typeof query['domain_id'] === 'string' ? query['domain_id'] : undefined;
    const base = deps.baseUrl(request);
    const projects = deps.directory.listProjects().filter((p) => (name === undefined || p.name === name) && (domainId === undefined || p.domain.id === domainId));
    return { projects: projects.map((p) => projectBody(p, base)), links: { self: `${base}/identity/v3/projects`, previous: null, next: null } };
  });
}

function forbidden(action: string): ForbiddenError {
  return new ForbiddenError('identity.forbidden', `You are not authorized to perform the requested action: ${action}.`);
}

/** A project as Keystone shows it. */
function projectBody(p: Project, base: string): Record<string, unknown> {
  return {
    id: p.id,
    name: p.name,
    domain_id: p.domain.id,
    description: '',
    enabled: true,
    parent_id: p.domain.id,
    is_domain: false,
    tags: [],
    options: {},
    links: { self: `${base}/identity/v3/projects/${p.id}` },
  };
}
