import type { InstanceMappingRepo } from '../../db/api/instance-mapping-repo.js';
import type { Task } from '../tasks/task.js';

/** Points the instance mapping at the cell; rollback points it back where it was. */
export class MapInstanceTask implements Task {
  readonly name = 'map_instance_to_cell';
  private previous: number | null = null;

  constructor(private readonly deps: { mappings: InstanceMappingRepo; instanceUuid: string; cellId: number }) {}

  async execute(): Promise<void> {
    this.previous = (await this.deps.mappings.get(this.deps.instanceUuid)).cell_id;
    await this.deps.mappings.setCell(this.deps.instanceUuid, this.deps.cellId);
  }

  async rollback(): Promise<void> {
    if (this.previous === null) {
      await this.deps.mappings.clearCell(this.deps.instanceUuid);
    } else {
      await this.deps.mappings.setCell(this.deps.instanceUuid, this.previous);
    }
  }
}
