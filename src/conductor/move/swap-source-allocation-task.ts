import type { PlacementClient } from '../../placement/index.js';
import type { Task } from '../tasks/task.js';

/**
 * Moves the instance's allocation on its current node to the migration's consumer (Nova's
 * allocation swap), so that the instance's consumer is free to take the destination's claim.
 * Rollback moves it back, which also replaces (drops) a destination claim made meanwhile; when the
 * instance had no allocation to move, rollback drops whatever claim it took since.
 */
export class SwapSourceAllocationTask implements Task {
  readonly name = 'swap_source_allocation';
  private moved = false;

  constructor(private readonly deps: { placement: PlacementClient; instanceUuid: string; migrationUuid: string }) {}

  async execute(): Promise<void> {
    this.moved = await this.deps.placement.moveAllocations(this.deps.instanceUuid, this.deps.migrationUuid, { consumerType: 'MIGRATION' });
  }

  async rollback(): Promise<void> {
    if (this.moved) await this.deps.placement.moveAllocations(this.deps.migrationUuid, this.deps.instanceUuid, { consumerType: 'INSTANCE' });
    else await this.deps.placement.deleteAllocations(this.deps.instanceUuid);
  }
}
