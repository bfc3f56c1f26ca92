import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../../common/clock.js';
import type { IdGenerator } from '../../common/ids.js';
import type { CellSchema, ComputeNodeTable } from './cell-schema.js';
import { columnsOf, definedColumns, preparedFamily, type AnyPlaceholders } from '../prepared-query.js';

// Every resource report that changed something rewrites its node: one prepared update per set
// of columns, which returns the row (no read before it).
const updateLiveNode = preparedFamily(
  (columns: readonly string[]) => columns.join(','),
  (db: Kysely<CellSchema>, p: AnyPlaceholders, columns: readonly string[]) =>
    db
      .updateTable('compute_nodes')
      .set(columnsOf(p, columns))
      .where('host', '=', p['host'] as string)
      .where('hypervisor_hostname', '=', p['node'] as string)
      .where('deleted', '=', 0)
      .returningAll(),
);

export type ComputeNode = Omit<Selectable<ComputeNodeTable>, 'deleted'>;

/** What the resource tracker reports for its node. */
export interface NodeReport {
  host: string;
  hypervisor_hostname: string;
  hypervisor_type: string;
  hypervisor_version: number;
  host_ip: string;
  vcpus: number;
  memory_mb: number;
  local_gb: number;
  vcpus_used: number;
  memory_mb_used: number;
  local_gb_used: number;
  running_vms: number;
  cpu_allocation_ratio: number;
  ram_allocation_ratio: number;
  disk_allocation_ratio: number;
  reserved_host_memory_mb: number;
  reserved_host_disk_mb: number;
  reserved_host_cpus: number;
}

/** The columns of a node that scheduling reads. */
export type SchedulingNode = Pick<
  ComputeNode,
  | 'uuid' | 'host' | 'hypervisor_hostname' | 'hypervisor_type' | 'vcpus' | 'memory_mb' | 'local_gb'
  | 'cpu_allocation_ratio' | 'ram_allocation_ratio' | 'disk_allocation_ratio'
  | 'reserved_host_memory_mb' | 'reserved_host_disk_mb' | 'reserved_host_cpus'
>;

/** Compute nodes of one cell: each hypervisor's capacity and usage. */
export class ComputeNodeRepo {
  constructor(private readonly deps: { db: Kysely<CellSchema>; clock: Clock; ids: IdGenerator }) {}

  async list(filter: { host?: string } = {}): Promise<ComputeNode[]> {
    let q = this.deps.db.selectFrom('compute_nodes').selectAll().where('deleted', '=', 0);
    if (filter.host !== undefined) q = q.where('host', '=', filter.host);
    return q.orderBy('id').execute();
  }

  /**
   * What the scheduler's host view needs of every node, and nothing else: at 1,000 nodes a cell,
   * reading the usage and timestamp columns as well doubles the cost of each reload.
   */
  async schedulingList(): Promise<SchedulingNode[]> {
    return this.deps.db
      .selectFrom('compute_nodes')
      .select(['uuid', 'host', 'hypervisor_hostname', 'hypervisor_type', 'vcpus', 'memory_mb', 'local_gb', 'cpu_allocation_ratio', 'ram_allocation_ratio', 'disk_allocation_ratio', 'reserved_host_memory_mb', 'reserved_host_disk_mb', 'reserved_host_cpus'])
      .where('deleted', '=', 0)
      .execute();
  }

  /** Writes the node's report, creating the record on first report. */
  async save(serviceId: number, report: NodeReport): Promise<ComputeNode> {
    const now = this.deps.clock.now().toISOString();
    const { columns, values } = definedColumns({ ...report, service_id: serviceId, updated_at: now });
    const updated = await updateLiveNode.of(columns).takeFirst(this.deps.db, { columns: values, host: report.host, node: report.hypervisor_hostname });
    if (updated !== undefined) {
      const { deleted: _deleted, ...row } = updated;
      return row;
    }
    // First report (or a race with another first report: the upsert takes the later values).
    await this.deps.db
      .insertInto('compute_nodes')
      .values({ ...report, uuid: this.deps.ids.uuid(), service_id: serviceId, created_at: now, updated_at: now, deleted_at: null })
      .onConflict((oc) => oc.columns(['host', 'hypervisor_hostname', 'deleted']).doUpdateSet({ ...report, service_id: serviceId, updated_at: now }))
      .execute();
    return (await this.list({ host: report.host })).find((n) => n.hypervisor_hostname === report.hypervisor_hostname) as ComputeNode;
  }
}
