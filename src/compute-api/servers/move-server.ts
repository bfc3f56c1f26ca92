import { BadRequestError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { Flavor } from '../../objects/flavor.js';
import type { Instance } from '../../objects/instance.js';
import { TaskState } from '../../objects/task-state.js';
import { VmState } from '../../objects/vm-state.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { checkResizeQuota } from '../quotas/instance-quota.js';
import { checkActionState, swapTaskState, type ActionStateRule } from './begin-action.js';
import { locateInstance } from './instance-locator.js';

/** Resize and cold migration take a server that is ACTIVE or SHUTOFF with no task in progress. */
const MOVE_STATES = { vmStates: [VmState.ACTIVE, VmState.STOPPED], taskStates: [null] } as const;

/**
 * resize (flavorRef): Nova's checks at the API (another flavor, enabled; an image-backed root disk
 * not shrunk; the quota for the growth), then the move starts as {@link startMove} describes.
 */
export async function resizeServer(deps: ComputeApiDeps, ctx: RequestContext, uuid: string, flavorRef: string): Promise<void> {
  const located = await locateInstance(deps, ctx, uuid);
  const i = located.instance;
  deps.policy.authorize('os_compute_api:servers:resize', ctx, { project_id: i.project_id, user_id: i.user_id });
  const rule: ActionStateRule = { verb: 'resize', vmStates: [...MOVE_STATES.vmStates], taskStates: [...MOVE_STATES.taskStates] };
  const target = checkActionState(located, rule);
  const id = flavorRef.split('/').pop() ?? '';
  const flavor = await deps.api.flavors.find(id);
  if (flavor === undefined || flavor.disabled) throw new BadRequestError('compute.flavor_not_found', `Unable to locate requested flavor.`);
  if (flavor.id === i.flavor.id) throw new BadRequestError('compute.resize_same_flavor', 'When resizing, instances must change flavor!');
  const volumeBacked = (await target.repos.bdms.list(uuid)).some((b) => b.boot_index === 0 && b.destination_type === 'volume');
  if (!volumeBacked && flavor.root_gb === 0 && i.flavor.root_gb > 0) {
    throw new BadRequestError('compute.cannot_resize_disk', 'Unable to resize disk down: a flavor without a root disk is only for volume-backed servers.');
  }
  if (!volumeBacked && flavor.root_gb < i.flavor.root_gb) throw new BadRequestError('compute.resize_disk_down', 'Resize error: Unable to resize disk down.');
  await checkResizeQuota(deps, i.project_id, i.flavor, flavor);
  await startMove(deps, ctx, target.repos, i, rule, { action: 'resize', newFlavor: flavor, host: null });
}

/**
 * migrate (cold): an administrator's move to any other host the scheduler picks, or, from 2.56,
 * to a named host, which must not be the server's own and must be a compute host of the server's
 * cell, or of any cell when the requester may move servers across cells
 * (`compute:servers:resize:cross_cell`, nobody by default): as Nova, a host of another cell is
 * otherwise not found.
 */
export async function migrateServer(deps: ComputeApiDeps, ctx: RequestContext, uuid: string, host: string | null): Promise<void> {
  const located = await locateInstance(deps, ctx, uuid);
  const i = located.instance;
  deps.policy.authorize(host === null ? 'os_compute_api:os-migrate-server:migrate' : 'os_compute_api:os-migrate-server:migrate:host', ctx, { project_id: i.project_id, user_id: i.user_id });
  const rule: ActionStateRule = { verb: 'migrate', vmStates: [...MOVE_STATES.vmStates], taskStates: [...MOVE_STATES.taskStates] };
  const target = checkActionState(located, rule);
  if (host !== null) {
    if (host === i.host) throw new BadRequestError('compute.migrate_same_host', `Unable to migrate instance (${uuid}) to current host (${host}).`);
    const cellId = located.kind === 'cell' ? located.cell.id : undefined;
    const hostCell = await deps.api.hostMappings.cellIdOf(host);
    if (hostCell === undefined || (hostCell !== cellId && !crossCellAllowed(deps, ctx, i))) throw new BadRequestError('compute.host_not_found', `Compute host ${host} could not be found.`);
  }
  await startMove(deps, ctx, target.repos, i, rule, { action: 'migrate', newFlavor: i.flavor, host });
}

/**
 * The common start of a move: task_state RESIZE_PREP by compare-and-swap (a racing action gets
 * 409), the old and new flavors kept on the instance (a revert needs the old one even if it is
 * deleted meanwhile), the instance action recorded, then the conductor takes over. The server
 * shows RESIZE from the next GET on.
 */
async function startMove(
  deps: ComputeApiDeps,
  ctx: RequestContext,
  repos: Parameters<typeof swapTaskState>[0],
  instance: Instance,
  rule: ActionStateRule,
  move: { action: 'resize' | 'migrate'; newFlavor: Flavor; host: string | null },
): Promise<void> {
  await swapTaskState(repos, instance.uuid, rule, TaskState.RESIZE_PREP);
  // A flag left by an earlier delete that failed: the server lives on, and a cross-cell move
  // must not take the flag for a delete that came during it (see conductor/cross-cell/queued-delete.ts).
  await deps.api.instanceMappings.markQueuedForDelete(instance.uuid, false);
  await repos.instances.update(instance.uuid, { old_flavor: instance.flavor, new_flavor: move.newFlavor, progress: 0 }, { taskState: [TaskState.RESIZE_PREP] });
  await repos.actions.start({ action: move.action, instanceUuid: instance.uuid, requestId: ctx.requestId, userId: ctx.userId, projectId: ctx.projectId });
  try {
    await deps.conductor.migrateServer(ctx, {
      instance_uuid: instance.uuid, migration_type: move.action === 'resize' ? 'resize' : 'migration', host: move.host, allow_cross_cell: crossCellAllowed(deps, ctx, instance),
    });
  } catch (err) {
    // Nothing else was done: the server goes back to how it was, and the caller hears why.
    await repos.instances.update(instance.uuid, { task_state: null, old_flavor: null, new_flavor: null }, { taskState: [TaskState.RESIZE_PREP] })
      .catch((e: unknown) => deps.logger.error({ err: e, request_id: ctx.requestId, instance_uuid: instance.uuid }, 'could not undo the start of a move'));
    throw err;
  }
  deps.logger.info({ request_id: ctx.requestId, instance_uuid: instance.uuid, action: move.action, flavor: move.newFlavor.flavorid, host: move.host }, 'move accepted');
}

/** Whether the requester may move the server to another cell (Nova's policy, nobody by default). */
function crossCellAllowed(deps: ComputeApiDeps, ctx: RequestContext, instance: Instance): boolean {
  return deps.policy.check('compute:servers:resize:cross_cell', ctx, { project_id: instance.project_id, user_id: instance.user_id });
}
