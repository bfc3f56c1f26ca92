import { elevated } from '../../common/request-context.js';
import { runTasks } from '../tasks/task-runner.js';
import { finishAtDestTask, prepAtDestTask, prepAtSourceTask, switchCellsTask, targetDbSetupTask, type CrossCellMove } from './cross-cell-tasks.js';

/**
 * A resize or cold migration to a host of another cell (Nova's CrossCellMigrationTask), snapshot
 * based, after the migration was recorded, the source allocation swapped and the destination
 * claimed: target database set-up, preparation at the destination, then at the source, the guest
 * built at the destination, and the switch of cells; each a task undone in reverse when a later
 * one fails (the caller then restores allocations and, once the source took part, has it take the
 * instance back in ERROR). The temporary snapshot is deleted once the guest is built.
 */
export async function runCrossCellMove(m: CrossCellMove): Promise<void> {
  const volumeBacked = (await m.source.repos.bdms.list(m.instance.uuid)).some((b) => b.boot_index === 0 && b.destination_type === 'volume');
  const xlog = m.log;
  await runTasks([targetDbSetupTask(m), prepAtDestTask(m), prepAtSourceTask(m, volumeBacked), finishAtDestTask(m), switchCellsTask(m)], xlog, m.faults);
  if (m.snapshotId !== null) {
    const id = m.snapshotId;
    await m.images.delete(elevated(m.ctx), id).catch((err: unknown) => xlog.error({ err, image_id: id }, 'could not delete the temporary snapshot; the audit will find it'));
  }
  xlog.info('cross-cell move finished; the server waits in VERIFY_RESIZE in the target cell');
}
