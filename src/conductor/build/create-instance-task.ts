import type { RequestContext } from '../../common/request-context.js';
import type { CellRepos } from '../../db/cell/cell-repos.js';
import type { Instance } from '../../objects/instance.js';
import type { Task } from '../tasks/task.js';

/**
 * Writes the instance and its `create` action into its cell's database; rollback removes both.
 * `actionId` is the action's id once it ran, for the events the conductor records under it.
 */
export class CreateInstanceTask implements Task {
  readonly name = 'create_instance_in_cell';
  actionId: number | undefined;

  constructor(private readonly deps: { repos: CellRepos; instance: Instance; ctx: RequestContext }) {}

  async execute(): Promise<void> {
    const { repos, instance, ctx } = this.deps;
    await repos.instances.create(instance);
    try {
      this.actionId = await repos.actions.start({ action: 'create', instanceUuid: instance.uuid, requestId: ctx.requestId, userId: instance.user_id, projectId: instance.project_id });
    } catch (err) {
      // A failed task is not rolled back by the runner: take the row out here, or it stays behind.
      await this.rollback();
      throw err;
    }
  }

  async rollback(): Promise<void> {
    await this.deps.repos.instances.hardDelete(this.deps.instance.uuid);
  }
}
