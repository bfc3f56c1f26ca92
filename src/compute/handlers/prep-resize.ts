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
    },
    // The tracker stops counting the instance here once the migration is in error.
    undoHere: () => Promise.resolve(),
  });
}
