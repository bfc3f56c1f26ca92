import type { Kysely } from 'kysely';
import type { CellSchema } from '../../db/cell/cell-schema.js';

/** Tables whose rows belong to one instance through an `instance_uuid` column. */
const CHILD_TABLES = ['block_device_mapping', 'virtual_interfaces', 'instance_info_caches', 'instance_faults', 'migrations'] as const;

export interface CopyOptions {
  /** The copy's `hidden` (instances and migrations): true while the move is not finished. */
  hidden: boolean;
  /** Only the instance actions of these request ids (a revert copies its own action back); all when absent. */
  actionRequestIds?: readonly string[];
  /** Leave these tables out (a revert brings back only the action and the volume mappings). */
  only?: readonly ('instance' | 'tags' | (typeof CHILD_TABLES)[number] | 'actions')[];
}

/**
 * Copies an instance's live records from one cell database to another, as Nova's
 * TargetDBSetupTask does for a cross-cell move: the instance row (its flavors, metadata and
 * system metadata with it), tags, block device mappings, virtual interfaces, network info cache,
 * faults, migrations (same uuids, so the migration is one record in two cells) and instance
 * actions with their events (event rows re-pointed at the copied actions). Row ids are the
 * target's own. The caller removes the copy with `InstanceRepo.hardDelete` to undo it.
 */
export async function copyInstanceRecords(from: Kysely<CellSchema>, to: Kysely<CellSchema>, uuid: string, options: CopyOptions): Promise<void> {
  const want = (what: NonNullable<CopyOptions['only']>[number]): boolean => options.only === undefined || options.only.includes(what);
  const hidden = options.hidden ? 1 : 0;
  await to.transaction().execute(async (trx) => {
    if (want('instance')) {
      const row = await from.selectFrom('instances').selectAll().where('uuid', '=', uuid).where('deleted', '=', 0).executeTakeFirstOrThrow();
      const { id: _id, ...values } = row;
      await trx.insertInto('instances').values({ ...values, hidden }).execute();
    }
    if (want('tags')) {
      const tags = await from.selectFrom('tags').selectAll().where('resource_id', '=', uuid).execute();
      if (tags.length > 0) await trx.insertInto('tags').values(tags).execute();
    }
    for (const table of CHILD_TABLES) {
      if (!want(table)) continue;
      const rows = await from.selectFrom(table).selectAll().where('instance_uuid', '=', uuid).where('deleted', '=', 0).execute();
      for (const row of rows) {
        const { id: _id, ...values } = row as { id: number } & Record<string, unknown>;
        const copy = table === 'migrations' ? { ...values, hidden } : values;
        await trx.insertInto(table).values(copy as never).execute();
      }
    }
    if (want('actions')) {
      let q = from.selectFrom('instance_actions').selectAll().where('instance_uuid', '=', uuid).where('deleted', '=', 0);
      if (options.actionRequestIds !== undefined) q = q.where('request_id', 'in', options.actionRequestIds.length > 0 ? [...options.actionRequestIds] : ['']);
      for (const action of await q.orderBy('id').execute()) {
        const { id, ...values } = action;
        const inserted = await trx.insertInto('instance_actions').values(values).returning('id').executeTakeFirstOrThrow();
        const events = await from.selectFrom('instance_actions_events').selectAll().where('action_id', '=', id).where('deleted', '=', 0).orderBy('id').execute();
        for (const event of events) {
          const { id: _eventId, ...eventValues } = event;
          await trx.insertInto('instance_actions_events').values({ ...eventValues, action_id: inserted.id }).execute();
        }
      }
    }
  });
}
