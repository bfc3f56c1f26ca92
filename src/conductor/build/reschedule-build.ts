import { asTesseraError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import type { RequestContext } from '../../common/request-context.js';
import type { CellRepos } from '../../db/cell/cell-repos.js';
import type { RequestedNetwork } from '../../objects/requested-network.js';
import { CELL0_UUID } from '../../objects/cell-mapping.js';
import { PowerState } from '../../objects/power-state.js';
import { TaskState } from '../../objects/task-state.js';
import { VmState } from '../../objects/vm-state.js';
import type { RescheduleArgs } from '../../rpc/contracts/conductor-rpc.js';
import { groupAllows, groupHosts } from './group-hosts.js';
import type { BuildDeps } from './schedule-and-build.js';

/**
 * A build failed on a host and the compute released its claim and undid what it did there (ports,
 * bindings, attachments, volumes it created): claim the next alternate that still has room,
 * reserve again the volumes the user brought, and build there with the same requested networks.
 * When no alternate has room, the instance goes to ERROR with Nova's "Exceeded maximum number of
 * retries" fault. A server deleted meanwhile is left alone.
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
    let requestedNetworks: RequestedNetwork[];
    try {
      requestedNetworks = (await deps.api.requestSpecs.get(instance.uuid)).requested_networks ?? [];
      await reserveReleasedVolumes(deps, ctx, repos, instance.uuid, log);
    } catch (err) {
      await deps.placement.deleteAllocations(instance.uuid).catch((e: unknown) => log.error({ err: e }, 'could not release the claim'));
      await fail(deps, ctx, repos, instance.uuid, startTime, asTesseraError(err).message, `Could not prepare the retry on ${alt.service_host}: ${asTesseraError(err).message}`, log);
      return;
    }
    await repos.actions.recordEvent({ instanceUuid: instance.uuid, requestId: ctx.requestId, event: 'conductor_reschedule_build', startTime, result: 'Success', host: null });
    await deps.compute.buildAndRunInstance(ctx, alt.service_host, {
      instance_uuid: instance.uuid, node: alt.nodename, alternates: args.alternates.slice(i + 1), reschedulable: true, requested_networks: requestedNetworks,
    });
    // The scheduler's view still has the instance on the host that failed; have it reload.
    await deps.scheduler.invalidateHostState(ctx);
    log.info({ host: alt.service_host, reason: args.reason }, 'build rescheduled to an alternate host');
    return;
  }
  const message = `Exceeded maximum number of retries. Exhausted all hosts available for retrying build failures for instance ${instance.uuid}.`;
  await fail(deps, ctx, repos, instance.uuid, startTime, message, `Last failure on ${args.failed_host}: ${args.reason}`, log);
}

/** The instance goes to ERROR with a fault, unless it changed (was deleted) meanwhile. */
async function fail(deps: BuildDeps, ctx: RequestContext, repos: CellRepos, uuid: string, startTime: string, message: string, details: string, log: Logger): Promise<void> {
  try {
    await repos.instances.update(uuid, { vm_state: VmState.ERROR, task_state: null, power_state: PowerState.NOSTATE, host: null, node: null }, { taskState: [TaskState.SCHEDULING] });
  } catch (err) {
    log.info({ err }, 'instance deleted or changed while looking for an alternate; left alone');
    return;
  }
  await repos.faults.record({ instance_uuid: uuid, code: 500, message, details, host: null });
  await repos.actions.recordEvent({ instanceUuid: uuid, requestId: ctx.requestId, event: 'conductor_reschedule_build', startTime, result: 'Error', host: null, traceback: message });
  log.warn({ reason: details }, 'build not retried; instance in ERROR');
}

/**
 * A failed build gave the volumes the user brought back to the volume service: reserve them again
 * for the next host, as Nova's conductor does before a retry. One that cannot be reserved any more
 * (someone else took it) fails the retry; the ones reserved before it are released again.
 */
async function reserveReleasedVolumes(deps: BuildDeps, ctx: RequestContext, repos: CellRepos, instanceUuid: string, log: Logger): Promise<void> {
  const done: { bdm: string; attachment: string }[] = [];
  try {
    for (const bdm of await repos.bdms.list(instanceUuid)) {
      if (bdm.source_type !== 'volume' || bdm.destination_type !== 'volume' || bdm.volume_id === null || bdm.attachment_id !== null) continue;
      const attachment = await deps.volumes.attachmentCreate(ctx, bdm.volume_id, instanceUuid);
      done.push({ bdm: bdm.uuid, attachment: attachment.id });
      await repos.bdms.update(bdm.uuid, { attachment_id: attachment.id });
    }
  } catch (err) {
    for (const d of done) {
      await deps.volumes.attachmentDelete(ctx, d.attachment).catch((e: unknown) => log.error({ err: e, attachment_id: d.attachment }, 'could not release a reservation'));
      await repos.bdms.update(d.bdm, { attachment_id: null }).catch((e: unknown) => log.error({ err: e }, 'could not clear an attachment id'));
    }
    throw err;
  }
}
