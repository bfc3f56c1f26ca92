import type { Kysely } from 'kysely';
import type { Clock } from '../../common/clock.js';
import type { NewBlockDeviceMapping } from '../../objects/block-device.js';
import type { Instance } from '../../objects/instance.js';
import type { ApiSchema } from './api-schema.js';

/**
 * Build requests: the instance as the API knows it between the POST and the moment the conductor
 * creates it in a cell. Listing and showing servers read them, so a new server is visible at once.
 */
export class BuildRequestRepo {
  constructor(private readonly deps: { db: Kysely<ApiSchema>; clock: Clock }) {}

  /** `blockDeviceMappings`: the instance's devices, with the attachments the API reserved. */
  async create(instance: Instance, blockDeviceMappings: readonly NewBlockDeviceMapping[] = []): Promise<void> {
    await this.deps.db
      .insertInto('build_requests')
      .values({
        instance_uuid: instance.uuid,
        project_id: instance.project_id,
        user_id: instance.user_id,
        instance: JSON.stringify(instance),
        vcpus: instance.flavor.vcpus,
        memory_mb: instance.flavor.memory_mb,
        block_device_mappings: blockDeviceMappings.length === 0 ? null : JSON.stringify(blockDeviceMappings),
        created_at: this.deps.clock.now().toISOString(),
        updated_at: null,
      })
      .execute();
  }

  async find(instanceUuid: string): Promise<Instance | undefined> {
    const row = await this.deps.db.selectFrom('build_requests').select('instance').where('instance_uuid', '=', instanceUuid).executeTakeFirst();
    return row && (JSON.parse(row.instance) as Instance);
  }

  /** The instance and its block device mappings in one read; undefined when the build request is gone. */
  async findWithDevices(instanceUuid: string): Promise<{ instance: Instance; blockDeviceMappings: NewBlockDeviceMapping[] } | undefined> {
    const row = await this.deps.db.selectFrom('build_requests').select(['instance', 'block_device_mappings']).where('instance_uuid', '=', instanceUuid).executeTakeFirst();
    if (row === undefined) return undefined;
    return { instance: JSON.parse(row.instance) as Instance, blockDeviceMappings: row.block_device_mappings === null ? [] : (JSON.parse(row.block_device_mappings) as NewBlockDeviceMapping[]) };
  }

  /** The block device mappings of the build request; undefined when the build request is gone. */
  async blockDeviceMappings(instanceUuid: string): Promise<NewBlockDeviceMapping[] | undefined> {
    const row = await this.deps.db.selectFrom('build_requests').select('block_device_mappings').where('instance_uuid', '=', instanceUuid).executeTakeFirst();
    if (row === undefined) return undefined;
    return row.block_device_mappings === null ? [] : (JSON.parse(row.block_device_mappings) as NewBlockDeviceMapping[]);
  }

  /** Build requests of one project, or of all projects when `projectId` is undefined. */
  async list(projectId: string | undefined): Promise<Instance[]> {
    let q = this.deps.db.selectFrom('build_requests').select('instance');
    if (projectId !== undefined) q = q.where('project_id', '=', projectId);
    return (await q.execute()).map((r) => JSON.parse(r.instance) as Instance);
  }

  /**
   * The instances of a project (of one user) that count against its quota while they wait for a
   * cell: build requests whose mapping is neither queued for deletion nor in a cell yet, with the
   * vCPUs and RAM they asked for. One statement, so an instance the conductor is placing meanwhile
   * is either here or already mapped to its cell.
   */
  async waitingOf(projectId: string, userId?: string): Promise<{ uuid: string; vcpus: number; memory_mb: number }[]> {
    let q = this.deps.db
      .selectFrom('instance_mappings as m')
      .innerJoin('build_requests as b', 'b.instance_uuid', 'm.instance_uuid')
      .select(['b.instance_uuid as uuid', 'b.vcpus', 'b.memory_mb'])
      .where('m.project_id', '=', projectId)
      .where('m.queued_for_delete', '=', 0)
      .where('m.cell_id', 'is', null);
    if (userId !== undefined) q = q.where('b.user_id', '=', userId);
    return q.execute();
  }

  /** Deletes it; false when it was already gone (the conductor or a delete got there first). */
  async delete(instanceUuid: string): Promise<boolean> {
    const res = await this.deps.db.deleteFrom('build_requests').where('instance_uuid', '=', instanceUuid).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }
}
