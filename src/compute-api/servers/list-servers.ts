import { BadRequestError } from '../../common/errors.js';
import { boolFromString } from '../flavors/bool-from-string.js';
import type { RequestContext } from '../../common/request-context.js';
import type { InstanceFilter } from '../../db/cell/instance-repo.js';
import type { Instance, InstanceFault } from '../../objects/instance.js';
import { serverStatus, vmStatesForStatus } from '../../objects/server-status.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { devicesOf, NO_DEVICES, type ServerDevices } from './server-devices.js';

export interface ServerListQuery {
  name?: string;
  status?: string;
  host?: string;
  node?: string;
  flavor?: string;
  image?: string;
  'changes-since'?: string;
  'changes-before'?: string;
  all_tenants?: string;
  project_id?: string;
  tenant_id?: string;
  user_id?: string;
  availability_zone?: string;
  reservation_id?: string;
  deleted?: string;
  /** Admin only: with `deleted`, false leaves out servers in vm_state soft-delete; alone, true lists them with the live ones. */
  soft_deleted?: string;
  ip?: string;
  /** Comma-separated tag lists (2.26+): has all, has any, lacks one of, has none of. */
  tags?: string;
  'tags-any'?: string;
  'not-tags'?: string;
  'not-tags-any'?: string;
  limit?: number;
  marker?: string;
  sort_key?: string | string[];
  sort_dir?: string | string[];
}

export interface ServerListEntry {
  instance: Instance;
  fault: InstanceFault | undefined;
  /** The server's tags; loaded for detailed lists only (empty otherwise). */
  tags: string[];
  /** Its addresses and volumes; loaded for detailed lists only (none otherwise). */
  devices: ServerDevices;
}

const SORT_KEYS = new Set(['created_at', 'display_name', 'updated_at', 'uuid', 'vm_state', 'task_state', 'power_state', 'launched_at', 'terminated_at', 'hostname', 'host', 'node', 'availability_zone', 'project_id', 'user_id', 'image_ref', 'key_name', 'launch_index', 'locked', 'progress', 'config_drive', 'access_ip_v4', 'access_ip_v6', 'display_description', 'reservation_id', 'instance_type_id', 'kernel_id', 'ramdisk_id', 'root_device_name', 'root_gb', 'ephemeral_gb', 'vcpus', 'memory_mb']);
const ADMIN_SORT_KEYS = new Set(['host', 'node']);

/**
 * Lists servers across every cell and the build requests not yet in one, filtered, sorted by the
 * requested keys (created_at desc by default, uuid as the last tie-break) and paged by marker.
 */
export async function listServers(deps: ComputeApiDeps, ctx: RequestContext, q: ServerListQuery, detail: boolean): Promise<ServerListEntry[]> {
  deps.policy.authorize(detail ? 'os_compute_api:servers:detail' : 'os_compute_api:servers:index', ctx, { project_id: ctx.projectId });
  const allTenants = q.all_tenants !== undefined && q.all_tenants.toLowerCase() !== 'false' && q.all_tenants !== '0';
  if (allTenants) deps.policy.authorize(detail ? 'os_compute_api:servers:detail:get_all_tenants' : 'os_compute_api:servers:index:get_all_tenants', ctx, { project_id: ctx.projectId });
  const admin = deps.policy.check('os_compute_api:servers:allow_all_filters', ctx, { project_id: ctx.projectId });

  const projectId = allTenants ? (q.project_id ?? q.tenant_id) : admin ? (q.project_id ?? q.tenant_id ?? ctx.projectId) : ctx.projectId;
  const filter: InstanceFilter = {};
  if (projectId !== undefined) filter.projectId = projectId;
  if (q.status !== undefined) filter.vmStates = vmStatesForStatus(q.status);
  if (q['changes-since'] !== undefined) filter.changesSince = isoTime(q['changes-since'], 'changes-since');
  if (q['changes-before'] !== undefined) filter.changesBefore = isoTime(q['changes-before'], 'changes-before');
  if (q['changes-since'] !== undefined && q['changes-before'] !== undefined && (filter.changesSince as string) > (filter.changesBefore as string)) {
    throw new BadRequestError('compute.invalid_changes_range', 'The value of changes-since must be less than or equal to changes-before.');
  }
  if (q.flavor !== undefined) filter.flavorId = q.flavor;
  if (q.image !== undefined) filter.imageRef = q.image.split('/').pop() ?? q.image;
  if (q.reservation_id !== undefined) filter.reservationId = q.reservation_id;
  if (q.availability_zone !== undefined) filter.availabilityZone = q.availability_zone;
  if (admin && q.host !== undefined) filter.hosts = [q.host];
  if (admin && q.user_id !== undefined) filter.userId = q.user_id;
  if (admin && q.deleted !== undefined && boolFromString(q.deleted) === true) filter.onlyDeleted = true;
  if (q['changes-since'] !== undefined || q['changes-before'] !== undefined) filter.includeDeleted = filter.onlyDeleted !== true;
  // As Nova's database query: a server a user deleted while reclaim_instance_interval holds it
  // (vm_state soft-delete) is listed with the deleted ones, not with the live ones, unless an
  // admin says otherwise; the changes-since listings show every row.
  if (filter.includeDeleted !== true) {
    const softDeleted = admin && q.soft_deleted !== undefined ? boolFromString(q.soft_deleted) === true : undefined;
    filter.softDeleted = filter.onlyDeleted === true ? softDeleted !== false : softDeleted === true;
  }
  if (q.tags !== undefined) filter.tags = q.tags.split(',');
  if (q['tags-any'] !== undefined) filter.tagsAny = q['tags-any'].split(',');
  if (q['not-tags'] !== undefined) filter.notTags = q['not-tags'].split(',');
  if (q['not-tags-any'] !== undefined) filter.notTagsAny = q['not-tags-any'].split(',');

  const rows: ServerListEntry[] = [];
  const buildRequests = await deps.api.buildRequests.list(projectId);
  for (const br of buildRequests) if (matchesBuildRequest(br, filter)) rows.push({ instance: br, fault: undefined, tags: [...(br.tags ?? [])].sort(), devices: NO_DEVICES });
  for (const cell of await deps.api.cells.list()) {
    const repos = deps.cells.repos(cell);
    const instances = await repos.instances.list(filter);
    const errored = instances.filter((i) => i.vm_state === 'error').map((i) => i.uuid);
    const faults = await repos.faults.latestFor(errored);
    const tags = detail ? await repos.tags.listFor(instances.map((i) => i.uuid)) : new Map<string, string[]>();
    const devices = detail ? await devicesOf(repos, instances.map((i) => i.uuid)) : new Map<string, ServerDevices>();
    for (const i of instances) rows.push({ instance: i, fault: faults.get(i.uuid), tags: tags.get(i.uuid) ?? [], devices: devices.get(i.uuid) ?? NO_DEVICES });
  }
  let result = dedupe(rows);
  if (q.name !== undefined) result = result.filter((r) => nameMatches(r.instance.display_name, q.name as string));
  if (q.status !== undefined) {
    const wanted = q.status.toUpperCase();
    result = result.filter((r) => serverStatus(r.instance.vm_state, r.instance.task_state) === wanted || (wanted === 'DELETED' && r.instance.deleted));
  }
  result.sort(comparator(sortSpec(q, admin)));
  return page(result, q.marker, Math.min(q.limit ?? deps.config.api.max_limit, deps.config.api.max_limit));
}

function matchesBuildRequest(i: Instance, f: InstanceFilter): boolean {
  if (f.onlyDeleted === true || f.hosts !== undefined) return false;
  if (f.vmStates !== undefined && !f.vmStates.includes(i.vm_state)) return false;
  if (f.flavorId !== undefined && i.flavor.flavorid !== f.flavorId) return false;
  if (f.imageRef !== undefined && i.image_ref !== f.imageRef) return false;
  if (f.reservationId !== undefined && i.reservation_id !== f.reservationId) return false;
  if (f.userId !== undefined && i.user_id !== f.userId) return false;
  if (f.availabilityZone !== undefined && i.availability_zone !== f.availabilityZone) return false;
  if (f.changesSince !== undefined && i.created_at < f.changesSince) return false;
  return matchesTags(new Set(i.tags ?? []), f);
}

/** The tag filters on a build request, whose tags are still in memory; the same rules as the cells' query. */
function matchesTags(has: ReadonlySet<string>, f: InstanceFilter): boolean {
  if (f.tags !== undefined && !f.tags.every((t) => has.has(t))) return false;
  if (f.tagsAny !== undefined && f.tagsAny.length > 0 && !f.tagsAny.some((t) => has.has(t))) return false;
  if (f.notTags !== undefined && f.notTags.length > 0 && f.notTags.every((t) => has.has(t))) return false;
  if (f.notTagsAny !== undefined && f.notTagsAny.some((t) => has.has(t))) return false;
  return true;
}

// An instance can briefly be both a build request and a cell row while the conductor moves it.
function dedupe(rows: ServerListEntry[]): ServerListEntry[] {
  const byUuid = new Map<string, ServerListEntry>();
  for (const r of rows) if (!byUuid.has(r.instance.uuid) || r.instance.id !== 0) byUuid.set(r.instance.uuid, r);
  return [...byUuid.values()];
}

function nameMatches(name: string, pattern: string): boolean {
  try {
    return new RegExp(pattern).test(name);
  } catch {
    return name.includes(pattern);
  }
}

function isoTime(value: string, field: string): string {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new BadRequestError('api.invalid_input', `Invalid input for query parameter ${field}. Value: ${value}. '${value}' is not a 'date-time'`);
  return new Date(t).toISOString();
}

type SortSpec = { key: string; dir: 1 | -1 }[];

function sortSpec(q: ServerListQuery, admin: boolean): SortSpec {
  const keys = q.sort_key === undefined ? ['created_at'] : ([] as string[]).concat(q.sort_key);
  const dirs = q.sort_dir === undefined ? [] : ([] as string[]).concat(q.sort_dir);
  const spec: SortSpec = keys.map((key, i) => {
    if (!SORT_KEYS.has(key) || (ADMIN_SORT_KEYS.has(key) && !admin)) throw new BadRequestError('api.invalid_sort_key', `Invalid input for query parameter sort_key. Value: ${key}.`);
    const dir = dirs[i] ?? dirs[0] ?? 'desc';
    if (dir !== 'asc' && dir !== 'desc') throw new BadRequestError('api.invalid_sort_dir', `Invalid input for query parameter sort_dir. Value: ${dir}.`);
    return { key, dir: dir === 'asc' ? 1 : -1 };
  });
  const lastDir = spec[spec.length - 1]?.dir ?? -1;
  return [...spec, { key: 'uuid', dir: lastDir }];
}

function sortValue(i: Instance, key: string): string | number | null {
  switch (key) {
    case 'root_gb': case 'ephemeral_gb': case 'vcpus': case 'memory_mb': return i.flavor[key];
    case 'instance_type_id': return i.flavor.id;
    case 'locked': return i.locked ? 1 : 0;
    default: {
      const v = (i as unknown as Record<string, unknown>)[key];
      return typeof v === 'number' || typeof v === 'string' ? v : null;
    }
  }
}

function comparator(spec: SortSpec): (a: ServerListEntry, b: ServerListEntry) => number {
  return (a, b) => {
    for (const { key, dir } of spec) {
      const x = sortValue(a.instance, key);
      const y = sortValue(b.instance, key);
      if (x === y) continue;
      if (x === null) return -dir; // nulls sort first ascending, last descending, as in the database
      if (y === null) return dir;
      return (x < y ? -1 : 1) * dir;
    }
    return 0;
  };
}

function page(rows: ServerListEntry[], marker: string | undefined, limit: number): ServerListEntry[] {
  let start = 0;
  if (marker !== undefined) {
    const at = rows.findIndex((r) => r.instance.uuid === marker);
    if (at < 0) throw new BadRequestError('compute.marker_not_found', `marker [${marker}] not found`);
    start = at + 1;
  }
  return rows.slice(start, start + limit);
}
