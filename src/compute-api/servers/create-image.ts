import { BadRequestError, ConflictError, NotFoundError, OverLimitError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import type { RequestContext } from '../../common/request-context.js';
import { TaskState } from '../../objects/task-state.js';
import { VmState } from '../../objects/vm-state.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { projectQuotas } from '../quotas/project-quotas.js';
import { checkActionState, swapTaskState, type ActionStateRule } from './begin-action.js';
import { locateInstance } from './instance-locator.js';
import { snapshotImageValues } from './snapshot-image-values.js';

export interface CreateImageRequest {
  name: string;
  metadata?: Record<string, string>;
}

/** Nova snapshots servers that are running, stopped, paused or suspended, with no task in progress. */
const SNAPSHOT_RULE: ActionStateRule = {
  verb: 'createImage',
  vmStates: [VmState.ACTIVE, VmState.STOPPED, VmState.PAUSED, VmState.SUSPENDED],
  taskStates: [null],
};

/**
 * The API's half of createImage (Nova's compute API snapshot): check policy and state, create the
 * snapshot's image record (queued) as the caller, set task_state image_snapshot_pending, record
 * the `createImage` action and cast the snapshot to the server's compute. If the server changed
 * state meanwhile, or the cast fails, the image is deleted again and nothing else remains.
 *
 * `minor` is the request's microversion; below 2.39 the metadata counts against the quota of
 * metadata items.
 */
export async function createImage(deps: ComputeApiDeps, ctx: RequestContext, uuid: string, request: CreateImageRequest, minor: number): Promise<{ imageId: string }> {
  const located = await locateInstance(deps, ctx, uuid);
  deps.policy.authorize('os_compute_api:servers:create_image', ctx, { project_id: located.instance.project_id });
  const metadata = request.metadata ?? {};
  const { metadata_items: limit } = await projectQuotas(deps, ctx.projectId);
  if (minor < 39 && limit >= 0 && Object.keys(metadata).length > limit) {
    throw new OverLimitError('compute.image_metadata_limit', 'Image metadata limit exceeded');
  }
  const { instance, host, repos } = checkActionState(located, SNAPSHOT_RULE);
  const log = deps.logger.child({ request_id: ctx.requestId, instance_uuid: uuid });
  // Nova snapshots the volumes of a volume-backed server; the volume service has no snapshots here.
  if ((await repos.bdms.list(uuid)).some((b) => b.boot_index === 0 && b.destination_type === 'volume')) {
    throw new BadRequestError('compute.volume_backed_snapshot_unsupported', `Instance ${uuid} is volume-backed: snapshots of volume-backed servers are not supported by this cloud.`);
  }

  const image = await deps.images.create(ctx, snapshotImageValues(instance, ctx, request.name, metadata));
  const ilog = log.child({ image_id: image.id });
  try {
    await swapTaskState(repos, uuid, SNAPSHOT_RULE, TaskState.IMAGE_SNAPSHOT_PENDING);
    await repos.actions.start({ action: 'createImage', instanceUuid: uuid, requestId: ctx.requestId, userId: ctx.userId, projectId: ctx.projectId });
  } catch (err) {
    await discardImage(deps, ctx, image.id, ilog);
    throw err;
  }
  try {
    await deps.compute.snapshotInstance(ctx, host, { instance_uuid: uuid, image_id: image.id });
  } catch (err) {
    ilog.error({ err, host }, 'could not cast the snapshot to the compute; undoing');
    await repos.instances.update(uuid, { task_state: null }, { taskState: [TaskState.IMAGE_SNAPSHOT_PENDING] }).catch((e: unknown) => {
      if (!(e instanceof ConflictError)) ilog.error({ err: e }, 'could not revert the task state');
    });
    await discardImage(deps, ctx, image.id, ilog);
    throw err;
  }
  ilog.info({ host, name: image.name }, 'snapshot requested');
  return { imageId: image.id };
}

async function discardImage(deps: ComputeApiDeps, ctx: RequestContext, imageId: string, log: Logger): Promise<void> {
  try {
    await deps.images.delete(ctx, imageId);
  } catch (err) {
    if (!(err instanceof NotFoundError)) log.error({ err }, 'could not delete the image of a refused snapshot; it is left behind');
  }
}
