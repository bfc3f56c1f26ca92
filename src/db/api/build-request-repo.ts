import { sql, type Kysely } from 'kysely';
import type { Clock } from '../../common/clock.js';
import type { NewBlockDeviceMapping } from '../../objects/block-device.js';
import type { Instance } from '../../objects/instance.js';
import { prepareQuery, type Placeholders } from '../prepared-query.js';
import type { ApiSchema, BuildRequestTable } from './api-schema.js';

type Db = Kysely<ApiSchema>;
type NewBuildRequest = Omit<BuildRequestTable, 'id' | 'vcpus' | 'memory_mb'> & { vcpus: number; memory_mb: number };

// Every boot writes a build request, reads it back in the conductor and deletes it, and its quota
// check sums the waiting ones (of the project, or of one user: two shapes): prepared once each.
const insertBuildRequest = prepareQuery((db: Db, p: Placeholders<NewBuildRequest>) =>
  db.insertInto('build_requests').values({
    instance_uuid: p.instance_uuid, project_id: p.project_id, user_id: p.user_id, instance: p.instance, vcpus: p.vcpus, memory_mb: p.memory_mb,
    block_device_mappings: p.block_device_mappings, created_at: p.created_at, updated_at: p.updated_at,
  }),
);
const withDevices = prepareQuery((db: Db, p: Placeholders<{ instanceUuid: string }>) =>
  db.selectFrom('build_requests').select(['instance', 'block_device_mappings']).where('instance_uuid', '=', p.instanceUuid),
);
const deleteBuildRequest = prepareQuery((db: Db, p: Placeholders<{ instanceUuid: string }>) => db.deleteFrom('build_requests').where('instance_uuid', '=', p.instanceUuid));
// One row of sums and the uuids joined by commas: a row per waiting build (each a JavaScript
// object) cost several times as much at 64 boots in flight. string_agg is SQLite's (3.44+) and
// PostgreSQL's. The sums alone serve a count that does not need to know which instances wait.
const waitingSums = (db: Db, projectId: string) =>
  db
    .selectFrom('instance_mappings as m')
    .innerJoin('build_requests as b', 'b.instance_uuid', 'm.instance_uuid')
    .select((eb) => [
      eb.fn.countAll<number | string>().as('n'),
      eb.fn.sum<number | string | null>('b.vcpus').as('vcpus'),
      eb.fn.sum<number | string | null>('b.memory_mb').as('memory_mb'),
    ])
    .where('m.project_id', '=', projectId)
    .where('m.queued_for_delete', '=', 0)
    .where('m.cell_id', 'is', null);
const waitingQuery = (db: Db, projectId: string) => waitingSums(db, projectId).select(sql<string | null>`string_agg(${sql.ref('b.instance_uuid')}, ',')`.as('uuids'));
const waitingOfProject = prepareQuery((db: Db, p: Placeholders<{ projectId: string }>) => waitingQuery(db, p.projectId));
const waitingOfUser = prepareQuery((db: Db, p: Placeholders<{ projectId: string; userId: string }>) => waitingQuery(db, p.projectId).where('b.user_id', '=', p.userId));
const waitingSumsOfProject = prepareQuery((db: Db, p: Placeholders<{ projectId: string }>) => waitingSums(db, p.projectId));
const waitingSumsOfUser = prepareQuery((db: Db, p: Placeholders<{ projectId: string; userId: string }>) => waitingSums(db, p.projectId).where('b.user_id', '=', p.userId));

/** What the build requests waiting for a cell hold, and which instances they are. */
export interface WaitingBuilds {
  usage: { instances: number; cores: number; ram: number };
  uuids: string[];
}

/**
 * Build requests: the instance as the API knows it between the POST and the moment the conductor
 * creates it in a cell. Listing and showing servers read them, so a new server is visible at once.
 */
export class BuildRequestRepo {
  constructor(private readonly deps: { db: Kysely<ApiSchema>; clock: Clock }) {}

  /** `blockDeviceMappings`: the instance's devices, with the attachments the API reserved. */
  async create(instance: Instance, blockDeviceMappings: readonly NewBlockDeviceMapping[] = []): Promise<void> {
    await insertBuildRequest.run(this.deps.db, {
      instance_uuid: instance.uuid,
      project_id: instance.project_id,
      user_id: instance.user_id,
      instance: JSON.stringify(instance),
      vcpus: instance.flavor.vcpus,
      memory_mb: instance.flavor.memory_mb,
      block_device_mappings: blockDeviceMappings.length === 0 ? null : JSON.stringify(blockDeviceMappings),
      created_at: this.deps.clock.now().toISOString(),
      updated_at: null,
    });
  }

  async find(instanceUuid: string): Promise<Instance | undefined> {
    const row = await this.deps.db.selectFrom('build_requests').select('instance').where('instance_uuid', '=', instanceUuid).executeTakeFirst();
    return row && (JSON.parse(row.instance) as Instance);
  }

  /** The instance and its block device mappings in one read; undefined when the build request is gone. */
  async findWithDevices(instanceUuid: string): Promise<{ instance: Instance; blockDeviceMappings: NewBlockDeviceMapping[] } | undefined> {
    const row = await withDevices.takeFirst(this.deps.db, { instanceUuid });
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
   * vCPUs and RAM they asked for, summed, and their uuids. One statement, so an instance the
   * conductor is placing meanwhile is either here or already mapped to its cell. With
   * `withUuids: false` only the sums (`uuids` is then empty).
   */
  async waitingOf(projectId: string, userId?: string, options: { withUuids?: boolean } = {}): Promise<WaitingBuilds> {
    if (options.withUuids === false) {
      const sums = userId !== undefined ? await waitingSumsOfUser.takeFirst(this.deps.db, { projectId, userId }) : await waitingSumsOfProject.takeFirst(this.deps.db, { projectId });
      return { usage: usageOf(sums), uuids: [] };
    }
    const row = userId !== undefined ? await waitingOfUser.takeFirst(this.deps.db, { projectId, userId }) : await waitingOfProject.takeFirst(this.deps.db, { projectId });
    return { usage: usageOf(row), uuids: row?.uuids ? row.uuids.split(',') : [] };
  }

  /** Deletes it; false when it was already gone (the conductor or a delete got there first). */
  async delete(instanceUuid: string): Promise<boolean> {
    const res = await deleteBuildRequest.run(this.deps.db, { instanceUuid });
    return Number(res.numAffectedRows ?? 0n) > 0;
  }
}

function usageOf(row: { n: number | string; vcpus: number | string | null; memory_mb: number | string | null } | undefined): WaitingBuilds['usage'] {
  return { instances: Number(row?.n ?? 0), cores: Number(row?.vcpus ?? 0), ram: Number(row?.memory_mb ?? 0) };
}
