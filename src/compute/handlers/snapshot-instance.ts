import { ConflictError, NotFoundError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import { elevated, type RequestContext } from '../../common/request-context.js';
import { PowerState } from '../../objects/power-state.js';
import { TaskState } from '../../objects/task-state.js';
import type { SnapshotArgs } from '../../rpc/contracts/compute-rpc.js';
import type { HandlerDeps } from '../handler-deps.js';
import { withInstanceEvent } from '../instance-event.js';
import { recordFailure } from '../record-failure.js';

/** Every task state a snapshot passes through; a failure reverts only from one of these. */
const SNAPSHOT_TASK_STATES = [TaskState.IMAGE_SNAPSHOT_PENDING, TaskState.IMAGE_SNAPSHOT, TaskState.IMAGE_PENDING_UPLOAD, TaskState.IMAGE_UPLOADING];

/**
 * Nova's snapshot_instance: with the image the API created (queued), take the guest's root disk
 * through the driver and upload it, moving task_state image_snapshot_pending → image_snapshot →
 * image_pending_upload → image_uploading → null; the image ends active. The guest keeps its
 * vm_state and power state throughout.
 *
 * On failure the image is deleted, task_state goes back to null (the server is usable again) and
 * a fault is recorded, as Nova's delete_image_on_error, reverts_task_state and wrap_instance_fault
 * do. When the server was deleted meanwhile only the image is cleaned up, unless it made it to
 * active. The image calls are made with the caller's context elevated, as Nova's are.
 */
export async function snapshotInstance(deps: HandlerDeps, ctx: RequestContext, args: SnapshotArgs): Promise<void> {
  const { instance_uuid: uuid, image_id: imageId } = args;
  const log = deps.logger.child({ request_id: ctx.requestId, instance_uuid: uuid, image_id: imageId, host: deps.host });
  const admin = elevated(ctx);
  const instances = deps.repos.instances;
  try {
    await withInstanceEvent({ actions: deps.repos.actions, clock: deps.clock, host: deps.host }, ctx, uuid, 'compute_snapshot_instance', async () => {
      const instance = await instances.update(uuid, { task_state: TaskState.IMAGE_SNAPSHOT }, { taskState: [TaskState.IMAGE_SNAPSHOT_PENDING] });
      const { power_state: power } = await deps.driver.getInfo(uuid);
      if (power !== PowerState.RUNNING) log.info({ power_state: power }, 'snapshotting a guest that is not running');
      await instances.update(uuid, { power_state: power, task_state: TaskState.IMAGE_PENDING_UPLOAD }, { taskState: [TaskState.IMAGE_SNAPSHOT] });
      const snapshot = await deps.driver.snapshot(uuid, imageId);
      await instances.update(uuid, { task_state: TaskState.IMAGE_UPLOADING }, { taskState: [TaskState.IMAGE_PENDING_UPLOAD] });
      // What Nova's libvirt driver records on a snapshot before it uploads the data.
      await deps.images.update(admin, imageId, [
        { op: 'add', path: 'disk_format', value: snapshot.diskFormat },
        { op: 'add', path: 'container_format', value: snapshot.containerFormat },
        { op: 'add', path: 'image_location', value: 'snapshot' },
        { op: 'add', path: 'image_state', value: 'available' },
        { op: 'add', path: 'owner_id', value: instance.project_id },
      ]);
      const image = await deps.images.upload(admin, imageId, snapshot.data);
      await instances.update(uuid, { task_state: null }, { taskState: [TaskState.IMAGE_UPLOADING] });
      log.info({ size: image.size, checksum: image.checksum }, 'snapshot uploaded');
    });
  } catch (err) {
    if (await disappeared(deps, uuid, err)) {
      await deleteUnfinishedImage(deps, admin, imageId, log);
      log.info({ err }, 'instance deleted during its snapshot');
      return;
    }
    log.error({ err }, 'snapshot failed; deleting the image and reverting the task state');
    await deleteImage(deps, admin, imageId, log);
    await recordFailure(deps, log, uuid, err, { task_state: null }, { taskState: SNAPSHOT_TASK_STATES });
  }
}

/** Whether the failure is the server going away (deleted, or being deleted) under the snapshot. */
async function disappeared(deps: HandlerDeps, uuid: string, err: unknown): Promise<boolean> {
  if (err instanceof NotFoundError && (err.code === 'compute.instance_not_found' || err.code === 'virt.instance_not_found')) return true;
  if (err instanceof ConflictError && err.code === 'compute.unexpected_state') {
    const now = await deps.repos.instances.find(uuid).catch(() => undefined);
    return now === undefined || now.task_state === TaskState.DELETING;
  }
  return false;
}

async function deleteImage(deps: HandlerDeps, ctx: RequestContext, imageId: string, log: Logger): Promise<void> {
  try {
    await deps.images.delete(ctx, imageId);
    log.info('snapshot image deleted');
  } catch (err) {
    if (err instanceof NotFoundError) return;
    log.error({ err }, 'could not delete the image of a failed snapshot; it is left behind');
  }
}

/** Nova keeps a snapshot that finished before the server went away; anything less is deleted. */
async function deleteUnfinishedImage(deps: HandlerDeps, ctx: RequestContext, imageId: string, log: Logger): Promise<void> {
  const image = await deps.images.get(ctx, imageId).catch(() => undefined);
  if (image !== undefined && image.status !== 'active') await deleteImage(deps, ctx, imageId, log);
}
