import type { Logger } from '../../common/logger.js';
import type { RequestContext } from '../../common/request-context.js';
import { PowerState } from '../../objects/power-state.js';
import { TaskState } from '../../objects/task-state.js';
import { VmState } from '../../objects/vm-state.js';
import type { BuildArgs } from '../../rpc/contracts/compute-rpc.js';
import { portDepsOf, volumeDepsOf } from '../build/attachment-deps.js';
import { releasePorts } from '../attachments/release-attachments.js';
import { allocateNetworks } from '../build/boot-networks.js';
import { prepareBlockDevices, releaseBlockDevices } from '../build/boot-volumes.js';
import type { HandlerDeps } from '../handler-deps.js';
import { withInstanceEvent } from '../instance-event.js';
import { notifyInstance } from '../notify-instance.js';
import { recordFailure } from '../record-failure.js';

/**
 * Builds a new instance on this host, as Nova's _build_and_run_instance: allocate its networks
 * (ports created or taken, bound to this host), prepare its block devices (volumes created from
 * images, every volume connected to this host and attached), then spawn the guest with them.
 *
 * On failure at any step, what the build did is undone in reverse: the guest destroyed, the
 * volumes' attachments deleted and the volumes the build created deleted, the ports it created
 * deleted and the user's unbound, the allocation in placement released. Then, when retries are on
 * and the undo went through, the conductor is asked to retry on the next alternate host (it
 * reports when none is left); else the instance goes to ERROR with a fault and leaves the host
 * (host and node cleared, as Nova does), keeping on record whatever could not be undone for a
 * delete to finish. Either way the host's usage is reported without it.
 */
export function buildAndRunInstance(deps: HandlerDeps, ctx: RequestContext, args: BuildArgs): Promise<void> {
  return deps.locks.run(lifecycleLock(args.instance_uuid), () => build(deps, ctx, args));
}

/**
 * The lock a build and a delete of one instance take, as Nova's compute serializes
 * build_and_run_instance and terminate_instance on the instance: a delete that arrives mid-build
 * waits, then releases everything the build left. Not the attach lock, which the build's own
 * attach steps take.
 */
export function lifecycleLock(instanceUuid: string): string {
  return `${instanceUuid}:lifecycle`;
}

async function build(deps: HandlerDeps, ctx: RequestContext, args: BuildArgs): Promise<void> {
  const log = deps.logger.child({ request_id: ctx.requestId, instance_uuid: args.instance_uuid, host: deps.host });
  let built = false;
  try {
    await withInstanceEvent({ actions: deps.repos.actions, clock: deps.clock, host: deps.host }, ctx, args.instance_uuid, 'compute__do_build_and_run_instance', async () => {
      await notifyInstance(deps, ctx, args.instance_uuid, 'create', 'start');
      const instance = await deps.repos.instances.update(args.instance_uuid, { task_state: TaskState.SPAWNING }, { taskState: [TaskState.SCHEDULING, null], vmState: [VmState.BUILDING] });
      // The claim: the node's usage counts the instance from here (Nova's instance_claim).
      await deps.tracker.claim(instance);
      const interfaces = await allocateNetworks(portDepsOf(deps), ctx, instance, args.requested_networks ?? [], log);
      const devices = await prepareBlockDevices(volumeDepsOf(deps), ctx, instance, log);
      await deps.driver.spawn({
        uuid: instance.uuid,
        name: instance.hostname,
        flavor: instance.flavor,
        imageRef: devices.imageRef,
        powerOn: true,
        volumes: devices.volumes,
        rootDevice: devices.rootDevice,
        interfaces,
      });
      await deps.repos.instances.update(
        instance.uuid,
        { vm_state: VmState.ACTIVE, task_state: null, power_state: PowerState.RUNNING, launched_at: deps.clock.now().toISOString() },
        { taskState: [TaskState.SPAWNING] },
      );
    });
    built = true;
    await notifyInstance(deps, ctx, args.instance_uuid, 'create', 'end');
    log.info('instance spawned');
  } catch (err) {
    log.error({ err }, 'build failed');
    const undone = await undoBuild(deps, ctx, args.instance_uuid, log);
    await deps.placement.deleteAllocations(args.instance_uuid).catch((e: unknown) => log.error({ err: e }, 'could not release the allocation of a failed build'));
    if (await beingDeleted(deps, args.instance_uuid)) {
      // The user deleted it meanwhile (Nova's UnexpectedDeletingTaskStateError): no retry, no fault; the delete finishes.
      log.info('instance deleted while it was built; build abandoned');
      return;
    }
    // Every failed attempt is reported, the ones handed back for a retry elsewhere too, as in Nova.
    await notifyInstance(deps, ctx, args.instance_uuid, 'create', 'error', err);
    if (args.reschedulable && undone && (await handBack(deps, ctx, args, err, log))) return;
    await recordFailure(deps, log, args.instance_uuid, err, { vm_state: VmState.ERROR, task_state: null, power_state: PowerState.NOSTATE, host: null, node: null });
  } finally {
    // Only a failed build changes the usage that the claim reported: the instance left the host.
    if (!built) await deps.tracker.update().catch((e: unknown) => log.error({ err: e }, 'resource update failed'));
  }
}

/**
 * Undoes a failed build on this host in reverse order of its steps: guest, volumes, ports. Each
 * step is tried whatever happened to the one before; false when something could not be undone
 * (it stays on record: a retry elsewhere would trip over it, a delete finishes it).
 */
async function undoBuild(deps: HandlerDeps, ctx: RequestContext, instanceUuid: string, log: Logger): Promise<boolean> {
  let undone = true;
  const attempt = async (what: string, step: () => Promise<void>): Promise<void> => {
    try {
      await step();
    } catch (err) {
      undone = false;
      log.error({ err, step: what }, 'could not undo a step of the failed build');
    }
  };
  await attempt('destroy_guest', () => deps.driver.destroy(instanceUuid));
  await attempt('release_block_devices', () => releaseBlockDevices(volumeDepsOf(deps), ctx, instanceUuid, log));
  await attempt('release_networks', () => releasePorts(portDepsOf(deps), ctx, instanceUuid, { driverDetach: false }));
  return undone;
}

async function beingDeleted(deps: HandlerDeps, instanceUuid: string): Promise<boolean> {
  try {
    const current = await deps.repos.instances.find(instanceUuid);
    return current === undefined || current.task_state === TaskState.DELETING;
  } catch {
    return false;
  }
}

/** Gives the instance back to the conductor for the next alternate; false when that was not possible. */
async function handBack(deps: HandlerDeps, ctx: RequestContext, args: BuildArgs, err: unknown, log: HandlerDeps['logger']): Promise<boolean> {
  try {
    await deps.repos.instances.update(args.instance_uuid, { task_state: TaskState.SCHEDULING, host: null, node: null, power_state: PowerState.NOSTATE });
    await deps.conductor.rescheduleBuild(ctx, {
      instance_uuid: args.instance_uuid,
      cell_uuid: deps.cellUuid,
      failed_host: deps.host,
      reason: err instanceof Error ? err.message : String(err),
      alternates: args.alternates,
    });
    log.info({ alternates: args.alternates.map((a) => a.service_host) }, 'build handed back for a reschedule');
    return true;
  } catch (handErr) {
    log.error({ err: handErr }, 'could not hand the build back for a reschedule');
    return false;
  }
}
