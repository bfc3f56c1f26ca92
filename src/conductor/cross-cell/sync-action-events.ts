import type { Kysely } from 'kysely';
import type { CellSchema } from '../../db/cell/cell-schema.js';

/**
 * Carries the instance's action events from one cell to the other: each event the source has
 * under an action (matched by request id) that the target's copy lacks (by name and start time)
 * is added there. Both cells record events while a cross-cell move runs; the cell the instance
 * ends in must show them all.
 */
export async function syncActionEvents(from: Kysely<CellSchema>, to: Kysely<CellSchema>, uuid: string): Promise<void> {
  const sourceActions = await from.selectFrom('instance_actions').select(['id', 'request_id']).where('instance_uuid', '=', uuid).where('deleted', '=', 0).execute();
  for (const action of sourceActions) {
    const target = await to.selectFrom('instance_actions').select('id').where('instance_uuid', '=', uuid).where('request_id', '=', action.request_id).where('deleted', '=', 0).executeTakeFirst();
    if (target === undefined) continue;
    const have = new Set((await to.selectFrom('instance_actions_events').select(['event', 'start_time']).where('action_id', '=', target.id).execute()).map((e) => `${e.event}|${e.start_time}`));
    for (const event of await from.selectFrom('instance_actions_events').selectAll().where('action_id', '=', action.id).where('deleted', '=', 0).orderBy('id').execute()) {
      if (have.has(`${event.event}|${event.start_time}`)) continue;
      const { id: _id, ...values } = event;
      await to.insertInto('instance_actions_events').values({ ...values, action_id: target.id }).execute();
    }
  }
}
