import { NotFoundError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { CellRepos } from '../../db/cell/cell-repos.js';
import type { CellMapping } from '../../objects/cell-mapping.js';
import type { Instance } from '../../objects/instance.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';

/** Where an instance is: in a cell (with that cell's repositories), or still a build request. */
export type LocatedInstance =
  | { kind: 'cell'; instance: Instance; cell: CellMapping; repos: CellRepos }
  | { kind: 'build_request'; instance: Instance };

/** How to look an instance up. */
export interface LocateOptions {
  /**
   * Also find a soft-deleted instance (Nova's read_deleted="yes"), whose mapping stays until it
   * is archived: for the APIs that show a deleted server's history, such as its actions at 2.21.
   */
  includeDeleted?: boolean;
}

/**
 * Finds an instance through its mapping. Another project's instance is reported as not found to a
 * non-admin, exactly as a missing one, so that ids of other projects leak nothing.
 */
export async function locateInstance(deps: ComputeApiDeps, ctx: RequestContext, uuid: string, options: LocateOptions = {}): Promise<LocatedInstance> {
  const notFound = new NotFoundError('compute.instance_not_found', `Instance ${uuid} could not be found.`);
  const mapping = await deps.api.instanceMappings.find(uuid);
  if (mapping === undefined) throw notFound;
  if (!ctx.isAdmin && mapping.project_id !== ctx.projectId) throw notFound;
  if (mapping.cell_id === null) {
    const br = await deps.api.buildRequests.find(uuid);
    if (br !== undefined) return { kind: 'build_request', instance: br };
    // The conductor is moving it into a cell right now; the mapping will point there shortly.
    const again = await deps.api.instanceMappings.find(uuid);
    if (again?.cell_id === null || again === undefined) throw notFound;
    return locateInstance(deps, ctx, uuid, options);
  }
  const cell = await deps.api.cells.getById(mapping.cell_id);
  const repos = deps.cells.repos(cell);
  const instance = await repos.instances.find(uuid, { includeDeleted: options.includeDeleted === true });
  if (instance === undefined) throw notFound;
  return { kind: 'cell', instance, cell, repos };
}
