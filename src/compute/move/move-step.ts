import type { Logger } from '../../common/logger.js';
import type { RequestContext } from '../../common/request-context.js';
import type { Instance } from '../../objects/instance.js';
import type { Migration } from '../../objects/migration.js';
import { VmState } from '../../objects/vm-state.js';
import type { MoveArgs } from '../../rpc/contracts/compute-rpc.js';
import { lifecycleLock } from '../handlers/build-and-run-instance.js';
import type { HandlerDeps } from '../handler-deps.js';
import { withInstanceEvent } from '../instance-event.js';
import { recordFailure } from '../record-failure.js';
import { moveError } from '../../rpc/contracts/move-error.js';
import { putBackOnSource } from './move-failure.js';

/** What a step of a move works on. */
export interface MoveStepState {
  instance: Instance;
  migration: Migration;
  log: Logger;
}

export interface MoveStep {
  /** The instance action event, Nova's name (`compute_prep_resize`, ...). */
  event: string;
  run(state: MoveStepState): Promise<void>;
  /** Undoes what this step did on this host before the source takes the instance back. */
  undoHere?(state: MoveStepState): Promise<void>;
  /**
   * Hands the failed move to another host instead (a prep step with alternates left); true when
   * it did, and then the source is not asked to take the instance back.
   */
  reschedule?(state: MoveStepState, err: unknown): Promise<boolean>;
}

/**
 * Runs one compute step of a resize or cold migration under the instance's lifecycle lock (a
 * delete waits for it) and records it as an event of the request's action. When it fails, the
 * step may hand the move to another host (a destination's prep step with alternates left);
 * otherwise it undoes its own part here, then the source compute puts the instance back on itself
 * in ERROR (here, when this is the source; over the bus otherwise). If even that hand-over fails,
 * the instance is put in ERROR here, so that it never stays in a move state for ever.
 */
export function runMoveStep(deps: HandlerDeps, ctx: RequestContext, args: MoveArgs, step: MoveStep): Promise<void> {
  return deps.locks.run(lifecycleLock(args.instance_uuid), async () => {
    const log = deps.logger.child({ request_id: ctx.requestId, instance_uuid: args.instance_uuid, migration_uuid: args.migration_uuid, host: deps.host });
    let state: MoveStepState | undefined;
    try {
      await withInstanceEvent({ actions: deps.repos.actions, clock: deps.clock, host: deps.host }, ctx, args.instance_uuid, step.event, async () => {
        const instance = await deps.repos.instances.get(args.instance_uuid);
        const migration = await deps.repos.migrations.get(args.migration_uuid);
        state = { instance, migration, log };
        await step.run(state);
      });
      log.info({ event: step.event }, 'move step done');
    } catch (err) {
      log.error({ err, event: step.event }, 'move step failed');
      await handleFailure(deps, ctx, args, step, state, err, log);
    }
  });
}

async function handleFailure(deps: HandlerDeps, ctx: RequestContext, args: MoveArgs, step: MoveStep, state: MoveStepState | undefined, err: unknown, log: Logger): Promise<void> {
  if (state === undefined) {
    // The instance or the migration could not even be read: nothing of the move was done here.
    await recordFailure(deps, log, args.instance_uuid, err, { vm_state: VmState.ERROR, task_state: null });
    return;
  }
  if (step.reschedule !== undefined) {
    const rescheduled = await step.reschedule(state, err).catch((e: unknown) => {
      log.error({ err: e, event: step.event }, 'could not reschedule the move; handing it back to its source');
      return false;
    });
    if (rescheduled) return;
  }
  if (step.undoHere !== undefined) {
    await step.undoHere(state).catch((e: unknown) => log.error({ err: e, event: step.event }, 'could not undo the failed step here'));
  }
  const source = state.migration.source_compute;
  if (source === null || source === deps.host) {
    await putBackOnSource(deps, ctx, state.migration, moveError(err), deps.host, log);
    return;
  }
  try {
    await deps.compute.abortMove(ctx, source, { ...args, failed_host: deps.host, error: moveError(err) });
  } catch (castErr) {
    log.error({ err: castErr, source }, 'could not hand the failed move back to its source');
    await recordFailure(deps, log, args.instance_uuid, err, { vm_state: VmState.ERROR, task_state: null });
  }
}
