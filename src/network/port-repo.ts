import { sql, type Expression, type Kysely, type Selectable, type SqlBool } from 'kysely';
import type { Clock } from '../common/clock.js';
import { ConflictError, TesseraError } from '../common/errors.js';
import type { Dialect } from '../db/connection.js';
import { isForeignKeyViolation } from '../db/foreign-key-violation.js';
import { isUniqueViolation } from '../db/unique-violation.js';
import { parseIpv4 } from './ipv4.js';
import { matchAny } from './match-any.js';
import { ipAddressAlreadyAllocated, macAddressInUse, networkNotFound, portBindingAlreadyExists, portNotFound, subnetNotFound } from './neutron-errors.js';
import type { NetworkSchema, PortTable } from './network-schema.js';
import type { NetworkViewer } from './network-viewer.js';
import { rowToPortBindingRecord, vifFor, type PortBindingRecord } from './port-binding-record.js';
import { portStatus, rowToPortRecord, type FixedIp, type PortRecord } from './port-record.js';
import { hasTagFilter, resourceTags, tagCondition, type TagFilter } from './resource-tag-repo.js';

/** A new port with everything decided: its MAC, its addresses and its first (active) binding. */
export interface NewPort {
  id: string;
  network_id: string;
  project_id: string;
  name?: string;
  description?: string;
  mac_address: string;
  admin_state_up: boolean;
  device_id?: string;
  device_owner?: string;
  fixed_ips: FixedIp[];
  /** The active binding; host '' leaves the port unbound. */
  binding: { host: string; vnic_type: string; profile: Record<string, unknown> };
  tags?: string[];
}

/** What an update may change; absent keys stay as they are. */
export interface PortChanges {
  name?: string;
  description?: string;
  admin_state_up?: boolean;
  device_id?: string;
  device_owner?: string;
  mac_address?: string;
  /** The active binding's host; '' unbinds. */
  host?: string;
  vnic_type?: string;
  profile?: Record<string, unknown>;
}

/** Neutron's port filters: each list matches any of its values. */
export interface PortFilter {
  id?: string[];
  name?: string[];
  description?: string[];
  network_id?: string[];
  project_id?: string[];
  device_id?: string[];
  device_owner?: string[];
  mac_address?: string[];
  status?: string[];
  admin_state_up?: boolean;
  /** Hosts of the active binding ('' for unbound ports). */
  host_id?: string[];
  vnic_type?: string[];
  /** Ports with an address matching every given part (`?fixed_ips=ip_address=10.0.0.5`). */
  fixed_ips?: { ip_address?: string[]; subnet_id?: string[] };
  tags?: TagFilter;
}

type Db = Kysely<NetworkSchema>;

/**
 * Ports, their fixed IPs and their active binding, in the network database. An address is handed
 * out once because (subnet, address) is the primary key of `ip_allocations`: a create that lost
 * a race for an address fails with `network.ip_address_already_allocated` and changes nothing,
 * and the caller picks another address. Deleting a port releases its addresses and bindings.
 */
export class PortRepo {
  constructor(private readonly deps: { db: Db; clock: Clock; dialect: Dialect }) {}

  /**
   * Inserts the port, its addresses and its active binding in one transaction.
   *
   * @throws ConflictError `network.ip_address_already_allocated` (details: subnet_id, ip_address)
   *   or `network.mac_address_in_use` when another port holds them; NotFoundError
   *   `network.network_not_found` / `network.subnet_not_found` when they vanished meanwhile.
   */
  async create(values: NewPort): Promise<PortRecord> {
    const now = this.deps.clock.now().toISOString();
    try {
      await this.deps.db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('ports')
          .values({
            id: values.id,
            network_id: values.network_id,
            name: values.name ?? '',
            description: values.description ?? '',
            project_id: values.project_id,
            mac_address: values.mac_address,
            admin_state_up: values.admin_state_up ? 1 : 0,
            status: portStatus(values.admin_state_up, values.binding.host),
            device_id: values.device_id ?? '',
            device_owner: values.device_owner ?? '',
            revision_number: 1,
            created_at: now,
            updated_at: now,
          })
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst();
        // The id is a fresh uuid, so the unique (network, MAC) pair is what clashed.
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) throw macAddressInUse(values.network_id, values.mac_address);
        for (const [position, ip] of values.fixed_ips.entries()) {
          const res = await trx
            .insertInto('ip_allocations')
            .values({ subnet_id: ip.subnet_id, ip_address: ip.ip_address, port_id: values.id, network_id: values.network_id, position })
            .onConflict((oc) => oc.doNothing())
            .executeTakeFirst();
          if (Number(res.numInsertedOrUpdatedRows ?? 0n) === 0) throw ipAddressAlreadyAllocated(ip.ip_address, ip.subnet_id);
        }
        await trx
          .insertInto('port_bindings')
          .values({ port_id: values.id, host: values.binding.host, status: 'ACTIVE', vnic_type: values.binding.vnic_type, profile: JSON.stringify(values.binding.profile), ...vifColumns(values.binding.host) })
          .execute();
        if (values.tags !== undefined) await resourceTags.replace(trx, 'ports', values.id, values.tags);
      });
    } catch (err) {
      if (isForeignKeyViolation(err)) throw await this.vanished(values, err);
      throw err;
    }
    return this.get(values.id);
  }

  async find(id: string, options: { viewer?: NetworkViewer; db?: Db } = {}): Promise<PortRecord | undefined> {
    return (await this.query(options.db ?? this.deps.db, { id: [id] }, options.viewer))[0];
  }

  /** @throws NotFoundError `network.port_not_found` when missing or invisible to the viewer. */
  async get(id: string, options: { viewer?: NetworkViewer; db?: Db } = {}): Promise<PortRecord> {
    const port = await this.find(id, options);
    if (port === undefined) throw portNotFound(id);
    return port;
  }

  /** Matching ports, oldest first. */
  list(filter: PortFilter = {}, viewer?: NetworkViewer): Promise<PortRecord[]> {
    return this.query(this.deps.db, filter, viewer);
  }

  /** The addresses in use in each of the subnets, as numbers. */
  async allocatedAddresses(subnetIds: readonly string[]): Promise<Map<string, Set<number>>> {
    const out = new Map<string, Set<number>>(subnetIds.map((id) => [id, new Set<number>()]));
    if (subnetIds.length === 0) return out;
    const rows = await this.deps.db.selectFrom('ip_allocations').select(['subnet_id', 'ip_address']).where('subnet_id', 'in', [...subnetIds]).execute();
    for (const row of rows) {
      const n = parseIpv4(row.ip_address);
      if (n !== undefined) out.get(row.subnet_id)?.add(n);
    }
    return out;
  }

  /**
   * Applies the changes in one transaction and bumps the revision; moving the active binding to
   * a host that already has an inactive binding is refused, as is a MAC change of a bound port.
   *
   * @throws NotFoundError `network.port_not_found`; ConflictError `network.port_binding_already_exists`,
   *   `network.port_bound` or `network.mac_address_in_use`.
   */
  async update(id: string, changes: PortChanges): Promise<PortRecord> {
    const now = this.deps.clock.now().toISOString();
    try {
      await this.write(id, changes, now);
    } catch (err) {
      // A concurrent writer took the MAC or bound the host after the checks; a key refused it.
      if (isUniqueViolation(err)) throw await this.clash(id, changes, err);
      throw err;
    }
    return this.get(id);
  }

  private async write(id: string, changes: PortChanges, now: string): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      const port = await lockPort(trx, this.deps.dialect, id);
      const active = await activeBinding(trx, id);
      const host = changes.host ?? active.host;
      if (host !== active.host) {
        const other = await trx.selectFrom('port_bindings').select('host').where('port_id', '=', id).where('host', '=', host).executeTakeFirst();
        if (other !== undefined) throw portBindingAlreadyExists(id, host);
      }
      if (changes.mac_address !== undefined && changes.mac_address !== port.mac_address) {
        if (active.host !== '') {
          throw new ConflictError('network.port_bound', `Unable to complete operation on port ${id}, port is already bound, port type: ${active.vif_type}, old_mac ${port.mac_address}, new_mac ${changes.mac_address}.`, { details: { type: 'PortBound' } });
        }
        const clash = await trx.selectFrom('ports').select('id').where('network_id', '=', port.network_id).where('mac_address', '=', changes.mac_address).executeTakeFirst();
        if (clash !== undefined) throw macAddressInUse(port.network_id, changes.mac_address);
      }
      if (host !== active.host || changes.vnic_type !== undefined || changes.profile !== undefined) {
        await trx
          .updateTable('port_bindings')
          .set({
            host,
            ...(host !== active.host ? vifColumns(host) : {}),
            ...(changes.vnic_type === undefined ? {} : { vnic_type: changes.vnic_type }),
            ...(changes.profile === undefined ? {} : { profile: JSON.stringify(changes.profile) }),
          })
          .where('port_id', '=', id)
          .where('status', '=', 'ACTIVE')
          .execute();
      }
      const adminUp = changes.admin_state_up ?? Number(port.admin_state_up) === 1;
      await trx
        .updateTable('ports')
        .set({
          ...(changes.name === undefined ? {} : { name: changes.name }),
          ...(changes.description === undefined ? {} : { description: changes.description }),
          ...(changes.device_id === undefined ? {} : { device_id: changes.device_id }),
          ...(changes.device_owner === undefined ? {} : { device_owner: changes.device_owner }),
          ...(changes.mac_address === undefined ? {} : { mac_address: changes.mac_address }),
          admin_state_up: adminUp ? 1 : 0,
          status: portStatus(adminUp, host),
          revision_number: Number(port.revision_number) + 1,
          updated_at: now,
        })
        .where('id', '=', id)
        .execute();
    });
  }

  /** Deletes the port, releasing its addresses and bindings. @throws NotFoundError `network.port_not_found`. */
  async delete(id: string): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      await resourceTags.removeAll(trx, [id]);
      const res = await trx.deleteFrom('ports').where('id', '=', id).executeTakeFirst();
      if (Number(res.numDeletedRows) === 0) throw portNotFound(id);
    });
  }

  private async query(db: Db, filter: PortFilter, viewer: NetworkViewer | undefined): Promise<PortRecord[]> {
    let q = db
      .selectFrom('ports')
      .innerJoin('networks as n', 'n.id', 'ports.network_id')
      .innerJoin('port_bindings as b', (join) => join.onRef('b.port_id', '=', 'ports.id').on('b.status', '=', 'ACTIVE'))
      .selectAll('ports');
    // A non-admin sees their project's ports, and every port on a network their project owns.
    if (viewer !== undefined && !viewer.isAdmin) q = q.where((eb) => eb.or([eb('ports.project_id', '=', viewer.projectId), eb('n.project_id', '=', viewer.projectId)]));
    const columns: [keyof PortFilter, string][] = [
      ['id', 'ports.id'], ['name', 'ports.name'], ['description', 'ports.description'], ['network_id', 'ports.network_id'],
      ['project_id', 'ports.project_id'], ['device_id', 'ports.device_id'], ['device_owner', 'ports.device_owner'],
      ['mac_address', 'ports.mac_address'], ['status', 'ports.status'], ['host_id', 'b.host'], ['vnic_type', 'b.vnic_type'],
    ];
    for (const [key, column] of columns) {
      const values = filter[key] as string[] | undefined;
      if (values !== undefined) q = q.where(matchAny(column, values));
    }
    if (filter.admin_state_up !== undefined) q = q.where('ports.admin_state_up', '=', filter.admin_state_up ? 1 : 0);
    const ips = filter.fixed_ips;
    if (ips !== undefined && (ips.ip_address !== undefined || ips.subnet_id !== undefined)) {
      const parts: Expression<SqlBool>[] = [sql<SqlBool>`a.port_id = ${sql.ref('ports.id')}`];
      if (ips.ip_address !== undefined) parts.push(matchAny('a.ip_address', ips.ip_address));
      if (ips.subnet_id !== undefined) parts.push(matchAny('a.subnet_id', ips.subnet_id));
      q = q.where(sql<SqlBool>`exists (select 1 from ip_allocations a where ${sql.join(parts, sql` and `)})`);
    }
    if (filter.tags !== undefined && hasTagFilter(filter.tags)) q = q.where(tagCondition('ports', filter.tags));
    const rows = await q.orderBy('ports.created_at').orderBy('ports.id').execute();
    return this.decorate(db, rows);
  }

  private async decorate(db: Db, rows: Selectable<PortTable>[]): Promise<PortRecord[]> {
    const ids = rows.map((r) => r.id);
    if (ids.length === 0) return [];
    const ips = new Map<string, FixedIp[]>(ids.map((id) => [id, []]));
    const ipRows = await db.selectFrom('ip_allocations').select(['port_id', 'subnet_id', 'ip_address']).where('port_id', 'in', ids).orderBy('port_id').orderBy('position').execute();
    for (const row of ipRows) ips.get(row.port_id)?.push({ subnet_id: row.subnet_id, ip_address: row.ip_address });
    const bindings = new Map<string, PortBindingRecord>();
    const bindingRows = await db.selectFrom('port_bindings').selectAll().where('port_id', 'in', ids).where('status', '=', 'ACTIVE').execute();
    for (const row of bindingRows) bindings.set(row.port_id, rowToPortBindingRecord(row));
    const tags = await resourceTags.of(db, ids);
    return rows.map((row) => {
      const binding = bindings.get(row.id);
      if (binding === undefined) throw new TesseraError('network.binding_missing', 500, `Port ${row.id} has no active binding.`);
      return rowToPortRecord(row, ips.get(row.id) ?? [], binding, tags.get(row.id) ?? []);
    });
  }

  /** Which unique key an update ran into. */
  private async clash(id: string, changes: PortChanges, cause: unknown): Promise<TesseraError> {
    const port = await this.get(id);
    if (changes.mac_address !== undefined) {
      const holder = await this.deps.db.selectFrom('ports').select('id').where('network_id', '=', port.network_id).where('mac_address', '=', changes.mac_address).executeTakeFirst();
      if (holder !== undefined && holder.id !== id) return macAddressInUse(port.network_id, changes.mac_address, cause);
    }
    if (changes.host !== undefined) return portBindingAlreadyExists(id, changes.host, cause);
    return new TesseraError('network.unexpected_conflict', 500, `Port ${id} could not be updated: ${String(cause)}`, { cause });
  }

  /** Which of the port's references disappeared under a create. */
  private async vanished(values: NewPort, cause: unknown): Promise<TesseraError> {
    const network = await this.deps.db.selectFrom('networks').select('id').where('id', '=', values.network_id).executeTakeFirst();
    if (network === undefined) return networkNotFound(values.network_id);
    const subnetIds = [...new Set(values.fixed_ips.map((ip) => ip.subnet_id))];
    const present = subnetIds.length === 0 ? [] : await this.deps.db.selectFrom('subnets').select('id').where('id', 'in', subnetIds).execute();
    const missing = subnetIds.find((id) => !present.some((p) => p.id === id));
    if (missing !== undefined) return subnetNotFound(missing);
    return new TesseraError('network.reference_vanished', 500, `Port ${values.id} refers to a row that vanished.`, { cause });
  }
}

/** The port row, locked for the rest of the transaction on PostgreSQL (SQLite serialises writers). */
export async function lockPort(db: Db, dialect: Dialect, id: string): Promise<Selectable<PortTable>> {
  let q = db.selectFrom('ports').selectAll().where('id', '=', id);
  if (dialect === 'postgres') q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (row === undefined) throw portNotFound(id);
  return row;
}

/** The port's ACTIVE binding. */
export async function activeBinding(db: Db, portId: string): Promise<PortBindingRecord> {
  const row = await db.selectFrom('port_bindings').selectAll().where('port_id', '=', portId).where('status', '=', 'ACTIVE').executeTakeFirst();
  if (row === undefined) throw new TesseraError('network.binding_missing', 500, `Port ${portId} has no active binding.`);
  return rowToPortBindingRecord(row);
}

/** The vif columns of a binding to `host`. */
export function vifColumns(host: string): { vif_type: string; vif_details: string } {
  const vif = vifFor(host);
  return { vif_type: vif.vif_type, vif_details: JSON.stringify(vif.vif_details) };
}
