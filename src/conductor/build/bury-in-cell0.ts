import { asTesseraError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import type { RequestContext } from '../../common/request-context.js';
import type { ApiRepos } from '../../db/api/api-repos.js';
import type { CellRepos } from '../../db/cell/cell-repos.js';
import type { CellMapping } from '../../objects/cell-mapping.js';
import type { NewBlockDeviceMapping } from '../../objects/block-device.js';
import type { Instance } from '../../objects/instance.js';
import { VmState } from '../../objects/vm-state.js';

/**
 * An instance that could not be scheduled goes to cell0 in ERROR with a fault, as in Nova, so the
 * user can see why and delete it. Its block device mappings go with it, as Nova records them in
 * cell0: the volumes the API reserved stay reserved by the server until it is deleted, and the
 * delete releases them (and deletes those marked delete_on_termination). Its build request is
 * consumed.
 */
export async function buryInCell0(
  deps: { api: ApiRepos; cell0: CellMapping; cell0Repos: CellRepos; logger: Logger },
  ctx: RequestContext,
  instance: Instance,
  blockDeviceMappings: readonly NewBlockDeviceMapping[],
  error: unknown,
): Promise<void> {
  const err = asTesseraError(error);
  const log = deps.logger.child({ instance_uuid: instance.uuid, cell: 'cell0' });
  const exists = await deps.cell0Repos.instances.find(instance.uuid);
  if (exists === undefined) {
    await deps.cell0Repos.instances.create({ ...instance, vm_state: VmState.ERROR, task_state: null, host: null, node: null });
    for (const m of blockDeviceMappings) await deps.cell0Repos.bdms.create(m);
    await deps.cell0Repos.actions.start({ action: 'create', instanceUuid: instance.uuid, requestId: ctx.requestId, userId: instance.user_id, projectId: instance.project_id });
    await deps.cell0Repos.actions.recordEvent({ instanceUuid: instance.uuid, requestId: ctx.requestId, event: 'conductor_schedule_and_build_instances', startTime: instance.created_at, result: 'Error', host: null, traceback: err.stack ?? err.message });
  }
  await deps.cell0Repos.faults.record({
    instance_uuid: instance.uuid,
    code: err.status,
    message: err.message,
    details: err.stack ?? null,
    host: null,
  });
  await deps.api.instanceMappings.setCell(instance.uuid, deps.cell0.id);
  const deleted = await deps.api.buildRequests.delete(instance.uuid);
  if (!deleted) {
    // The user deleted the server while it was being scheduled: nothing is left to show.
    await deps.cell0Repos.instances.softDelete(instance.uuid);
  }
  log.warn({ code: err.code, reason: err.message }, 'instance buried in cell0');
}
