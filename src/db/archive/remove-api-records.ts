import type { Kysely } from 'kysely';
import type { ApiSchema } from '../api/api-schema.js';
import type { TableCounts } from './move-rows.js';

/**
 * Deletes what the API database still holds about instances whose rows were archived: their
 * instance mappings, request specs and server group memberships (Nova's archive does the same;
 * the API database has no shadow tables). Only instances whose mapping points at one of `cellIds`
 * (or at no cell) count: a uuid archived from a cell that held a stale copy of an instance living
 * elsewhere must not take the live instance's mapping with it. Counts are keyed by table name.
 */
export async function removeApiRecordsOfArchived(db: Kysely<ApiSchema>, instanceUuids: readonly string[], cellIds: readonly number[]): Promise<TableCounts> {
  const counts: TableCounts = new Map([
    ['instance_mappings', 0],
    ['request_specs', 0],
    ['instance_group_members', 0],
  ]);
  for (let i = 0; i < instanceUuids.length; i += 500) {
    const chunk = instanceUuids.slice(i, i + 500);
    const mappings = await db.selectFrom('instance_mappings').select(['instance_uuid', 'cell_id']).where('instance_uuid', 'in', chunk).execute();
    const elsewhere = new Set(mappings.filter((m) => m.cell_id !== null && !cellIds.includes(m.cell_id)).map((m) => m.instance_uuid));
    const owned = chunk.filter((u) => !elsewhere.has(u));
    if (owned.length === 0) continue;
    await db.transaction().execute(async (trx) => {
      const add = (table: string, n: bigint | number): void => void counts.set(table, (counts.get(table) ?? 0) + Number(n));
      add('instance_group_members', (await trx.deleteFrom('instance_group_members').where('instance_uuid', 'in', owned).executeTakeFirst()).numDeletedRows);
      add('request_specs', (await trx.deleteFrom('request_specs').where('instance_uuid', 'in', owned).executeTakeFirst()).numDeletedRows);
      add('instance_mappings', (await trx.deleteFrom('instance_mappings').where('instance_uuid', 'in', owned).executeTakeFirst()).numDeletedRows);
    });
  }
  return counts;
}
