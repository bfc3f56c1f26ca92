import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../../common/clock.js';
import type { InstanceAction, InstanceActionEvent } from '../../objects/instance-action.js';
import { prepareQuery, type Placeholders } from '../prepared-query.js';
import { inTransaction } from '../transaction.js';
import type { CellSchema, InstanceActionEventTable, InstanceActionTable } from './cell-schema.js';

type Db = Kysely<CellSchema>;
type NewEvent = Omit<InstanceActionEventTable, 'id' | 'deleted'>;

// Every conductor and compute step records an event: these three run a few times per request.
const actionOfRequest = prepareQuery((db: Db, p: Placeholders<{ instanceUuid: string; requestId: string }>) =>
  db
    .selectFrom('instance_actions')
    .selectAll()
    .where('instance_uuid', '=', p.instanceUuid)
    .where('request_id', '=', p.requestId)
    .where('deleted', '=', 0)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc'),
);
// An event needs only the action's id: one column, the newest first, no more than one row.
const actionIdOfRequest = prepareQuery((db: Db, p: Placeholders<{ instanceUuid: string; requestId: string }>) =>
  db
    .selectFrom('instance_actions')
    .select('id')
    .where('instance_uuid', '=', p.instanceUuid)
    .where('request_id', '=', p.requestId)
    .where('deleted', '=', 0)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1),
);
const insertEvent = prepareQuery((db: Db, p: Placeholders<NewEvent>) =>
  db.insertInto('instance_actions_events').values({
    action_id: p.action_id, event: p.event, start_time: p.start_time, finish_time: p.finish_time, result: p.result, traceback: p.traceback,
    host: p.host, details: p.details, created_at: p.created_at, updated_at: p.updated_at, deleted_at: p.deleted_at,
  }),
);
const insertAction = prepareQuery((db: Db, p: Placeholders<Omit<InstanceActionTable, 'id' | 'deleted'>>) =>
  db.insertInto('instance_actions').values({
    action: p.action, instance_uuid: p.instance_uuid, request_id: p.request_id, user_id: p.user_id, project_id: p.project_id, start_time: p.start_time,
    finish_time: p.finish_time, message: p.message, created_at: p.created_at, updated_at: p.updated_at, deleted_at: p.deleted_at,
  }).returning('id'),
);
const touchAction = prepareQuery((db: Db, p: Placeholders<{ id: number; now: string }>) => db.updateTable('instance_actions').set({ updated_at: p.now }).where('id', '=', p.id));
const failAction = prepareQuery((db: Db, p: Placeholders<{ id: number; now: string }>) => db.updateTable('instance_actions').set({ updated_at: p.now, message: 'Error' }).where('id', '=', p.id));

/** Which actions of an instance to list, and one page of them. */
export interface InstanceActionQuery {
  /** At most this many; 0 gives none, as Nova. */
  limit?: number;
  /** Only actions after this one in the listing order (newest first). */
  marker?: Pick<InstanceAction, 'created_at' | 'id'>;
  /** updated_at at or after this ISO time. */
  changesSince?: string;
  /** updated_at at or before this ISO time. */
  changesBefore?: string;
}

/** Instance actions and their events: the audit trail of what was done to an instance. */
export class InstanceActionRepo {
  constructor(private readonly deps: { db: Kysely<CellSchema>; clock: Clock }) {}

  /** Records the action of a request and answers its id; its updated_at starts at its start, as Nova's. */
  async start(values: { action: string; instanceUuid: string; requestId: string; userId: string; projectId: string }): Promise<number> {
    const now = this.deps.clock.now().toISOString();
    const row = await insertAction.takeFirst(this.deps.db, {
      action: values.action, instance_uuid: values.instanceUuid, request_id: values.requestId, user_id: values.userId, project_id: values.projectId,
      start_time: now, finish_time: null, message: null, created_at: now, updated_at: now, deleted_at: null,
    });
    if (row === undefined) throw new Error(`inserting the ${values.action} action of instance ${values.instanceUuid} returned no id`);
    return Number(row.id);
  }

  /**
   * Records one finished step under the action of the request; the action gets message "Error"
   * when it failed. `details` is the failure's message (shown from 2.84), `traceback` its stack.
   * A request that recorded no action for the instance records nothing. `actionId`: the action,
   * when the caller wrote it (`start` answered it), instead of finding it by the request id.
   */
  async recordEvent(values: {
    instanceUuid: string;
    requestId: string;
    actionId?: number;
    event: string;
    startTime: string;
    result: 'Success' | 'Error';
    host: string | null;
    traceback?: string | null;
    details?: string | null;
  }): Promise<void> {
    const action = values.actionId !== undefined ? { id: values.actionId } : await actionIdOfRequest.takeFirst(this.deps.db, { instanceUuid: values.instanceUuid, requestId: values.requestId });
    if (action === undefined) return;
    const now = this.deps.clock.now().toISOString();
    // The event and the action's updated_at (what changes-since on actions sees) change together.
    await inTransaction(this.deps.db, async (trx) => {
      await insertEvent.run(trx, {
        action_id: action.id, event: values.event, start_time: values.startTime, finish_time: now, result: values.result, traceback: values.traceback ?? null,
        host: values.host, details: values.details ?? null, created_at: now, updated_at: null, deleted_at: null,
      });
      await (values.result === 'Error' ? failAction : touchAction).run(trx, { id: action.id, now });
    });
  }

  /** The instance's newest action under the request id, if any. */
  async findByRequestId(instanceUuid: string, requestId: string): Promise<InstanceAction | undefined> {
    const row = await actionOfRequest.takeFirst(this.deps.db, { instanceUuid, requestId });
    return row && rowToAction(row);
  }

  /**
   * The instance's actions, newest first (created_at, then id, descending, as Nova pages them),
   * filtered by updated_at and paged after a marker action.
   */
  async list(instanceUuid: string, query: InstanceActionQuery = {}): Promise<InstanceAction[]> {
    if (query.limit === 0) return [];
    let q = this.deps.db.selectFrom('instance_actions').selectAll().where('instance_uuid', '=', instanceUuid).where('deleted', '=', 0);
    if (query.changesSince !== undefined) q = q.where('updated_at', '>=', query.changesSince);
    if (query.changesBefore !== undefined) q = q.where('updated_at', '<=', query.changesBefore);
    const marker = query.marker;
    if (marker !== undefined) {
      q = q.where((eb) => eb.or([eb('created_at', '<', marker.created_at), eb.and([eb('created_at', '=', marker.created_at), eb('id', '<', marker.id)])]));
    }
    q = q.orderBy('created_at', 'desc').orderBy('id', 'desc');
    if (query.limit !== undefined) q = q.limit(query.limit);
    return (await q.execute()).map(rowToAction);
  }

  /** The events of an action, newest first, as Nova lists them. */
  async events(actionId: number): Promise<InstanceActionEvent[]> {
    const rows = await this.deps.db
      .selectFrom('instance_actions_events')
      .selectAll()
      .where('action_id', '=', actionId)
      .where('deleted', '=', 0)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map(rowToEvent);
  }
}

function rowToAction(row: Selectable<InstanceActionTable>): InstanceAction {
  return {
    id: row.id,
    action: row.action,
    instance_uuid: row.instance_uuid,
    request_id: row.request_id,
    user_id: row.user_id,
    project_id: row.project_id,
    start_time: row.start_time,
    finish_time: row.finish_time,
    message: row.message,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function rowToEvent(row: Selectable<InstanceActionEventTable>): InstanceActionEvent {
  return {
    id: row.id,
    action_id: row.action_id,
    event: row.event,
    start_time: row.start_time,
    finish_time: row.finish_time,
    result: row.result,
    traceback: row.traceback,
    host: row.host,
    details: row.details,
    created_at: row.created_at,
  };
}
