import type { Insertable, Kysely, SelectQueryBuilder, Updateable } from 'kysely';
import type { Clock } from '../../common/clock.js';
import { ConflictError, NotFoundError } from '../../common/errors.js';
import type { Instance } from '../../objects/instance.js';
import { TaskState } from '../../objects/task-state.js';
import { VmState } from '../../objects/vm-state.js';
import type { CellSchema, InstanceTable } from './cell-schema.js';
import { withTagFilters, type TagFilter } from './instance-tag-filters.js';
import { instanceToRow, rowToInstance } from './instance-row.js';
import { columnsOf, definedColumns, listOf, preparedFamily, prepareQuery, type AnyPlaceholders, type Placeholders } from '../prepared-query.js';

// Read several times by every step of every request on an instance.
const liveByUuid = prepareQuery((db: Kysely<CellSchema>, p: Placeholders<{ uuid: string }>) => db.selectFrom('instances').selectAll().where('uuid', '=', p.uuid).where('deleted', '=', 0));
const anyByUuid = prepareQuery((db: Kysely<CellSchema>, p: Placeholders<{ uuid: string }>) => db.selectFrom('instances').selectAll().where('uuid', '=', p.uuid));

// Inserts and updates write the columns each call gives: one prepared statement per set of
// columns (and, for updates, per shape of the expectation). A boot inserts one row and updates
// it twice, always with the same few shapes.
const insertRow = preparedFamily(
  (columns: readonly string[]) => columns.join(','),
  (db: Kysely<CellSchema>, p: AnyPlaceholders, columns: readonly string[]) => db.insertInto('instances').values(columnsOf(p, columns) as Insertable<InstanceTable>).returningAll(),
);

interface UpdateShape {
  columns: readonly string[];
  /** How many non-null task states are expected, and whether null is; undefined: not checked. */
  taskStates: { values: number; allowNull: boolean } | undefined;
  /** How many vm states are expected; undefined: not checked. */
  vmStates: number | undefined;
}

// What the resource tracker counts on every report and claim.
const liveOnHost = prepareQuery((db: Kysely<CellSchema>, p: Placeholders<{ host: string }>) =>
  db.selectFrom('instances').selectAll().where('hidden', '=', 0).where('deleted', '=', 0).where('host', '=', p.host).orderBy('id'),
);

// A boot's quota check: the project's (or one user's) sums, the excluded uuids' rows, the hidden copies.
// The sums the triggers keep (migration 007): one row per user of the project.
const countedSums = preparedFamily(
  (byUser: boolean) => String(byUser),
  (db: Kysely<CellSchema>, p: AnyPlaceholders, byUser: boolean) => {
    const q = db
      .selectFrom('quota_usage')
      .select((eb) => [eb.fn.sum<number | string | null>('instances').as('n'), eb.fn.sum<number | string | null>('cores').as('vcpus'), eb.fn.sum<number | string | null>('ram').as('memory_mb')])
      .where('project_id', '=', p['project'] as string);
    return byUser ? q.where('user_id', '=', p['user'] as string) : q;
  },
);
const countedByUuids = preparedFamily(String, (db: Kysely<CellSchema>, p: AnyPlaceholders, n: number) =>
  countableRows(db.selectFrom('instances')).select(['uuid', 'project_id', 'user_id', 'vcpus', 'memory_mb']).where('uuid', 'in', listOf<string>(p, 'u', n)),
  128,
);
const hiddenCopies = preparedFamily(
  (byUser: boolean) => String(byUser),
  (db: Kysely<CellSchema>, p: AnyPlaceholders, byUser: boolean) => {
    const q = db.selectFrom('instances').select(['uuid', 'vcpus', 'memory_mb']).where('project_id', '=', p['project'] as string).where('deleted', '=', 0).where('hidden', '=', 1);
    return byUser ? q.where('user_id', '=', p['user'] as string) : q;
  },
);

const updateRow = preparedFamily(
  (s: UpdateShape) => `${s.columns.join(',')}|${s.taskStates === undefined ? '-' : `${s.taskStates.values}${s.taskStates.allowNull ? '+null' : ''}`}|${s.vmStates ?? '-'}`,
  (db: Kysely<CellSchema>, p: AnyPlaceholders, s: UpdateShape) => {
    let q = db
      .updateTable('instances')
      .set(columnsOf(p, s.columns) as Updateable<InstanceTable>)
      .where('uuid', '=', p['uuid'] as string)
      .where('deleted', '=', 0);
    const task = s.taskStates;
    if (task !== undefined) {
      q = q.where((eb) => {
        const ors = [];
        if (task.values > 0) ors.push(eb('task_state', 'in', listOf<string>(p, 't', task.values)));
        if (task.allowNull) ors.push(eb('task_state', 'is', null));
        return eb.or(ors);
      });
    }
    if (s.vmStates !== undefined) q = q.where('vm_state', 'in', listOf<string>(p, 'v', s.vmStates));
    return q.returningAll();
  },
  128,
);


/** Fields a caller may change; JSON columns are passed decoded. */
export type InstanceChanges = Partial<
  Pick<
    Instance,
    | 'display_name' | 'display_description' | 'hostname' | 'vm_state' | 'task_state' | 'power_state' | 'host' | 'node' | 'availability_zone' | 'launched_at'
    | 'terminated_at' | 'progress' | 'locked' | 'metadata' | 'system_metadata' | 'hidden' | 'flavor' | 'old_flavor' | 'new_flavor' | 'deleted_at'
  >
>;

/** What an update expects to find: compare-and-swap on task_state (and optionally vm_state). */
export interface Expectation {
  taskState?: (string | null)[];
  vmState?: string[];
}

export interface InstanceFilter extends TagFilter {
  projectId?: string;
  /** Include soft-deleted rows too. */
  includeDeleted?: boolean;
  /** Only soft-deleted rows. */
  onlyDeleted?: boolean;
  /**
   * Nova's `soft_deleted` rule for servers in vm_state `soft-delete` (deleted by a user, waiting to
   * be reclaimed): false leaves them out of the live rows, true adds them to `onlyDeleted`. Unset,
   * the rows' vm_state decides nothing (other than `vmStates`).
   */
  softDeleted?: boolean;
  hosts?: string[];
  vmStates?: string[];
  uuids?: string[];
  changesSince?: string;
  changesBefore?: string;
  userId?: string;
  availabilityZone?: string;
  flavorId?: string;
  imageRef?: string;
  reservationId?: string;
}

/** Instances, vCPUs and RAM (MiB): what instance quotas count. */
export interface ResourceUsage {
  instances: number;
  cores: number;
  ram: number;
}

/** What an audit compares of one instance row: enough to tell which copy is the instance's. */
export type InstanceCopy = Pick<Instance, 'uuid' | 'hidden' | 'host' | 'node' | 'vm_state' | 'task_state' | 'project_id'>;

/** Instances of one cell. State changes go through `update` with an expectation, never blind. */
export class InstanceRepo {
  constructor(private readonly deps: { db: Kysely<CellSchema>; clock: Clock }) {}

  /** Inserts the instance and the tags it was created with, together. */
  async create(instance: Instance): Promise<Instance> {
    const tags = [...new Set(instance.tags ?? [])];
    // Without tags the insert is one statement, atomic on its own.
    if (tags.length === 0) {
      const { columns, values } = definedColumns(instanceToRow(instance));
      const row = await insertRow.of(columns).takeFirst(this.deps.db, { columns: values });
      if (row === undefined) throw new Error(`inserting instance ${instance.uuid} returned no row`);
      return rowToInstance(row);
    }
    const row = await this.deps.db.transaction().execute(async (trx) => {
      const inserted = await trx.insertInto('instances').values(instanceToRow(instance)).returningAll().executeTakeFirstOrThrow();
      if (tags.length > 0) await trx.insertInto('tags').values(tags.map((tag) => ({ resource_id: instance.uuid, tag }))).execute();
      return inserted;
    });
    return rowToInstance(row);
  }

  async find(uuid: string, options: { includeDeleted?: boolean } = {}): Promise<Instance | undefined> {
    const row = await (options.includeDeleted === true ? anyByUuid : liveByUuid).takeFirst(this.deps.db, { uuid });
    return row && rowToInstance(row);
  }

  async get(uuid: string): Promise<Instance> {
    const i = await this.find(uuid);
    if (i === undefined) throw new NotFoundError('compute.instance_not_found', `Instance ${uuid} could not be found.`);
    return i;
  }

  /**
   * Applies the changes when the row still matches the expectation; otherwise throws a
   * ConflictError naming what was expected and what was found, so two racing actions cannot both win.
   */
  async update(uuid: string, changes: InstanceChanges, expect: Expectation = {}): Promise<Instance> {
    const { flavor, old_flavor: oldFlavor, new_flavor: newFlavor, ...plain } = changes;
    const set: Updateable<InstanceTable> = { ...plain, updated_at: this.deps.clock.now().toISOString() } as Updateable<InstanceTable>;
    if (flavor !== undefined || oldFlavor !== undefined || newFlavor !== undefined) {
      // The three flavors share one JSON column: the ones not changed are kept as they are.
      const current = await this.get(uuid);
      const cur = flavor ?? current.flavor;
      set.flavor = JSON.stringify({ cur, old: oldFlavor === undefined ? current.old_flavor : oldFlavor, new: newFlavor === undefined ? current.new_flavor : newFlavor });
      set.vcpus = cur.vcpus;
      set.memory_mb = cur.memory_mb;
    }
    if (changes.metadata !== undefined) set.metadata = JSON.stringify(changes.metadata);
    if (changes.system_metadata !== undefined) set.system_metadata = JSON.stringify(changes.system_metadata);
    if (changes.locked !== undefined) set.locked = changes.locked ? 1 : 0;
    if (changes.hidden !== undefined) set.hidden = changes.hidden ? 1 : 0;
    const { columns, values } = definedColumns(set);
    const taskStates = expect.taskState?.filter((s): s is string => s !== null);
    const shape: UpdateShape = {
      columns,
      taskStates: taskStates === undefined ? undefined : { values: taskStates.length, allowNull: expect.taskState?.includes(null) === true },
      vmStates: expect.vmState?.length,
    };
    const row = await updateRow.of(shape).takeFirst(this.deps.db, { columns: values, uuid, t: taskStates, v: expect.vmState });
    if (row === undefined) {
      const actual = await this.get(uuid);
      throw new ConflictError('compute.unexpected_state', `Conflict updating instance ${uuid}. Expected: ${JSON.stringify({ task_state: expect.taskState, vm_state: expect.vmState })}. Actual: ${JSON.stringify({ task_state: actual.task_state, vm_state: actual.vm_state })}`, {
        details: { expected_task_state: expect.taskState, actual_task_state: actual.task_state, actual_vm_state: actual.vm_state },
      });
    }
    return rowToInstance(row);
  }

  /**
   * Soft-deletes the instance as Nova does (deleted = id, vm_state deleted), with its block device
   * mappings, virtual interfaces, network info cache and migrations; its tags go for good.
   */
  async softDelete(uuid: string): Promise<void> {
    const now = this.deps.clock.now().toISOString();
    await this.deps.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('instances')
        .set((eb) => ({ deleted: eb.ref('id'), deleted_at: now, updated_at: now, vm_state: 'deleted', task_state: null, terminated_at: now }))
        .where('uuid', '=', uuid)
        .where('deleted', '=', 0)
        .execute();
      await trx.deleteFrom('tags').where('resource_id', '=', uuid).execute();
      for (const table of ['block_device_mapping', 'virtual_interfaces', 'instance_info_caches', 'migrations'] as const) {
        await trx
          .updateTable(table)
          .set((eb) => ({ deleted: eb.ref('id'), deleted_at: now, updated_at: now }))
          .where('instance_uuid', '=', uuid)
          .where('deleted', '=', 0)
          .execute();
      }
    });
  }

  /** Removes the row for good; for rollbacks of a row that a failed flow created. */
  async hardDelete(uuid: string): Promise<void> {
    const actionIds = this.deps.db.selectFrom('instance_actions').select('id').where('instance_uuid', '=', uuid);
    await this.deps.db.deleteFrom('instance_actions_events').where('action_id', 'in', actionIds).execute();
    await this.deps.db.deleteFrom('instance_actions').where('instance_uuid', '=', uuid).execute();
    await this.deps.db.deleteFrom('instance_faults').where('instance_uuid', '=', uuid).execute();
    await this.deps.db.deleteFrom('tags').where('resource_id', '=', uuid).execute();
    for (const table of ['block_device_mapping', 'virtual_interfaces', 'instance_info_caches', 'migrations'] as const) {
      await this.deps.db.deleteFrom(table).where('instance_uuid', '=', uuid).execute();
    }
    await this.deps.db.deleteFrom('instances').where('uuid', '=', uuid).execute();
  }

  async list(filter: InstanceFilter = {}): Promise<Instance[]> {
    let q = this.deps.db.selectFrom('instances').selectAll().where('hidden', '=', 0);
    if (filter.onlyDeleted === true) {
      q = filter.softDeleted === true ? q.where((eb) => eb.or([eb('deleted', '!=', 0), eb('vm_state', '=', VmState.SOFT_DELETED)])) : q.where('deleted', '!=', 0);
    } else if (filter.includeDeleted !== true) {
      q = q.where('deleted', '=', 0);
      if (filter.softDeleted === false) q = q.where((eb) => eb.or([eb('vm_state', '!=', VmState.SOFT_DELETED), eb('vm_state', 'is', null)]));
    }
    if (filter.projectId !== undefined) q = q.where('project_id', '=', filter.projectId);
    if (filter.userId !== undefined) q = q.where('user_id', '=', filter.userId);
    if (filter.hosts !== undefined) q = q.where('host', 'in', filter.hosts.length > 0 ? filter.hosts : ['']);
    if (filter.vmStates !== undefined) q = q.where('vm_state', 'in', filter.vmStates.length > 0 ? filter.vmStates : ['']);
    if (filter.uuids !== undefined) q = q.where('uuid', 'in', filter.uuids.length > 0 ? filter.uuids : ['']);
    if (filter.changesSince !== undefined) q = q.where((eb) => eb.or([eb('updated_at', '>=', filter.changesSince as string), eb.and([eb('updated_at', 'is', null), eb('created_at', '>=', filter.changesSince as string)])]));
    if (filter.changesBefore !== undefined) q = q.where((eb) => eb.or([eb('updated_at', '<=', filter.changesBefore as string), eb.and([eb('updated_at', 'is', null), eb('created_at', '<=', filter.changesBefore as string)])]));
    if (filter.availabilityZone !== undefined) q = q.where('availability_zone', '=', filter.availabilityZone);
    if (filter.imageRef !== undefined) q = q.where('image_ref', '=', filter.imageRef);
    if (filter.reservationId !== undefined) q = q.where('reservation_id', '=', filter.reservationId);
    q = withTagFilters(q, filter);
    const rows = (await q.orderBy('id').execute()).map(rowToInstance);
    return filter.flavorId === undefined ? rows : rows.filter((i) => i.flavor.flavorid === filter.flavorId);
  }

  /**
   * What a project's (or one user's) live rows of this cell hold, for quota counts: the count,
   * vCPUs and RAM of the visible rows that are neither soft-deleted nor being deleted, leaving
   * out `exclude` (instances counted elsewhere); and, one by one, the hidden rows (copies of an
   * instance in a cross-cell move), which the caller counts or not by where the instance's
   * mapping points. The sums are the ones the database's triggers keep per project and user
   * (migration 007), so the cost does not grow with the project.
   */
  async quotaUsage(projectId: string, options: { userId?: string; exclude?: readonly string[] } = {}): Promise<{ visible: ResourceUsage; hidden: (ResourceUsage & { uuid: string })[] }> {
    const byUser = options.userId !== undefined;
    const who = { project: projectId, user: options.userId };
    const sums = await countedSums.of(byUser).takeFirst(this.deps.db, who);
    const visible: ResourceUsage = { instances: Number(sums?.n ?? 0), cores: Number(sums?.vcpus ?? 0), ram: Number(sums?.memory_mb ?? 0) };
    if (options.exclude !== undefined && options.exclude.length > 0) {
      // An excluded instance with a counted row here is one the conductor placed since the caller
      // read it as waiting (its build may even have started since). Only those rows are read, by
      // uuid; a NOT IN on the sum would test every row of the project. The project and user are
      // checked here, not in SQL: with them in the WHERE clause SQLite walks the project's quota
      // index (every row of the project) instead of probing the uuid index once per uuid.
      for (let i = 0; i < options.exclude.length; i += 500) {
        const chunk = options.exclude.slice(i, i + 500);
        for (const r of await countedByUuids.of(chunk.length).rows(this.deps.db, { u: chunk })) {
          if (r.project_id !== projectId || (options.userId !== undefined && r.user_id !== options.userId)) continue;
          visible.instances -= 1;
          visible.cores -= r.vcpus;
          visible.ram -= r.memory_mb;
        }
      }
    }
    const hidden = (await hiddenCopies.of(byUser).rows(this.deps.db, who)).map((r) => ({ uuid: r.uuid, instances: 1, cores: r.vcpus, ram: r.memory_mb }));
    return { visible, hidden };
  }

  /**
   * What these instances' visible rows hold, of those that `quotaUsage` counts in its sums (the
   * other copies of instances that have a hidden copy somewhere).
   */
  async countedResources(uuids: readonly string[]): Promise<Map<string, ResourceUsage>> {
    const out = new Map<string, ResourceUsage>();
    for (let i = 0; i < uuids.length; i += 500) {
      const rows = await countableRows(this.deps.db.selectFrom('instances')).select(['uuid', 'vcpus', 'memory_mb']).where('uuid', 'in', uuids.slice(i, i + 500)).execute();
      for (const r of rows) out.set(r.uuid, { instances: 1, cores: r.vcpus, ram: r.memory_mb });
    }
    return out;
  }

  /** Which host each live instance is on (only instances that have one); cheap, for the scheduler. */
  async hostsOfInstances(): Promise<{ uuid: string; host: string }[]> {
    const rows = await this.deps.db.selectFrom('instances').select(['uuid', 'host']).where('deleted', '=', 0).where('host', 'is not', null).execute();
    return rows as { uuid: string; host: string }[];
  }

  /**
   * Every live (not soft-deleted) row of the cell, hidden copies included, with only the columns
   * that tell where an instance lives; for `tessera audit`, which compares the cells.
   */
  async listCopies(): Promise<InstanceCopy[]> {
    const rows = await this.deps.db
      .selectFrom('instances')
      .select(['uuid', 'hidden', 'host', 'node', 'vm_state', 'task_state', 'project_id'])
      .where('deleted', '=', 0)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ ...r, hidden: r.hidden === 1 }));
  }

  /** Instances on a host (what the resource tracker counts). */
  async onHost(host: string): Promise<Instance[]> {
    return (await liveOnHost.rows(this.deps.db, { host })).map(rowToInstance);
  }
}

/**
 * Visible live rows that count against quota: not soft-deleted and not on their way out. The
 * triggers of migration 007 keep `quota_usage` by the same rule; change both together.
 */
function countableRows<O>(q: SelectQueryBuilder<CellSchema, 'instances', O>): SelectQueryBuilder<CellSchema, 'instances', O> {
  return q
    .where('deleted', '=', 0)
    .where('hidden', '=', 0)
    .where('vm_state', '!=', VmState.SOFT_DELETED)
    .where((eb) => eb.or([eb('task_state', 'is', null), eb('task_state', 'not in', [TaskState.DELETING, TaskState.SOFT_DELETING])]));
}
