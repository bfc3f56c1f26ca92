import type { Kysely } from 'kysely';
import type { Clock } from '../../common/clock.js';
import type { CellSchema } from './cell-schema.js';

/** Instance actions and their events: the audit trail of what was done to an instance. */
export class InstanceActionRepo {
  constructor(private readonly deps: { db: Kysely<CellSchema>; clock: Clock }) {}

  async start(values: { action: string; instanceUuid: string; requestId: string; userId: string; projectId: string }): Promise<void> {
    const now = this.deps.clock.now().toISOString();
    await this.deps.db
      .insertInto('instance_actions')
      .values({ action: values.action, instance_uuid: values.instanceUuid, request_id: values.requestId, user_id: values.userId, project_id: values.projectId, start_time: now, finish_time: null, message: null, created_at: now, updated_at: null, deleted_at: null })
      .execute();
  }

  /** Records one step under the action of the request; the action gets message "Error" when it failed. */
  async recordEvent(values: { instanceUuid: string; requestId: string; event: string; startTime: string; result: 'Success' | 'Error'; host: string | null; traceback?: string | null }): Promise<void> {
    const action = await this.deps.db
      .selectFrom('instance_actions')
      .select('id')
      .where('instance_uuid', '=', values.instanceUuid)
      .where('request_id', '=', values.requestId)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    if (action === undefined) return;
    const now = this.deps.clock.now().toISOString();
    await this.deps.db
      .insertInto('instance_actions_events')
      .values({ action_id: action.id, event: values.event, start_time: values.startTime, finish_time: now, result: values.result, traceback: values.traceback ?? null, host: values.host, details: null, created_at: now, updated_at: null, deleted_at: null })
      .execute();
    await this.deps.db
      .updateTable('instance_actions')
      .set({ updated_at: now, ...(values.result === 'Error' ? { message: 'Error' } : {}) })
      .where('id', '=', action.id)
      .execute();
  }
}
