import type { Kysely } from 'kysely';
import type { Clock } from '../common/clock.js';
import type { Dialect } from '../db/connection.js';
import { isUniqueViolation } from '../db/unique-violation.js';
import { portBindingAlreadyActive, portBindingAlreadyExists, portBindingNotFound } from './neutron-errors.js';
import type { NetworkSchema } from './network-schema.js';
import { rowToPortBindingRecord, type PortBindingRecord } from './port-binding-record.js';
import { portStatus } from './port-record.js';
import { activeBinding, lockPort, vifColumns } from './port-repo.js';

type Db = Kysely<NetworkSchema>;

/** A binding asked for through the extended port-binding API. */
export interface NewPortBinding {
  host: string;
  vnic_type: string;
  profile: Record<string, unknown>;
}

/**
 * The bindings of ports to hosts (Neutron's `binding-extended`), as a small state machine kept by
 * the database: a port has exactly one ACTIVE binding (host '' while unbound) and any number of
 * INACTIVE ones, one per host. Each transition is one transaction that locks the port row
 * (PostgreSQL) and bumps the port's revision, and a partial unique index allows one ACTIVE
 * binding per port whatever happens concurrently.
 *
 * @example
 * await bindings.create(portId, { host: 'dest', vnic_type: 'normal', profile: {} }); // INACTIVE: the port is bound to 'source'
 * await bindings.activate(portId, 'dest');   // dest ACTIVE, source INACTIVE, binding:host_id = dest
 * await bindings.delete(portId, 'source');
 */
export class PortBindingRepo {
  constructor(private readonly deps: { db: Db; clock: Clock; dialect: Dialect }) {}

  /** The port's bindings to hosts, active first; the placeholder of an unbound port is not one. */
  async list(portId: string): Promise<PortBindingRecord[]> {
    const rows = await this.deps.db.selectFrom('port_bindings').selectAll().where('port_id', '=', portId).where('host', '!=', '').orderBy('status').orderBy('host').execute();
    return rows.map(rowToPortBindingRecord);
  }

  /** @throws NotFoundError `network.port_binding_not_found`. */
  async get(portId: string, host: string): Promise<PortBindingRecord> {
    const row = host === '' ? undefined : await this.deps.db.selectFrom('port_bindings').selectAll().where('port_id', '=', portId).where('host', '=', host).executeTakeFirst();
    if (row === undefined) throw portBindingNotFound(portId, host);
    return rowToPortBindingRecord(row);
  }

  /**
   * Binds the port to another host: INACTIVE when the port is bound already, else ACTIVE (and the
   * port's `binding:host_id` becomes the host).
   *
   * @throws NotFoundError `network.port_not_found`; ConflictError `network.port_binding_already_exists`.
   */
  async create(portId: string, binding: NewPortBinding): Promise<PortBindingRecord> {
    try {
      await this.deps.db.transaction().execute(async (trx) => {
        const port = await lockPort(trx, this.deps.dialect, portId);
        const active = await activeBinding(trx, portId);
        const columns = { vnic_type: binding.vnic_type, profile: JSON.stringify(binding.profile), ...vifColumns(binding.host) };
        if (active.host === binding.host) throw portBindingAlreadyExists(portId, binding.host);
        if (active.host === '') {
          await trx.updateTable('port_bindings').set({ host: binding.host, ...columns }).where('port_id', '=', portId).where('status', '=', 'ACTIVE').execute();
        } else {
          await trx.insertInto('port_bindings').values({ port_id: portId, host: binding.host, status: 'INACTIVE', ...columns }).execute();
        }
        await this.touch(trx, portId, Number(port.admin_state_up) === 1, active.host === '' ? binding.host : active.host, Number(port.revision_number));
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw portBindingAlreadyExists(portId, binding.host, err);
      throw err;
    }
    return this.get(portId, binding.host);
  }

  /**
   * Makes the host's INACTIVE binding the active one; the previously active binding becomes
   * INACTIVE (or disappears when the port was unbound).
   *
   * @throws NotFoundError `network.port_not_found` / `network.port_binding_not_found`;
   *   ConflictError `network.port_binding_already_active`.
   */
  async activate(portId: string, host: string): Promise<PortBindingRecord> {
    await this.deps.db.transaction().execute(async (trx) => {
      const port = await lockPort(trx, this.deps.dialect, portId);
      const active = await activeBinding(trx, portId);
      if (active.host === host) throw portBindingAlreadyActive(portId, host);
      const target = await trx.selectFrom('port_bindings').select('host').where('port_id', '=', portId).where('host', '=', host).where('status', '=', 'INACTIVE').executeTakeFirst();
      if (target === undefined || host === '') throw portBindingNotFound(portId, host);
      // Deactivate first: the partial unique index allows one ACTIVE row per port at any moment.
      if (active.host === '') await trx.deleteFrom('port_bindings').where('port_id', '=', portId).where('host', '=', '').execute();
      else await trx.updateTable('port_bindings').set({ status: 'INACTIVE' }).where('port_id', '=', portId).where('host', '=', active.host).execute();
      await trx.updateTable('port_bindings').set({ status: 'ACTIVE' }).where('port_id', '=', portId).where('host', '=', host).execute();
      await this.touch(trx, portId, Number(port.admin_state_up) === 1, host, Number(port.revision_number));
    });
    return this.get(portId, host);
  }

  /**
   * Deletes the port's binding to the host. Deleting the ACTIVE binding unbinds the port.
   *
   * @throws NotFoundError `network.port_not_found` / `network.port_binding_not_found`.
   */
  async delete(portId: string, host: string): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      const port = await lockPort(trx, this.deps.dialect, portId);
      const row = host === '' ? undefined : await trx.selectFrom('port_bindings').select('status').where('port_id', '=', portId).where('host', '=', host).executeTakeFirst();
      if (row === undefined) throw portBindingNotFound(portId, host);
      if (row.status === 'INACTIVE') {
        await trx.deleteFrom('port_bindings').where('port_id', '=', portId).where('host', '=', host).execute();
        await this.touch(trx, portId, Number(port.admin_state_up) === 1, (await activeBinding(trx, portId)).host, Number(port.revision_number));
        return;
      }
      await trx
        .updateTable('port_bindings')
        .set({ host: '', profile: '{}', ...vifColumns('') })
        .where('port_id', '=', portId)
        .where('status', '=', 'ACTIVE')
        .execute();
      await this.touch(trx, portId, Number(port.admin_state_up) === 1, '', Number(port.revision_number));
    });
  }

  private async touch(db: Db, portId: string, adminUp: boolean, activeHost: string, revision: number): Promise<void> {
    await db
      .updateTable('ports')
      .set({ status: portStatus(adminUp, activeHost), revision_number: revision + 1, updated_at: this.deps.clock.now().toISOString() })
      .where('id', '=', portId)
      .execute();
  }
}
