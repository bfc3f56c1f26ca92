import type { Kysely, Selectable, Updateable } from 'kysely';
import type { Clock } from '../../common/clock.js';
import { ConflictError, NotFoundError } from '../../common/errors.js';
import { DONE_MIGRATION_STATUSES, type Migration, type MigrationType, type NewMigration } from '../../objects/migration.js';
import type { CellSchema, MigrationTable } from './cell-schema.js';
import { prepareQuery, type Placeholders } from '../prepared-query.js';

// Every resource report and claim reads the moves of its host.
const openOnHost = prepareQuery((db: Kysely<CellSchema>, p: Placeholders<{ host: string }>) =>
  db
    .selectFrom('migrations')
    .selectAll()
    .where((eb) => eb.or([eb('source_compute', '=', p.host), eb('dest_compute', '=', p.host)]))
    .where('status', 'not in', [...DONE_MIGRATION_STATUSES])
    .where('deleted', '=', 0),
);

/** Fields of a migration that change as the move goes on. */
export type MigrationChanges = Partial<Pick<Migration, 'status' | 'source_compute' | 'source_node' | 'dest_compute' | 'dest_node' | 'dest_host' | 'hidden' | 'cross_cell_move'>>;

export interface MigrationFilter {
  instanceUuid?: string;
  /** Any of these statuses. */
  statuses?: string[];
  /** Source or destination compute. */
  host?: string;
  /** Source compute only (ignored when `host` is given, as Nova). */
  sourceCompute?: string;
  migrationType?: MigrationType;
  userId?: string;
  projectId?: string;
  changesSince?: string;
  changesBefore?: string;
  /** Hidden copies too (a cross-cell move keeps one in each cell). */
  includeHidden?: boolean;
  /** Only migrations after this one in the listing order, for paging by marker. */
  after?: MigrationSortKey;
  /** At most this many; 0 gives none. */
  limit?: number;
}

/**
 * Where a migration sits in the listing order: created_at, then id, then uuid, all descending.
 * The uuid makes the order total when rows of two cells share a time and a cell-local id.
 */
export type MigrationSortKey = Pick<Migration, 'created_at' | 'id' | 'uuid'>;

/** The migrations of one cell. Status changes may name the statuses they expect (compare-and-swap). */
export class MigrationRepo {
  constructor(private readonly deps: { db: Kysely<CellSchema>; clock: Clock }) {}

  async create(m: NewMigration): Promise<Migration> {
    const now = this.deps.clock.now().toISOString();
    await this.deps.db
      .insertInto('migrations')
      .values({
        uuid: m.uuid,
        instance_uuid: m.instance_uuid,
        source_compute: m.source_compute,
        source_node: m.source_node,
        dest_compute: m.dest_compute,
        dest_node: m.dest_node,
        dest_host: m.dest_host,
        old_instance_type_id: m.old_instance_type_id,
        new_instance_type_id: m.new_instance_type_id,
        status: m.status,
        migration_type: m.migration_type,
        cross_cell_move: m.cross_cell_move === true ? 1 : 0,
        hidden: m.hidden === true ? 1 : 0,
        user_id: m.user_id,
        project_id: m.project_id,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      })
      .execute();
    return this.get(m.uuid);
  }

  async find(uuid: string): Promise<Migration | undefined> {
    const row = await this.deps.db.selectFrom('migrations').selectAll().where('uuid', '=', uuid).where('deleted', '=', 0).executeTakeFirst();
    return row && rowToMigration(row);
  }

  /** @throws NotFoundError `compute.migration_not_found`. */
  async get(uuid: string): Promise<Migration> {
    const m = await this.find(uuid);
    if (m === undefined) throw new NotFoundError('compute.migration_not_found', `Migration ${uuid} could not be found.`);
    return m;
  }

  /**
   * Applies the changes; with `expectStatuses`, only while the migration is in one of them, else a
   * ConflictError, so that two flows (say a revert and the auto-confirm) cannot both move it on.
   */
  async update(uuid: string, changes: MigrationChanges, expectStatuses?: string[]): Promise<Migration> {
    const set: Updateable<MigrationTable> = { ...changes, updated_at: this.deps.clock.now().toISOString() } as Updateable<MigrationTable>;
    if (changes.hidden !== undefined) set.hidden = changes.hidden ? 1 : 0;
    if (changes.cross_cell_move !== undefined) set.cross_cell_move = changes.cross_cell_move ? 1 : 0;
    let q = this.deps.db.updateTable('migrations').set(set).where('uuid', '=', uuid).where('deleted', '=', 0);
    if (expectStatuses !== undefined) q = q.where('status', 'in', expectStatuses);
    const res = await q.executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) {
      const actual = await this.get(uuid);
      throw new ConflictError('compute.migration_unexpected_status', `Migration ${uuid} is ${actual.status}, not ${(expectStatuses ?? []).join(' or ')}.`, {
        details: { migration_uuid: uuid, expected: expectStatuses, actual: actual.status },
      });
    }
    return this.get(uuid);
  }

  /** The instance's newest visible migration in one of the statuses, if any. */
  async latestFor(instanceUuid: string, statuses: string[]): Promise<Migration | undefined> {
    const row = await this.deps.db
      .selectFrom('migrations')
      .selectAll()
      .where('instance_uuid', '=', instanceUuid)
      .where('status', 'in', statuses)
      .where('deleted', '=', 0)
      .where('hidden', '=', 0)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    return row && rowToMigration(row);
  }

  /**
   * Open moves into or out of a host: what its resource tracker counts besides its instances.
   * Hidden copies too: during a cross-cell move each cell's tracker reads its own copy.
   */
  async inProgressOnHost(host: string): Promise<Migration[]> {
    return (await openOnHost.rows(this.deps.db, { host })).map(rowToMigration);
  }

  /**
   * Moves that finished into this host and have waited for a confirmation since before `cutoff`
   * (ISO time): what the auto-confirm periodic task confirms.
   */
  async unconfirmedInto(host: string, cutoff: string): Promise<Migration[]> {
    const rows = await this.deps.db
      .selectFrom('migrations')
      .selectAll()
      .where('dest_compute', '=', host)
      .where('status', '=', 'finished')
      .where('updated_at', '<', cutoff)
      .where('deleted', '=', 0)
      .where('hidden', '=', 0)
      .orderBy('id')
      .execute();
    return rows.map(rowToMigration);
  }

  /** Migrations by filter, newest first (created_at, then id, descending), as Nova lists them. */
  async list(filter: MigrationFilter = {}): Promise<Migration[]> {
    if (filter.limit === 0) return [];
    let q = this.deps.db.selectFrom('migrations').selectAll().where('deleted', '=', 0);
    if (filter.includeHidden !== true) q = q.where('hidden', '=', 0);
    if (filter.instanceUuid !== undefined) q = q.where('instance_uuid', '=', filter.instanceUuid);
    if (filter.statuses !== undefined) q = q.where('status', 'in', filter.statuses.length > 0 ? filter.statuses : ['']);
    if (filter.host !== undefined) {
      const host = filter.host;
      q = q.where((eb) => eb.or([eb('source_compute', '=', host), eb('dest_compute', '=', host)]));
    } else if (filter.sourceCompute !== undefined) {
      q = q.where('source_compute', '=', filter.sourceCompute);
    }
    if (filter.migrationType !== undefined) q = q.where('migration_type', '=', filter.migrationType);
    if (filter.userId !== undefined) q = q.where('user_id', '=', filter.userId);
    if (filter.projectId !== undefined) q = q.where('project_id', '=', filter.projectId);
    if (filter.changesSince !== undefined) q = q.where('updated_at', '>=', filter.changesSince);
    if (filter.changesBefore !== undefined) q = q.where('updated_at', '<=', filter.changesBefore);
    const after = filter.after;
    if (after !== undefined) {
      q = q.where((eb) =>
        eb.or([
          eb('created_at', '<', after.created_at),
          eb.and([eb('created_at', '=', after.created_at), eb('id', '<', after.id)]),
          eb.and([eb('created_at', '=', after.created_at), eb('id', '=', after.id), eb('uuid', '<', after.uuid)]),
        ]),
      );
    }
    q = q.orderBy('created_at', 'desc').orderBy('id', 'desc').orderBy('uuid', 'desc');
    if (filter.limit !== undefined) q = q.limit(filter.limit);
    return (await q.execute()).map(rowToMigration);
  }

  /** Removes the row for good; for the rollback of a flow that created it. */
  async hardDelete(uuid: string): Promise<void> {
    await this.deps.db.deleteFrom('migrations').where('uuid', '=', uuid).execute();
  }
}

/**
 * The listing order of `MigrationRepo.list` as a comparator (negative: `a` comes first), for
 * merging the lists of several cells into one.
 */
export function newestMigrationFirst(a: MigrationSortKey, b: MigrationSortKey): number {
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? 1 : -1;
  if (a.id !== b.id) return b.id - a.id;
  if (a.uuid !== b.uuid) return a.uuid < b.uuid ? 1 : -1;
  return 0;
}

function rowToMigration(row: Selectable<MigrationTable>): Migration {
  return {
    ...row,
    migration_type: row.migration_type as MigrationType,
    cross_cell_move: row.cross_cell_move === 1,
    hidden: row.hidden === 1,
    deleted: row.deleted !== 0,
  };
}
