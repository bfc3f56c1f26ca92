import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../../common/clock.js';
import type { IdGenerator } from '../../common/ids.js';
import { NotFoundError } from '../../common/errors.js';
import type { CellSchema, ServiceTable } from './cell-schema.js';

/** What the scheduler needs to know of a service: whether it is up and enabled. */
export type ServiceState = Pick<ServiceRecord, 'host' | 'disabled' | 'forced_down' | 'last_seen_up' | 'updated_at'>;

export interface ServiceRecord {
  id: number;
  uuid: string;
  host: string;
  binary: string;
  topic: string | null;
  report_count: number;
  disabled: boolean;
  disabled_reason: string | null;
  forced_down: boolean;
  last_seen_up: string | null;
  created_at: string;
  updated_at: string | null;
}

/** The fields of a service an operator may change through the API. */
export interface ServiceChanges {
  disabled?: boolean;
  disabled_reason?: string | null;
  forced_down?: boolean;
}

/** Service records of one cell: who runs where, and when each last reported in. */
export class ServiceRepo {
  constructor(private readonly deps: { db: Kysely<CellSchema>; clock: Clock; ids: IdGenerator }) {}

  async list(filter: { host?: string; hosts?: readonly string[]; binary?: string } = {}): Promise<ServiceRecord[]> {
    let q = this.deps.db.selectFrom('services').selectAll().where('deleted', '=', 0);
    if (filter.host !== undefined) q = q.where('host', '=', filter.host);
    if (filter.hosts !== undefined) q = q.where('host', 'in', filter.hosts.length > 0 ? [...filter.hosts] : ['']);
    if (filter.binary !== undefined) q = q.where('binary', '=', filter.binary);
    return (await q.orderBy('id').execute()).map(toService);
  }

  /** Liveness and state of every service of a binary, for the scheduler's host view. */
  async states(binary: string): Promise<ServiceState[]> {
    const rows = await this.deps.db
      .selectFrom('services')
      .select(['host', 'disabled', 'forced_down', 'last_seen_up', 'updated_at'])
      .where('deleted', '=', 0)
      .where('binary', '=', binary)
      .execute();
    return rows.map((r) => ({ host: r.host, disabled: r.disabled === 1, forced_down: r.forced_down === 1, last_seen_up: r.last_seen_up, updated_at: r.updated_at }));
  }

  async find(host: string, binary: string): Promise<ServiceRecord | undefined> {
    return (await this.list({ host, binary }))[0];
  }

  /** Creates the service record on first start; later starts reuse it. */
  async register(host: string, binary: string, topic: string | null): Promise<ServiceRecord> {
    const existing = await this.find(host, binary);
    if (existing) return existing;
    const now = this.deps.clock.now().toISOString();
    await this.deps.db
      .insertInto('services')
      .values({ uuid: this.deps.ids.uuid(), host, binary, topic, report_count: 0, disabled: 0, disabled_reason: null, forced_down: 0, last_seen_up: now, version: 1, created_at: now, updated_at: now, deleted_at: null })
      .onConflict((oc) => oc.columns(['host', 'binary', 'deleted']).doNothing())
      .execute();
    return (await this.find(host, binary)) as ServiceRecord;
  }

  /**
   * Changes the operator-controlled fields of a service (enable/disable, forced down) and returns
   * the record as stored.
   */
  async update(id: number, changes: ServiceChanges): Promise<ServiceRecord> {
    const set: { disabled?: number; disabled_reason?: string | null; forced_down?: number; updated_at: string } = { updated_at: this.deps.clock.now().toISOString() };
    if (changes.disabled !== undefined) set.disabled = changes.disabled ? 1 : 0;
    if (changes.disabled_reason !== undefined) set.disabled_reason = changes.disabled_reason;
    if (changes.forced_down !== undefined) set.forced_down = changes.forced_down ? 1 : 0;
    await this.deps.db.updateTable('services').set(set).where('id', '=', id).where('deleted', '=', 0).execute();
    const row = await this.deps.db.selectFrom('services').selectAll().where('id', '=', id).where('deleted', '=', 0).executeTakeFirst();
    if (row === undefined) throw new NotFoundError('compute.service_not_found', `Service ${id} could not be found.`);
    return toService(row);
  }

  async heartbeat(id: number): Promise<void> {
    const now = this.deps.clock.now().toISOString();
    await this.deps.db
      .updateTable('services')
      .set((eb) => ({ report_count: eb('report_count', '+', 1), last_seen_up: now, updated_at: now }))
      .where('id', '=', id)
      .execute();
  }
}

function toService(r: Selectable<ServiceTable>): ServiceRecord {
  return {
    id: r.id, uuid: r.uuid, host: r.host, binary: r.binary, topic: r.topic, report_count: r.report_count,
    disabled: r.disabled === 1, disabled_reason: r.disabled_reason, forced_down: r.forced_down === 1,
    last_seen_up: r.last_seen_up, created_at: r.created_at, updated_at: r.updated_at,
  };
}
