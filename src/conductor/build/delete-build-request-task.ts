import { NotFoundError } from '../../common/errors.js';
import type { BuildRequestRepo } from '../../db/api/build-request-repo.js';
import type { NewBlockDeviceMapping } from '../../objects/block-device.js';
import type { Instance } from '../../objects/instance.js';
import type { Task } from '../tasks/task.js';

/**
 * Deletes the build request now that the instance lives in a cell. When it is already gone, the
 * user deleted the server while it was being scheduled: the step fails so that the conductor
 * rolls back the cell copy instead of building a server nobody wants.
 */
export class DeleteBuildRequestTask implements Task {
  readonly name = 'delete_build_request';

  constructor(private readonly deps: { buildRequests: BuildRequestRepo; instance: Instance; blockDeviceMappings: readonly NewBlockDeviceMapping[] }) {}

  async execute(): Promise<void> {
    if (!(await this.deps.buildRequests.delete(this.deps.instance.uuid))) {
      throw new NotFoundError('compute.build_request_not_found', `BuildRequest not found for instance ${this.deps.instance.uuid}`);
    }
  }

  async rollback(): Promise<void> {
    await this.deps.buildRequests.create(this.deps.instance, this.deps.blockDeviceMappings);
  }
}
