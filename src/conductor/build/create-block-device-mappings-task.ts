import type { CellRepos } from '../../db/cell/cell-repos.js';
import type { NewBlockDeviceMapping } from '../../objects/block-device.js';
import type { Task } from '../tasks/task.js';

/**
 * Writes the block device mappings of a new instance into its cell (Nova's
 * _create_block_device_mapping), with the attachment ids of the volumes the API reserved, so the
 * compute finds them when it builds; rollback removes them for good.
 */
export class CreateBlockDeviceMappingsTask implements Task {
  readonly name = 'create_block_device_mappings';
  private created: string[] = [];
  constructor(private readonly deps: { repos: CellRepos; mappings: readonly NewBlockDeviceMapping[] }) {}

  async execute(): Promise<void> {
    for (const m of this.deps.mappings) this.created.push((await this.deps.repos.bdms.create(m)).uuid);
  }

  async rollback(): Promise<void> {
    await this.deps.repos.bdms.purge(this.created);
    this.created = [];
  }
}
