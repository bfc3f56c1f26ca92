import { ConflictError, NotFoundError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import { VmState } from '../../objects/vm-state.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { locateInstance, type LocatedInstance } from './instance-locator.js';
import { MAX_SERVER_TAGS } from './server-tag-schema.js';

const POLICY = 'os_compute_api:os-server-tags';
/** Nova changes tags only of servers in these vm_states; anything else (building, error, ...) is a 409. */
const TAGGABLE_VM_STATES: readonly string[] = [VmState.ACTIVE, VmState.PAUSED, VmState.SUSPENDED, VmState.STOPPED];

/** GET /servers/{id}/tags: the server's tags, alphabetically. */
export async function listServerTags(deps: ComputeApiDeps, ctx: RequestContext, uuid: string): Promise<string[]> {
  const located = await locate(deps, ctx, uuid, 'index');
  return located.kind === 'cell' ? located.repos.tags.list(uuid) : [...(located.instance.tags ?? [])].sort();
}

/** GET /servers/{id}/tags/{tag}: @throws NotFoundError when the server does not have the tag. */
export async function checkServerTag(deps: ComputeApiDeps, ctx: RequestContext, uuid: string, tag: string): Promise<void> {
  const located = await locate(deps, ctx, uuid, 'show');
  const has = located.kind === 'cell' ? await located.repos.tags.has(uuid, tag) : (located.instance.tags ?? []).includes(tag);
  if (!has) throw new NotFoundError('compute.tag_not_found', `Server ${uuid} has no tag '${tag}'`);
}

/** PUT /servers/{id}/tags/{tag}: 'created' (201) or 'existed' (204); a server at 50 tags refuses any. */
export async function addServerTag(deps: ComputeApiDeps, ctx: RequestContext, uuid: string, tag: string): Promise<'created' | 'existed'> {
  const { repos } = taggable(await locate(deps, ctx, uuid, 'update'), 'update tag');
  const result = await repos.tags.add(uuid, tag, { max: MAX_SERVER_TAGS });
  if (result === 'created') deps.logger.info({ request_id: ctx.requestId, instance_uuid: uuid, tag }, 'server tag added');
  return result;
}

/** PUT /servers/{id}/tags: replaces every tag at once; returns the new tags. */
export async function replaceServerTags(deps: ComputeApiDeps, ctx: RequestContext, uuid: string, tags: readonly string[]): Promise<string[]> {
  const { repos } = taggable(await locate(deps, ctx, uuid, 'update_all'), 'update tags');
  const now = await repos.tags.replace(uuid, tags);
  deps.logger.info({ request_id: ctx.requestId, instance_uuid: uuid, tags: now }, 'server tags replaced');
  return now;
}

/** DELETE /servers/{id}/tags/{tag}: @throws NotFoundError when the server does not have the tag. */
export async function deleteServerTag(deps: ComputeApiDeps, ctx: RequestContext, uuid: string, tag: string): Promise<void> {
  const { repos } = taggable(await locate(deps, ctx, uuid, 'delete'), 'delete tag');
  if (!(await repos.tags.remove(uuid, tag))) throw new NotFoundError('compute.tag_not_found', `Instance ${uuid} has no tag '${tag}'`);
  deps.logger.info({ request_id: ctx.requestId, instance_uuid: uuid, tag }, 'server tag deleted');
}

/** DELETE /servers/{id}/tags: removes every tag. */
export async function deleteServerTags(deps: ComputeApiDeps, ctx: RequestContext, uuid: string): Promise<void> {
  const { repos } = taggable(await locate(deps, ctx, uuid, 'delete_all'), 'delete tags');
  await repos.tags.removeAll(uuid);
  deps.logger.info({ request_id: ctx.requestId, instance_uuid: uuid }, 'server tags deleted');
}

async function locate(deps: ComputeApiDeps, ctx: RequestContext, uuid: string, rule: string): Promise<LocatedInstance> {
  const located = await locateInstance(deps, ctx, uuid);
  deps.policy.authorize(`${POLICY}:${rule}`, ctx, { project_id: located.instance.project_id });
  return located;
}

/** The server's cell repositories when its tags may change now; Nova's 409 otherwise. */
function taggable(located: LocatedInstance, method: string): Extract<LocatedInstance, { kind: 'cell' }> {
  const i = located.instance;
  if (located.kind !== 'cell' || !TAGGABLE_VM_STATES.includes(i.vm_state)) {
    throw new ConflictError('compute.instance_invalid_state', `Cannot '${method}' instance ${i.uuid} while it is in vm_state ${i.vm_state}`);
  }
  return located;
}
