import type { Kysely } from 'kysely';
import type { Clock } from '../../common/clock.js';
import { NotFoundError } from '../../common/errors.js';
import { prepareQuery, type Placeholders } from '../prepared-query.js';
import type { ApiSchema } from './api-schema.js';

type Db = Kysely<ApiSchema>;

const nextCellOfProject = prepareQuery((db: Db, p: Placeholders<{ projectId: string; after: number }>) =>
  db.selectFrom('instance_mappings').select((eb) => eb.fn.min('cell_id').as('cell_id')).where('project_id', '=', p.projectId).where('cell_id', '>', p.after),
);
// Every boot maps its instance, the conductor sets the cell, and each request that reaches an
// instance looks its mapping up: prepared once.
const insertMapping = prepareQuery((db: Db, p: Placeholders<{ instanceUuid: string; cellId: number | null; projectId: string; userId: string; now: string }>) =>
  db.insertInto('instance_mappings').values({
    instance_uuid: p.instanceUuid, cell_id: p.cellId, project_id: p.projectId, user_id: p.userId, queued_for_delete: 0, created_at: p.now, updated_at: null,
  }),
);
const mappingOf = prepareQuery((db: Db, p: Placeholders<{ instanceUuid: string }>) => db.selectFrom('instance_mappings').selectAll().where('instance_uuid', '=', p.instanceUuid));
const setCellOf = prepareQuery((db: Db, p: Placeholders<{ instanceUuid: string; cellId: number; now: string }>) =>
  db.updateTable('instance_mappings').set({ cell_id: p.cellId, updated_at: p.now }).where('instance_uuid', '=', p.instanceUuid),
);

export interface InstanceMapping {
  instance_uuid: string;
  cell_id: number | null;
  project_id: string;
  user_id: string;
  queued_for_delete: boolean;
}

/** Instance mappings: which cell holds each instance (none while it is being scheduled). */
export class InstanceMappingRepo {
  constructor(private readonly deps: { db: Kysely<ApiSchema>; clock: Clock }) {}

  async create(values: { instanceUuid: string; projectId: string; userId: string; cellId?: number | null }): Promise<void> {
    await insertMapping.run(this.deps.db, {
      instanceUuid: values.instanceUuid,
      cellId: values.cellId ?? null,
      projectId: values.projectId,
      userId: values.userId,
      now: this.deps.clock.now().toISOString(),
    });
  }

  async find(instanceUuid: string): Promise<InstanceMapping | undefined> {
    const row = await mappingOf.takeFirst(this.deps.db, { instanceUuid });
    if (row === undefined) return undefined;
    return { instance_uuid: row.instance_uuid, cell_id: row.cell_id, project_id: row.project_id, user_id: row.user_id, queued_for_delete: row.queued_for_delete === 1 };
  }

  async get(instanceUuid: string): Promise<InstanceMapping> {
    const m = await this.find(instanceUuid);
    if (m === undefined) throw new NotFoundError('compute.instance_not_found', `Instance ${instanceUuid} could not be found.`);
    return m;
  }

  /**
   * The cells a project's (or one user's) instances are mapped to, those queued for deletion
   * included (a delete that failed leaves its row live there); from an index. Quota counts sum
   * the rows of these cells.
   */
  async cellsOfProject(projectId: string, userId?: string): Promise<number[]> {
    if (userId !== undefined) {
      const rows = await this.deps.db.selectFrom('instance_mappings').select('cell_id').distinct().where('project_id', '=', projectId).where('cell_id', 'is not', null).where('user_id', '=', userId).execute();
      return rows.map((r) => r.cell_id as number).sort((a, b) => a - b);
    }
    // One index seek per cell (on project and cell) rather than a pass over all of the project's
    // mappings: a boot's quota check costs the same for ten instances as for ten thousand.
    const cells: number[] = [];
    for (let after = -1; ; ) {
      const next = (await nextCellOfProject.takeFirst(this.deps.db, { projectId, after }))?.cell_id;
      if (next === null || next === undefined) return cells;
      cells.push(Number(next));
      after = Number(next);
    }
  }

  /** The mappings of these instances (those that exist). */
  async findMany(instanceUuids: readonly string[]): Promise<InstanceMapping[]> {
    const out: InstanceMapping[] = [];
    for (let i = 0; i < instanceUuids.length; i += 500) {
      const rows = await this.deps.db.selectFrom('instance_mappings').selectAll().where('instance_uuid', 'in', instanceUuids.slice(i, i + 500)).execute();
      for (const row of rows) out.push({ instance_uuid: row.instance_uuid, cell_id: row.cell_id, project_id: row.project_id, user_id: row.user_id, queued_for_delete: row.queued_for_delete === 1 });
    }
    return out;
  }

  /** How many of these instances are the user's and not queued for deletion (server group members' quota). */
  async countLiveOfUser(instanceUuids: readonly string[], userId: string): Promise<number> {
    let count = 0;
    for (let i = 0; i < instanceUuids.length; i += 500) {
      const row = await this.deps.db
        .selectFrom('instance_mappings')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('instance_uuid', 'in', instanceUuids.slice(i, i + 500))
        .where('user_id', '=', userId)
        .where('queued_for_delete', '=', 0)
        .executeTakeFirstOrThrow();
      count += Number(row.n);
    }
    return count;
  }

  /** Every mapping, oldest first (for `tessera audit`, which checks each against the cells). */
  async list(): Promise<InstanceMapping[]> {
    const rows = await this.deps.db.selectFrom('instance_mappings').selectAll().orderBy('id').execute();
    return rows.map((row) => ({ instance_uuid: row.instance_uuid, cell_id: row.cell_id, project_id: row.project_id, user_id: row.user_id, queued_for_delete: row.queued_for_delete === 1 }));
  }

  async setCell(instanceUuid: string, cellId: number): Promise<void> {
    await setCellOf.run(this.deps.db, { instanceUuid, cellId, now: this.deps.clock.now().toISOString() });
  }

  async clearCell(instanceUuid: string): Promise<void> {
    await this.deps.db
      .updateTable('instance_mappings')
      .set({ cell_id: null, updated_at: this.deps.clock.now().toISOString() })
      .where('instance_uuid', '=', instanceUuid)
      .execute();
  }

  /** Marks the instance as on its way out (quotas stop counting it); `false` takes that back (restore). */
  async markQueuedForDelete(instanceUuid: string, queued = true): Promise<void> {
    await this.deps.db
      .updateTable('instance_mappings')
      .set({ queued_for_delete: queued ? 1 : 0, updated_at: this.deps.clock.now().toISOString() })
      .where('instance_uuid', '=', instanceUuid)
      .execute();
  }

  async delete(instanceUuid: string): Promise<void> {
    await this.deps.db.deleteFrom('instance_mappings').where('instance_uuid', '=', instanceUuid).execute();
  }
}
