import type { Kysely } from 'kysely';
import type { Clock } from '../../common/clock.js';
import type { ApiSchema } from './api-schema.js';

/** Host mappings: which cell each compute host belongs to. */
export class HostMappingRepo {
  constructor(private readonly deps: { db: Kysely<ApiSchema>; clock: Clock }) {}

  async cellIdOf(host: string): Promise<number | undefined> {
    const row = await this.deps.db.selectFrom('host_mappings').select('cell_id').where('host', '=', host).executeTakeFirst();
    return row?.cell_id;
  }

  async list(): Promise<{ host: string; cell_id: number }[]> {
    return this.deps.db.selectFrom('host_mappings').select(['host', 'cell_id']).orderBy('host').execute();
  }

  /** Maps the host to the cell unless it is mapped already; true when a mapping was created. */
  async ensure(host: string, cellId: number): Promise<boolean> {
    if ((await this.cellIdOf(host)) !== undefined) return false;
    const result = await this.deps.db
      .insertInto('host_mappings')
      .values({ host, cell_id: cellId, created_at: this.deps.clock.now().toISOString(), updated_at: null })
      .onConflict((oc) => oc.column('host').doNothing())
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }
}
