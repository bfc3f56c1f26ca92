import type { RequestContext } from '../../common/request-context.js';
import { MigrationStatus } from '../../objects/migration.js';
import type { MoveArgs } from '../../rpc/contracts/compute-rpc.js';
import type { HandlerDeps } from '../handler-deps.js';
import { runMoveStep } from '../move/move-step.js';

/**
 * The destination's first step of a move (Nova's prep_resize): records itself as the migration's
 * destination, which makes its resource tracker count the incoming instance with the new flavor
 * (the claim; placement already holds it under the instance), then asks the source to send the
 * instance over.
 */
export function prepResize(deps: HandlerDeps, ctx: RequestContext, args: MoveArgs): Promise<void> {
  return runMoveStep(deps, ctx, args, {
    event: 'compute_prep_resize',
    run: async ({ migration }) => {
      const node = await deps.driver.getAvailableResource(deps.host);
      const updated = await deps.repos.migrations.update(
        migration.uuid,
        { dest_compute: deps.host, dest_node: node.hypervisor_hostname, dest_host: node.host_ip },
        [MigrationStatus.PRE_MIGRATING],
      );
      await deps.tracker.update();
      await deps.compute.resizeInstance(ctx, updated.source_compute ?? deps.host, args);
    },
    // The tracker stops counting the instance here once the migration is in error.
    undoHere: () => Promise.resolve(),
  });
}
