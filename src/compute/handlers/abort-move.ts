import type { RequestContext } from '../../common/request-context.js';
import type { AbortMoveArgs } from '../../rpc/contracts/compute-rpc.js';
import type { HandlerDeps } from '../handler-deps.js';
import { lifecycleLock } from './build-and-run-instance.js';
import { putBackOnSource } from '../move/move-failure.js';

/** The source of a move hears that a step failed elsewhere, and takes the instance back in ERROR. */
export function abortMove(deps: HandlerDeps, ctx: RequestContext, args: AbortMoveArgs): Promise<void> {
  return deps.locks.run(lifecycleLock(args.instance_uuid), async () => {
    const log = deps.logger.child({ request_id: ctx.requestId, instance_uuid: args.instance_uuid, migration_uuid: args.migration_uuid, host: deps.host });
    try {
      const migration = await deps.repos.migrations.get(args.migration_uuid);
      await putBackOnSource(deps, ctx, migration, args.error, args.failed_host, log);
    } catch (err) {
      log.error({ err }, 'could not take back the instance of a failed move');
    }
  });
}
