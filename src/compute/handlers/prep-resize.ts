import type { RequestContext } from '../../common/request-context.js';
import { MigrationStatus } from '../../objects/migration.js';
import type { MoveArgs } from '../../rpc/contracts/compute-rpc.js';
import type { HandlerDeps } from '../handler-deps.js';
import { runMoveStep, type MoveStepState } from '../move/move-step.js';
import { asTesseraError } from '../../common/errors.js';

/**
 * The destination's first step of a move (Nova's prep_resize): records itself as the migration's
 * destination, which makes its resource tracker count the incoming instance with the new flavor
 * (the claim; placement already holds it under the instance), then asks the source to send the
 * instance over.
 */
export function prepResize(deps: HandlerDeps, ctx: RequestContext, args: MoveArgs): Promise<void> {
  // Once the source was asked to send the instance over, the move is under way there: a failure
  // after that (recording the event, say) must not hand the move to another host too.
  let handedOver = false;
  return runMoveStep(deps, ctx, args, {
    event: 'compute_prep_resize',
    run: async ({ instance, migration }) => {
      // Nova reports the usage so far before a move, then the prep with the new flavor.
      await deps.notifier.instanceExists(ctx, deps.repos, { instance, host: deps.host });
      await deps.notifier.instanceAction(ctx, deps.repos, { instance, action: 'resize_prep', phase: 'start', host: deps.host, ...(instance.new_flavor === null ? {} : { newFlavor: instance.new_flavor }) });
      const node = await deps.driver.getAvailableResource(deps.host);
      const updated = await deps.repos.migrations.update(
        migration.uuid,
        { dest_compute: deps.host, dest_node: node.hypervisor_hostname, dest_host: node.host_ip },
        [MigrationStatus.PRE_MIGRATING],
      );
      await deps.tracker.update();
      const now = await deps.repos.instances.get(instance.uuid);
      await deps.notifier.instanceAction(ctx, deps.repos, { instance: now, action: 'resize_prep', phase: 'end', host: deps.host, ...(now.new_flavor === null ? {} : { newFlavor: now.new_flavor }) });
      await deps.compute.resizeInstance(ctx, updated.source_compute ?? deps.host, args);
      handedOver = true;
    },
    // The tracker stops counting the instance here once the migration is in error.
    undoHere: () => Promise.resolve(),
    reschedule: (state, err) => (handedOver ? Promise.resolve(false) : rescheduleElsewhere(deps, ctx, args, state, err)),
  });
}

/**
 * Nova's _reschedule_resize_or_reraise: a move that may be retried (`[scheduler] max_attempts` > 1)
 * goes back to the conductor instead of failing here. This host leaves the migration (so its
 * tracker stops counting the instance) and records the failure as a fault of the server; the
 * conductor, which alone touches the allocations of a rescheduled move, drops the claim here and
 * tries the next alternate, or, with none left, puts the server back as it was before the request.
 * False, with nothing changed, for a move that may not be retried or whose migration moved on.
 */
async function rescheduleElsewhere(deps: HandlerDeps, ctx: RequestContext, args: MoveArgs, state: MoveStepState, err: unknown): Promise<boolean> {
  const alternates = args.alternates;
  if (alternates === undefined) return false;
  const { migration, log } = state;
  await deps.repos.migrations.update(migration.uuid, { dest_compute: null, dest_node: null, dest_host: null }, [MigrationStatus.PRE_MIGRATING]);
  await deps.tracker.update().catch((e: unknown) => log.error({ err: e }, 'could not update this node after the failed prep'));
  const e = asTesseraError(err);
  await deps.repos.faults
    .record({ instance_uuid: migration.instance_uuid, code: e.status, message: e.message, details: err instanceof Error ? (err.stack ?? null) : null, host: deps.host })
    .catch((recordErr: unknown) => log.error({ err: recordErr }, 'could not record the fault of the failed prep'));
  await deps.conductor.rescheduleMove(ctx, { instance_uuid: migration.instance_uuid, migration_uuid: migration.uuid, failed_host: deps.host, reason: e.message, alternates });
  log.warn({ err, alternates: alternates.map((a) => a.service_host) }, 'prep failed here; move handed back for a reschedule');
  return true;
}
