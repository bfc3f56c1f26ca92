import type { RequestContext } from '../../common/request-context.js';
import { PowerState } from '../../objects/power-state.js';
import { TaskState } from '../../objects/task-state.js';
import { VmState } from '../../objects/vm-state.js';
import type { BuildArgs } from '../../rpc/contracts/compute-rpc.js';
import type { HandlerDeps } from '../handler-deps.js';
import { withInstanceEvent } from '../instance-event.js';
import { recordFailure } from '../record-failure.js';

/**
 * Spawns the guest of a new instance. On failure the guest is destroyed and the instance's
 * allocation in placement released; then, when retries are on, the conductor is asked to retry on
 * the next alternate host (it reports when none is left), else the instance goes to ERROR with a fault and leaves the
 * host (host and node cleared, as Nova does). Either way the host's usage is reported without it.
 */
export async function buildAndRunInstance(deps: HandlerDeps, ctx: RequestContext, args: BuildArgs): Promise<void> {
  const log = deps.logger.child({ request_id: ctx.requestId, instance_uuid: args.instance_uuid, host: deps.host });
  let built = false;
  try {
    await withInstanceEvent({ actions: deps.repos.actions, clock: deps.clock, host: deps.host }, ctx, args.instance_uuid, 'compute__do_build_and_run_instance', async () => {
      const instance = await deps.repos.instances.update(args.instance_uuid, { task_state: TaskState.SPAWNING }, { taskState: [TaskState.SCHEDULING, null], vmState: [VmState.BUILDING] });
      // The claim: the node's usage counts the instance from here (Nova's instance_claim).
      await deps.tracker.update();
      await deps.driver.spawn({
        uuid: instance.uuid,
        name: instance.hostname,
        flavor: instance.flavor,
        imageRef: instance.image_ref === '' ? null : instance.image_ref,
        powerOn: true,
      });
      await deps.repos.instances.update(
        instance.uuid,
        { vm_state: VmState.ACTIVE, task_state: null, power_state: PowerState.RUNNING, launched_at: deps.clock.now().toISOString() },
        { taskState: [TaskState.SPAWNING] },
      );
    });
    built = true;
    log.info('instance spawned');
  } catch (err) {
    log.error({ err }, 'build failed');
    await deps.driver.destroy(args.instance_uuid).catch((e: unknown) => log.error({ err: e }, 'could not destroy the guest of a failed build'));
    await deps.placement.deleteAllocations(args.instance_uuid).catch((e: unknown) => log.error({ err: e }, 'could not release the allocation of a failed build'));
    if (args.reschedulable && (await handBack(deps, ctx, args, err, log))) return;
    await recordFailure(deps, log, args.instance_uuid, err, { vm_state: VmState.ERROR, task_state: null, power_state: PowerState.NOSTATE, host: null, node: null });
  } finally {
    // Only a failed build changes the usage that the claim reported: the instance left the host.
    if (!built) await deps.tracker.update().catch((e: unknown) => log.error({ err: e }, 'resource update failed'));
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
