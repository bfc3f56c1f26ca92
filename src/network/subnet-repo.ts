import type { Kysely } from 'kysely';
import type { Clock } from '../common/clock.js';
import type { Dialect } from '../db/connection.js';
import { isForeignKeyViolation } from '../db/foreign-key-violation.js';
import type { AllocationPool } from './allocation-pools.js';
import { parseCidr, overlaps } from './ipv4.js';
import { matchAny } from './match-any.js';
import { invalidInput, networkNotFound, subnetInUse, subnetNotFound } from './neutron-errors.js';
import type { NetworkSchema } from './network-schema.js';
import type { NetworkViewer } from './network-viewer.js';
import { hasTagFilter, resourceTags, tagCondition, type TagFilter } from './resource-tag-repo.js';
import { rowToSubnetRecord, type SubnetRecord } from './subnet-record.js';

/** A new subnet, already checked (canonical CIDR, pools inside it, gateway outside the pools). */
export interface NewSubnet {
  id: string;
  network_id: string;
  project_id: string;
  name?: string;
  description?: string;
  cidr: string;
  gateway_ip: string | null;
  enable_dhcp?: boolean;
  allocation_pools: AllocationPool[];
  dns_nameservers?: string[];
  tags?: string[];
}

/** Neutron's subnet filters: each list matches any of its values. */
export interface SubnetFilter {
  id?: string[];
  name?: string[];
  description?: string[];
  network_id?: string[];
  project_id?: string[];
  cidr?: string[];
  gateway_ip?: string[];
  ip_version?: number[];
  enable_dhcp?: boolean;
  tags?: TagFilter;
}

type Db = Kysely<NetworkSchema>;

/**
 * Subnets in the network database. A non-admin sees the subnets of the networks they see
 * (their project's, shared and external ones). Subnets of one network never overlap.
 */
export class SubnetRepo {
  constructor(private readonly deps: { db: Db; clock: Clock; dialect: Dialect }) {}

  /**
   * Inserts the subnet (in `db`, when the caller runs a transaction), after checking in the same
   * transaction that it overlaps no other subnet of its network. On PostgreSQL the network row
   * is locked first (FOR NO KEY UPDATE: ports being created on the network are not held up), so
   * two overlapping creates cannot both pass the check.
   *
   * @throws NotFoundError `network.network_not_found`; BadRequestError `network.invalid_input` on overlap.
   */
  async create(values: NewSubnet, db?: Db): Promise<SubnetRecord> {
    const run = async (trx: Db): Promise<void> => {
      let lock = trx.selectFrom('networks').select('id').where('id', '=', values.network_id);
      if (this.deps.dialect === 'postgres') lock = lock.forNoKeyUpdate();
      if ((await lock.executeTakeFirst()) === undefined) throw networkNotFound(values.network_id);
      const mine = parseCidr(values.cidr);
      const siblings = await trx.selectFrom('subnets').select(['cidr']).where('network_id', '=', values.network_id).execute();
      const clash = siblings.find((s) => {
        const other = parseCidr(s.cidr);
        return mine !== undefined && other !== undefined && overlaps(mine, other);
      });
      if (clash !== undefined) {
        throw invalidInput(`Requested subnet with cidr: ${values.cidr} for network: ${values.network_id} overlaps with another subnet`);
      }
      const now = this.deps.clock.now().toISOString();
      await trx
        .insertInto('subnets')
        .values({
          id: values.id,
          network_id: values.network_id,
          name: values.name ?? '',
          description: values.description ?? '',
          project_id: values.project_id,
          ip_version: 4,
          cidr: values.cidr,
          gateway_ip: values.gateway_ip,
          enable_dhcp: values.enable_dhcp === false ? 0 : 1,
          allocation_pools: JSON.stringify(values.allocation_pools),
          dns_nameservers: JSON.stringify(values.dns_nameservers ?? []),
          revision_number: 1,
          created_at: now,
          updated_at: now,
        })
        .execute();
      if (values.tags !== undefined) await resourceTags.replace(trx, 'subnets', values.id, values.tags);
    };
    try {
      if (db === undefined) await this.deps.db.transaction().execute(run);
      else await run(db);
    } catch (err) {
      if (isForeignKeyViolation(err)) throw networkNotFound(values.network_id);
      throw err;
    }
    return this.get(values.id, db === undefined ? {} : { db });
  }

  async find(id: string, options: { viewer?: NetworkViewer; db?: Db } = {}): Promise<SubnetRecord | undefined> {
    const rows = await this.query(options.db ?? this.deps.db, { id: [id] }, options.viewer);
    return rows[0];
  }

  /** @throws NotFoundError `network.subnet_not_found` when missing or invisible to the viewer. */
  async get(id: string, options: { viewer?: NetworkViewer; db?: Db } = {}): Promise<SubnetRecord> {
    const subnet = await this.find(id, options);
    if (subnet === undefined) throw subnetNotFound(id);
    return subnet;
  }

  /** Matching subnets, oldest first. */
  list(filter: SubnetFilter = {}, viewer?: NetworkViewer): Promise<SubnetRecord[]> {
    return this.query(this.deps.db, filter, viewer);
  }

  /**
   * Deletes the subnet, refusing while a port has an address from it. The subnet row is locked
   * first (PostgreSQL), so an allocation made at the same moment either lands first (and the
   * delete is refused) or fails on its foreign key.
   *
   * @throws NotFoundError `network.subnet_not_found`; ConflictError `network.subnet_in_use`.
   */
  async delete(id: string): Promise<void> {
    try {
      await this.deps.db.transaction().execute(async (trx) => {
        let lock = trx.selectFrom('subnets').select('id').where('id', '=', id);
        if (this.deps.dialect === 'postgres') lock = lock.forUpdate();
        if ((await lock.executeTakeFirst()) === undefined) throw subnetNotFound(id);
        const used = await trx.selectFrom('ip_allocations').select('port_id').where('subnet_id', '=', id).limit(1).executeTakeFirst();
        if (used !== undefined) throw subnetInUse(id);
        await resourceTags.removeAll(trx, [id]);
        const res = await trx.deleteFrom('subnets').where('id', '=', id).executeTakeFirst();
        if (Number(res.numDeletedRows) === 0) throw subnetNotFound(id);
      });
    } catch (err) {
      if (isForeignKeyViolation(err)) throw subnetInUse(id, err);
      throw err;
    }
  }

  private async query(db: Db, filter: SubnetFilter, viewer: NetworkViewer | undefined): Promise<SubnetRecord[]> {
    let q = db.selectFrom('subnets').innerJoin('networks as n', 'n.id', 'subnets.network_id').selectAll('subnets');
    if (viewer !== undefined && !viewer.isAdmin) {
      q = q.where((eb) => eb.or([eb('n.project_id', '=', viewer.projectId), eb('n.shared', '=', 1), eb('n.router_external', '=', 1)]));
    }
    if (filter.id !== undefined) q = q.where(matchAny('subnets.id', filter.id));
    if (filter.name !== undefined) q = q.where(matchAny('subnets.name', filter.name));
    if (filter.description !== undefined) q = q.where(matchAny('subnets.description', filter.description));
    if (filter.network_id !== undefined) q = q.where(matchAny('subnets.network_id', filter.network_id));
    if (filter.project_id !== undefined) q = q.where(matchAny('subnets.project_id', filter.project_id));
    if (filter.cidr !== undefined) q = q.where(matchAny('subnets.cidr', filter.cidr));
    if (filter.gateway_ip !== undefined) q = q.where(matchAny('subnets.gateway_ip', filter.gateway_ip));
    if (filter.ip_version !== undefined) q = q.where(matchAny('subnets.ip_version', filter.ip_version));
    if (filter.enable_dhcp !== undefined) q = q.where('subnets.enable_dhcp', '=', filter.enable_dhcp ? 1 : 0);
    if (filter.tags !== undefined && hasTagFilter(filter.tags)) q = q.where(tagCondition('subnets', filter.tags));
    const rows = await q.orderBy('subnets.created_at').orderBy('subnets.id').execute();
    const tags = await resourceTags.of(db, rows.map((r) => r.id));
    return rows.map((row) => rowToSubnetRecord(row, tags.get(row.id) ?? []));
  }
}
