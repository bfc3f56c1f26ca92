import type { CellRepos } from '../../db/cell/cell-repos.js';
import type { ComputeNode } from '../../db/cell/compute-node-repo.js';
import type { ServiceRecord } from '../../db/cell/service-repo.js';
import { CELL0_UUID, type CellMapping } from '../../objects/cell-mapping.js';
import { isServiceUp } from '../../objects/service-liveness.js';
import { TaskState } from '../../objects/task-state.js';
import { VmState } from '../../objects/vm-state.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { formatUptime } from './host-uptime.js';
import { encodeHypervisorId } from './hypervisor-id.js';

/** A compute node with its host's nova-compute service, as the hypervisors API shows it. */
export interface HypervisorEntry {
  node: ComputeNode;
  cell: CellMapping;
  service: ServiceRecord;
  /** The integer id shown below 2.53 (unique across cells, see hypervisor-id.ts). */
  legacyId: number;
  /** The service reported in time and is not forced down. */
  up: boolean;
}

/** A server on a hypervisor, as `servers` lists it. */
export interface ServerRef {
  name: string;
  uuid: string;
}

/**
 * Every compute node of every cell (in cell order, then by id) whose host still has a nova-compute
 * service; a node whose service was deleted is left out, as Nova does. `cellId` narrows it to one cell.
 */
export async function collectHypervisors(deps: ComputeApiDeps, filter: { cellId?: number } = {}): Promise<HypervisorEntry[]> {
  const now = deps.clock.now();
  const downTime = deps.config.DEFAULT.service_down_time;
  const out: HypervisorEntry[] = [];
  for (const cell of await deps.api.cells.list()) {
    if (cell.uuid === CELL0_UUID || (filter.cellId !== undefined && cell.id !== filter.cellId)) continue;
    const repos = deps.cells.repos(cell);
    const [nodes, services] = await Promise.all([repos.computeNodes.list(), repos.services.list({ binary: 'nova-compute' })]);
    const serviceOf = new Map(services.map((s) => [s.host, s]));
    for (const node of nodes) {
      const service = serviceOf.get(node.host);
      if (service === undefined) continue;
      out.push({ node, cell, service, legacyId: encodeHypervisorId(cell.id, node.id), up: isServiceUp(service, now, downTime) });
    }
  }
  return out;
}

// Nova's io_workload: instances building, or in a disk- or network-heavy task.
const WORKLOAD_TASKS: readonly string[] = [
  TaskState.RESIZE_MIGRATING, 'rebuilding', TaskState.RESIZE_PREP, 'image_snapshot', 'image_backup', 'rescuing', 'unshelving',
];

/**
 * The current workload of each entry's host (Nova's `current_workload`): how many of its instances
 * are building or in a heavy task. Keyed by `hostKey`.
 */
export async function workloads(deps: ComputeApiDeps, entries: readonly HypervisorEntry[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const [, { cell, repos, hosts }] of byCell(deps, entries)) {
    // Few instances are busy at any time: read the cell's busy ones and keep those on these hosts.
    const rows = await repos.db
      .selectFrom('instances')
      .select('host')
      .where('deleted', '=', 0)
      .where('hidden', '=', 0)
      .where((eb) => eb.or([eb('vm_state', '=', VmState.BUILDING), eb('task_state', 'in', [...WORKLOAD_TASKS])]))
      .execute();
    for (const r of rows) {
      if (r.host === null || !hosts.has(r.host)) continue;
      const key = hostKey(cell, r.host);
      out.set(key, (out.get(key) ?? 0) + 1);
    }
  }
  return out;
}

const MAX_IN_LIST = 500;

/** The servers on each entry's host, oldest first. Keyed by `hostKey`. */
export async function serversOnHosts(deps: ComputeApiDeps, entries: readonly HypervisorEntry[]): Promise<Map<string, ServerRef[]>> {
  const out = new Map<string, ServerRef[]>();
  for (const [, { cell, repos, hosts }] of byCell(deps, entries)) {
    // Past a few hundred hosts, one read of the whole cell beats a huge IN list.
    const instances = await repos.instances.list(hosts.size <= MAX_IN_LIST ? { hosts: [...hosts] } : {});
    for (const instance of instances) {
      if (instance.host === null || !hosts.has(instance.host)) continue;
      const key = hostKey(cell, instance.host);
      const list = out.get(key);
      const ref = { name: instance.display_name, uuid: instance.uuid };
      if (list === undefined) out.set(key, [ref]);
      else list.push(ref);
    }
  }
  return out;
}

/** How the maps above name a host: hosts are unique per cell. */
export function hostKey(cell: CellMapping, host: string): string {
  return `${cell.id}/${host}`;
}

/** The host's uptime, or null when its service is down (nothing reports it then). */
export function uptimeOf(deps: ComputeApiDeps, entry: HypervisorEntry): string | null {
  return entry.up ? formatUptime(new Date(entry.service.created_at), deps.clock.now()) : null;
}

function byCell(deps: ComputeApiDeps, entries: readonly HypervisorEntry[]): Map<number, { cell: CellMapping; repos: CellRepos; hosts: Set<string> }> {
  const out = new Map<number, { cell: CellMapping; repos: CellRepos; hosts: Set<string> }>();
  for (const e of entries) {
    let group = out.get(e.cell.id);
    if (group === undefined) {
      group = { cell: e.cell, repos: deps.cells.repos(e.cell), hosts: new Set() };
      out.set(e.cell.id, group);
    }
    group.hosts.add(e.node.host);
  }
  return out;
}
