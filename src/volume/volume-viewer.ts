import type { RequestContext } from '../common/request-context.js';
import type { VolumeViewer } from './volume-repo.js';

/** The caller as the repositories filter for them. */
export function viewerOf(ctx: RequestContext): VolumeViewer {
  return { projectId: ctx.projectId, isAdmin: ctx.isAdmin };
}

/**
 * The project a list is limited to: the caller's own, unless an admin asks for every project
 * (`all_tenants`), optionally narrowed to one (`project_id`). Cinder ignores both for others.
 */
export function listProject(ctx: RequestContext, allTenants: boolean | undefined, projectId: string | undefined): string | undefined {
  if (!ctx.isAdmin || allTenants !== true) return ctx.projectId;
  return projectId;
}
