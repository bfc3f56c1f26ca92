import type { Logger } from '../../common/logger.js';
import type { RequestContext } from '../../common/request-context.js';
import { MigrationStatus, type Migration } from '../../objects/migration.js';
import { PowerState } from '../../objects/power-state.js';
import { VmState } from '../../objects/vm-state.js';
import type { AbortMoveArgs } from '../../rpc/contracts/compute-rpc.js';
import type { HandlerDeps } from '../handler-deps.js';
import { bindPortsHere, connectVolumesHere } from './move-devices.js';

/**
 * Puts an instance whose move failed back on this host, its source, as it was before the move:
 * the guest brought back from the disks the move set aside (left powered off; a hard reboot
 * starts it), its volumes connected and its ports bound here again, the source allocation moved
 * back from the migration's consumer onto the instance's (which drops any destination claim),
 * its old flavor; then ERROR with a fault, and the migration in `error`. Every step is tried
 * whatever happened to the one before, and what could not be done is logged: this runs on error
 * paths and must leave as little behind as it can.
 */
export async function putBackOnSource(deps: HandlerDeps, ctx: RequestContext, migration: Migration, error: AbortMoveArgs['error'], failedHost: string, log: Logger): Promise<void> {
  const uuid = migration.instance_uuid;
  const attempt = async (step: string, work: () => Promise<unknown>): Promise<void> => {
    try {
      await work();
    } catch (err) {
      log.error({ err, step }, 'could not undo a step of the failed move');
    }
  };
  await attempt('restore_guest', async () => {
    const defined = await deps.driver.getInfo(uuid).then(() => true, () => false);
    // A guest still defined here never left (the move failed before the source's step).
    if (!defined) await deps.driver.finishRevertMigration(uuid, false);
  });
  await attempt('connect_volumes', () => connectVolumesHere(deps, ctx, uuid, log));
  await attempt('bind_ports', () => bindPortsHere(deps, ctx, uuid));
  await attempt('restore_allocations', () => deps.placement.moveAllocations(migration.uuid, uuid, { consumerType: 'INSTANCE' }));
  const power = await deps.driver.getInfo(uuid).then((i) => i.power_state, () => PowerState.NOSTATE);
  await attempt('error_instance', async () => {
    const instance = await deps.repos.instances.get(uuid);
    await deps.repos.instances.update(uuid, {
      vm_state: VmState.ERROR, task_state: null, power_state: power, host: deps.host, node: migration.source_node ?? deps.host,
      flavor: instance.old_flavor ?? instance.flavor, old_flavor: null, new_flavor: null,
    });
    await deps.repos.faults.record({ instance_uuid: uuid, code: error.status, message: error.message, details: error.details, host: failedHost });
  });
  await attempt('error_migration', () => deps.repos.migrations.update(migration.uuid, { status: MigrationStatus.ERROR }));
  await attempt('update_resources', () => deps.tracker.update());
  const other = migration.dest_compute;
  if (other !== null && other !== deps.host) await attempt('update_destination_resources', () => deps.compute.updateResources(ctx, other));
  log.warn({ error: error.message, failed_host: failedHost }, 'move failed; instance put back on its source host in ERROR');
}
