import type { RequestContext } from '../../common/request-context.js';
import { CELL0_UUID } from '../../objects/cell-mapping.js';
import { PowerState } from '../../objects/power-state.js';
import { TaskState } from '../../objects/task-state.js';
import { VmState } from '../../objects/vm-state.js';
import type { RescheduleArgs } from '../../rpc/contracts/conductor-rpc.js';
import { groupAllows, groupHosts } from './group-hosts.js';
import type { BuildDeps } from './schedule-and-build.js';

/**
 * A build failed on a host and the compute released its claim: claim the next alternate that
 * still has room and build there. When none does, the instance goes to ERROR with Nova's
 * "Exceeded maximum number of retries" fault. A server deleted meanwhile is left alone.
 */
export async function rescheduleBuild(deps: BuildDeps, ctx: RequestContext, args: RescheduleArgs): Promise<void> {
  const log = deps.logger.child({ request_id: ctx.requestId, instance_uuid: args.instance_uuid, failed_host: args.failed_host });
  const cell = (await deps.api.cells.list()).find((c) => c.uuid === args.cell_uuid && c.uuid !== CELL0_UUID);
  if (cell === undefined) {
    log.error({ cell_uuid: args.cell_uuid }, 'reschedule for an unknown cell; dropped');
    return;
  }
  const repos = deps.cells.repos(cell);
  const instance = await repos.instances.find(args.instance_uuid);
  if (instance === undefined || instance.task_state !== TaskState.SCHEDULING) {
    log.info('instance gone or no longer waiting for a host; not rescheduling');
    return;
  }
  const startTime = deps.clock.now().toISOString();
  const group = await deps.api.serverGroups.groupOf(instance.uuid);
  const others = group === undefined ? new Map<string, number>() : await groupHosts(deps, group, instance.uuid);
  for (const [i, alt] of args.alternates.entries()) {
    if (group !== undefined && !groupAllows(group, others, alt.service_host)) {
      log.info({ host: alt.service_host, policy: group.policy }, 'alternate skipped: it would break the server group policy');
      continue;
    }
    const claimed = await deps.placement.claim(instance.uuid, alt.allocation_request, { projectId: instance.project_id, userId: instance.user_id, consumerGeneration: null });
    if (!claimed) continue;
    try {
      await repos.instances.update(instance.uuid, { host: alt.service_host, node: alt.nodename }, { taskState: [TaskState.SCHEDULING] });
    } catch (err) {
      await deps.placement.deleteAllocations(instance.uuid);
      log.info({ err }, 'instance changed while rescheduling (deleted?); claim released');
      return;
    }
    await repos.actions.recordEvent({ instanceUuid: instance.uuid, requestId: ctx.requestId, event: 'conductor_reschedule_build', startTime, result: 'Success', host: null });
    await deps.compute.buildAndRunInstance(ctx, alt.service_host, { instance_uuid: instance.uuid, node: alt.nodename, alternates: args.alternates.slice(i + 1), reschedulable: true });
    // The scheduler's view still has the instance on the host that failed; have it reload.
    await deps.scheduler.invalidateHostState(ctx);
    log.info({ host: alt.service_host, reason: args.reason }, 'build rescheduled to an alternate host');
    return;
  }
  const message = `Exceeded maximum number of retries. Exhausted all hosts available for retrying build failures for instance ${instance.uuid}.`;
  try {
    await repos.instances.update(instance.uuid, { vm_state: VmState.ERROR, task_state: null, power_state: PowerState.NOSTATE }, { taskState: [TaskState.SCHEDULING] });
  } catch (err) {
    log.info({ err }, 'instance deleted or changed while looking for an alternate; left alone');
    return;
  }
  await repos.faults.record({ instance_uuid: instance.uuid, code: 500, message, details: `Last failure on ${args.failed_host}: ${args.reason}`, host: null });
  await repos.actions.recordEvent({ instanceUuid: instance.uuid, requestId: ctx.requestId, event: 'conductor_reschedule_build', startTime, result: 'Error', host: null, traceback: message });
  log.warn({ reason: args.reason }, 'no alternate host left; instance in ERROR');
}
