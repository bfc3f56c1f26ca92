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

  /** The vCPUs and RAM asked for by these build requests (those that still exist), by instance uuid. */
  async resourcesOf(instanceUuids: readonly string[]): Promise<Map<string, { vcpus: number; memory_mb: number }>> {
    const out = new Map<string, { vcpus: number; memory_mb: number }>();
    for (let i = 0; i < instanceUuids.length; i += 500) {
      const rows = await this.deps.db.selectFrom('build_requests').select(['instance_uuid', 'vcpus', 'memory_mb']).where('instance_uuid', 'in', instanceUuids.slice(i, i + 500)).execute();
      for (const row of rows) out.set(row.instance_uuid, { vcpus: row.vcpus, memory_mb: row.memory_mb });
    }
    return out;
  }

  /** Deletes it; false when it was already gone (the conductor or a delete got there first). */
  async delete(instanceUuid: string): Promise<boolean> {
    const res = await this.deps.db.deleteFrom('build_requests').where('instance_uuid', '=', instanceUuid).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }
}
