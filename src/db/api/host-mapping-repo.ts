import type { Kysely } from 'kysely';
import type { Clock } from '../../common/clock.js';
import { prepareQuery, type Placeholders } from '../prepared-query.js';
import type { ApiSchema } from './api-schema.js';

type Db = Kysely<ApiSchema>;

// Host discovery checks every compute host on each run (thousands, every minute), and moves look
// a host's cell up: prepared once.
const cellOfHost = prepareQuery((db: Db, p: Placeholders<{ host: string }>) => db.selectFrom('host_mappings').select('cell_id').where('host', '=', p.host));
const insertMapping = prepareQuery((db: Db, p: Placeholders<{ host: string; cellId: number; now: string }>) =>
  db
    .insertInto('host_mappings')
    .values({ host: p.host, cell_id: p.cellId, created_at: p.now, updated_at: null })
    .onConflict((oc) => oc.column('host').doNothing()),
);

/** Host mappings: which cell each compute host belongs to. */
export class HostMappingRepo {
  constructor(private readonly deps: { db: Kysely<ApiSchema>; clock: Clock }) {}

  async cellIdOf(host: string): Promise<number | undefined> {
    const row = await cellOfHost.takeFirst(this.deps.db, { host });
    return row?.cell_id;
  }

  async list(): Promise<{ host: string; cell_id: number }[]> {
    return this.deps.db.selectFrom('host_mappings').select(['host', 'cell_id']).orderBy('host').execute();
  }

  /** Maps the host to the cell unless it is mapped already; true when a mapping was created. */
  async ensure(host: string, cellId: number): Promise<boolean> {
    if ((await this.cellIdOf(host)) !== undefined) return false;
    const result = await insertMapping.run(this.deps.db, { host, cellId, now: this.deps.clock.now().toISOString() });
    return (result.numAffectedRows ?? 0n) > 0n;
  }
}
