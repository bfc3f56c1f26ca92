import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Clock } from '../common/clock.js';
import { ConflictError } from '../common/errors.js';
import type { Dialect } from '../db/connection.js';
import { isForeignKeyViolation } from '../db/foreign-key-violation.js';
import { isUniqueViolation } from '../db/unique-violation.js';
import { networkInUse, networkNotFound } from './neutron-errors.js';
import { rowToNetworkRecord, type NetworkRecord } from './network-record.js';
import type { NetworkSchema } from './network-schema.js';
import type { NetworkViewer } from './network-viewer.js';
import { matchAny } from './match-any.js';
import { hasTagFilter, resourceTags, tagCondition, type TagFilter } from './resource-tag-repo.js';

/** The values of a new network; what is left out gets Neutron's default. */
export interface NewNetwork {
  id: string;
  project_id: string;
  name?: string;
  description?: string;
  admin_state_up?: boolean;
  shared?: boolean;
  router_external?: boolean;
  mtu: number;
  tags?: string[];
}

/** Neutron's network filters: each list matches any of its values. */
export interface NetworkFilter {
  id?: string[];
  name?: string[];
  description?: string[];
  status?: string[];
  project_id?: string[];
  mtu?: number[];
  shared?: boolean;
  admin_state_up?: boolean;
  router_external?: boolean;
  tags?: TagFilter;
}

type Where = ExpressionBuilder<NetworkSchema, 'networks'>;
type Db = Kysely<NetworkSchema>;

/**
 * Networks in the network database. Reads made for a viewer apply Neutron's visibility: a
 * non-admin sees their project's networks, shared ones and external ones. Deletion is hard, as in
 * Neutron, and takes the network's subnets with it.
 */
export class NetworkRepo {
  constructor(private readonly deps: { db: Db; clock: Clock; dialect: Dialect }) {}

  /**
   * Inserts the network (in `db`, when the caller runs a transaction).
   *
   * @throws ConflictError `network.exists` when the id is taken.
   */
  async create(values: NewNetwork, db: Db = this.deps.db): Promise<void> {
    const now = this.deps.clock.now().toISOString();
    try {
      await db
        .insertInto('networks')
        .values({
          id: values.id,
          name: values.name ?? '',
          description: values.description ?? '',
          project_id: values.project_id,
          status: 'ACTIVE',
          admin_state_up: values.admin_state_up === false ? 0 : 1,
          shared: values.shared === true ? 1 : 0,
          router_external: values.router_external === true ? 1 : 0,
          mtu: values.mtu,
          revision_number: 1,
          created_at: now,
          updated_at: now,
        })
        .execute();
      if (values.tags !== undefined) await resourceTags.replace(db, 'networks', values.id, values.tags);
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError('network.exists', `Network ${values.id} already exists.`, { cause: err, details: { type: 'Conflict' } });
      throw err;
    }
  }

  async find(id: string, options: { viewer?: NetworkViewer; db?: Db } = {}): Promise<NetworkRecord | undefined> {
    let q = (options.db ?? this.deps.db).selectFrom('networks').selectAll().where('id', '=', id);
    if (options.viewer !== undefined && !options.viewer.isAdmin) q = q.where(visibleTo(options.viewer));
    const row = await q.executeTakeFirst();
    if (row === undefined) return undefined;
    return (await this.decorate(options.db ?? this.deps.db, [row]))[0];
  }

  /** @throws NotFoundError `network.network_not_found` when missing or invisible to the viewer. */
  async get(id: string, options: { viewer?: NetworkViewer; db?: Db } = {}): Promise<NetworkRecord> {
    const network = await this.find(id, options);
    if (network === undefined) throw networkNotFound(id);
    return network;
  }

  /** Matching networks, oldest first. */
  async list(filter: NetworkFilter = {}, viewer?: NetworkViewer): Promise<NetworkRecord[]> {
    let q = this.deps.db.selectFrom('networks').selectAll();
    if (viewer !== undefined && !viewer.isAdmin) q = q.where(visibleTo(viewer));
    if (filter.id !== undefined) q = q.where(matchAny('networks.id', filter.id));
    if (filter.name !== undefined) q = q.where(matchAny('networks.name', filter.name));
    if (filter.description !== undefined) q = q.where(matchAny('networks.description', filter.description));
    if (filter.status !== undefined) q = q.where(matchAny('networks.status', filter.status));
    if (filter.project_id !== undefined) q = q.where(matchAny('networks.project_id', filter.project_id));
    if (filter.mtu !== undefined) q = q.where(matchAny('networks.mtu', filter.mtu));
    if (filter.shared !== undefined) q = q.where('shared', '=', filter.shared ? 1 : 0);
    if (filter.admin_state_up !== undefined) q = q.where('admin_state_up', '=', filter.admin_state_up ? 1 : 0);
    if (filter.router_external !== undefined) q = q.where('router_external', '=', filter.router_external ? 1 : 0);
    if (filter.tags !== undefined && hasTagFilter(filter.tags)) q = q.where(tagCondition('networks', filter.tags));
    const rows = await q.orderBy('created_at').orderBy('id').execute();
    return this.decorate(this.deps.db, rows);
  }

  /** Whether the table has no network. */
  async isEmpty(): Promise<boolean> {
    return (await this.deps.db.selectFrom('networks').select('id').limit(1).executeTakeFirst()) === undefined;
  }

  /**
   * Deletes the network and its subnets, refusing while a port is on it. The network row is locked
   * first (PostgreSQL; SQLite serialises writers), so a port created at the same moment either
   * lands first (and the delete is refused) or fails on its foreign key, and the two never
   * deadlock over the subnet rows.
   *
   * @throws NotFoundError `network.network_not_found`; ConflictError `network.network_in_use`.
   */
  async delete(id: string): Promise<void> {
    try {
      await this.deps.db.transaction().execute(async (trx) => {
        let lock = trx.selectFrom('networks').select('id').where('id', '=', id);
        if (this.deps.dialect === 'postgres') lock = lock.forUpdate();
        if ((await lock.executeTakeFirst()) === undefined) throw networkNotFound(id);
        const port = await trx.selectFrom('ports').select('id').where('network_id', '=', id).limit(1).executeTakeFirst();
        if (port !== undefined) throw networkInUse(id);
        const subnets = await trx.selectFrom('subnets').select('id').where('network_id', '=', id).execute();
        await resourceTags.removeAll(trx, [id, ...subnets.map((s) => s.id)]);
        await trx.deleteFrom('subnets').where('network_id', '=', id).execute();
        const res = await trx.deleteFrom('networks').where('id', '=', id).executeTakeFirst();
        if (Number(res.numDeletedRows) === 0) throw networkNotFound(id);
      });
    } catch (err) {
      if (isForeignKeyViolation(err)) throw networkInUse(id, err);
      throw err;
    }
  }

  /** Marks a change: bumps the revision and the update time. */
  async touch(id: string, db: Db = this.deps.db): Promise<void> {
    await db
      .updateTable('networks')
      .set((eb) => ({ revision_number: eb('revision_number', '+', 1), updated_at: this.deps.clock.now().toISOString() }))
      .where('id', '=', id)
      .execute();
  }

  private async decorate(db: Db, rows: Parameters<typeof rowToNetworkRecord>[0][]): Promise<NetworkRecord[]> {
    const ids = rows.map((r) => r.id);
    const subnets = new Map<string, string[]>(ids.map((id) => [id, []]));
    if (ids.length > 0) {
      const subnetRows = await db.selectFrom('subnets').select(['id', 'network_id']).where('network_id', 'in', ids).orderBy('created_at').orderBy('id').execute();
      for (const s of subnetRows) subnets.get(s.network_id)?.push(s.id);
    }
    const tags = await resourceTags.of(db, ids);
    return rows.map((row) => rowToNetworkRecord(row, subnets.get(row.id) ?? [], tags.get(row.id) ?? []));
  }
}

/** What a non-admin sees: their project's networks, shared and external ones. */
export function visibleTo(viewer: NetworkViewer) {
  return (eb: Where) => eb.or([eb('project_id', '=', viewer.projectId), eb('shared', '=', 1), eb('router_external', '=', 1)]);
}

