import type { Kysely } from 'kysely';
import type { Clock } from '../../common/clock.js';
import type { InstanceFault } from '../../objects/instance.js';
import type { CellSchema } from './cell-schema.js';

/** Instance faults: why an instance went to ERROR. */
export class InstanceFaultRepo {
  constructor(private readonly deps: { db: Kysely<CellSchema>; clock: Clock }) {}

  async record(fault: Omit<InstanceFault, 'created_at'>): Promise<void> {
    await this.deps.db
      .insertInto('instance_faults')
      .values({ ...fault, created_at: this.deps.clock.now().toISOString(), updated_at: null, deleted_at: null })
      .execute();
  }

  /** The newest fault of each of the given instances. */
  async latestFor(uuids: string[]): Promise<Map<string, InstanceFault>> {
    const out = new Map<string, InstanceFault>();
    if (uuids.length === 0) return out;
    const rows = await this.deps.db
      .selectFrom('instance_faults')
      .select(['instance_uuid', 'code', 'message', 'details', 'host', 'created_at'])
      .where('instance_uuid', 'in', uuids)
      .where('deleted', '=', 0)
      .orderBy('id', 'desc')
      .execute();
    for (const r of rows) if (!out.has(r.instance_uuid)) out.set(r.instance_uuid, r);
    return out;
  }
}
