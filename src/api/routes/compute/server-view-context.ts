import type { FastifyRequest } from 'fastify';
import type { ComputeApiDeps } from '../../../compute-api/compute-api-deps.js';
import { loadHostStatuses } from '../../../compute-api/servers/host-status.js';
import { baseUrl } from '../../base-url.js';
import type { ServerViewContext } from '../../views/server-view.js';

/** Gathers what shaping server bodies needs for this request: links, microversion, who may see what. */
export async function serverViewContext(deps: ComputeApiDeps, request: FastifyRequest, hosts: readonly (string | null)[] = []): Promise<ServerViewContext> {
  const ctx = request.ctx;
  const target = { project_id: ctx.projectId };
  const showHostStatus = deps.policy.check('os_compute_api:servers:show:host_status', ctx, target);
  return {
    mv: request.microversion,
    computeRoot: `${baseUrl(request)}/compute`,
    version: request.url.startsWith('/compute/v2/') ? 'v2' : 'v2.1',
    showExtended: deps.policy.check('os_compute_api:extended_server_attributes', ctx, target),
    showHostStatus,
    hostStatus: showHostStatus ? await loadHostStatuses(deps, hosts.filter((h): h is string => h !== null)) : () => '',
    isAdmin: ctx.isAdmin,
    showExtraSpecs: deps.policy.check('os_compute_api:os-flavor-extra-specs:index', ctx, target),
  };
}
