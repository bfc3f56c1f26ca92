import { ConflictError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { deleteServer } from './delete-server.js';
import { locateInstance } from './instance-locator.js';
import type { DeleteRequest } from './soft-delete-server.js';

const FORCE_DELETE: DeleteRequest = { policy: 'os_compute_api:os-deferred-delete:force', allowSoft: false };

/**
 * `{"forceDelete": null}` (Nova's os-deferred-delete): deletes a server at once, whatever its
 * vm_state, soft-deleted ones included, as long as no task is in progress (409 otherwise). The
 * delete itself is the plain one, without the soft step; Nova records it as a `delete` action.
 */
export async function forceDeleteServer(deps: ComputeApiDeps, ctx: RequestContext, uuid: string): Promise<void> {
  const located = await locateInstance(deps, ctx, uuid);
  const i = located.instance;
  deps.policy.authorize(FORCE_DELETE.policy, ctx, { project_id: i.project_id, user_id: i.user_id });
  if (located.kind === 'cell' && i.task_state !== null) {
    throw new ConflictError('compute.instance_invalid_state', `Cannot 'forceDelete' instance ${uuid} while it is in task_state ${i.task_state}`);
  }
  await deleteServer(deps, ctx, uuid, FORCE_DELETE);
}
