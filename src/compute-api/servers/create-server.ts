import { BadRequestError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import { createApiRepos } from '../../db/api/api-repos.js';
import type { ServerGroup } from '../../db/api/server-group-repo.js';
import type { NewBlockDeviceMapping } from '../../objects/block-device.js';
import type { Flavor } from '../../objects/flavor.js';
import type { Instance } from '../../objects/instance.js';
import { PowerState } from '../../objects/power-state.js';
import type { RequestSpec } from '../../objects/request-spec.js';
import { TaskState } from '../../objects/task-state.js';
import { VmState } from '../../objects/vm-state.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { bootKeyPair } from '../key-pairs/boot-key-pair.js';
import { checkBootQuota } from '../quotas/boot-quota.js';
import type { CreateServerRequest } from './create-server-schema.js';
import { imageSystemMetadata } from './image-system-metadata.js';
import { sanitizeHostname } from './hostname.js';
import { checkBlockDevices } from './block-device-request.js';
import { resolveBootImage } from './boot-image.js';
import { inTransaction } from '../../db/transaction.js';
import { resolveRequestedNetworks } from './requested-networks.js';
import { releaseReservations, reserveVolumes } from './volume-reservations.js';
import type { Volume } from '../../volume/index.js';

export interface CreatedServers {
  uuids: string[];
  reservationId: string;
  adminPass: string;
}

/**
 * The API's half of a boot: check policy and every input (flavor, image, block devices, networks
 * and ports), reserve the existing volumes the servers boot with, then write the build requests
 * (with their block devices), request specs (with the requested networks) and instance mappings
 * in one API-database transaction and cast to the conductor. Nothing is written when any check
 * fails, and a failure after the reservations gives them back.
 */
export async function createServers(deps: ComputeApiDeps, ctx: RequestContext, body: CreateServerRequest): Promise<CreatedServers> {
  const s = body.server;
  const target = { project_id: ctx.projectId, user_id: ctx.userId };
  deps.policy.authorize('os_compute_api:servers:create', ctx, target);

  const { zone, host } = parseZone(s.availability_zone);
  const requestedHost = s.host ?? host;
  if (requestedHost !== undefined || s.hypervisor_hostname !== undefined) {
    deps.policy.authorize(s.host === undefined ? 'os_compute_api:servers:create:forced_host' : 'os_compute_api:servers:create:requested_destination', ctx, target);
  }
  if (zone !== undefined) await checkZone(deps, zone);
  rejectUnsupported(s);
  if (s.block_device_mapping_v2 !== undefined && s.block_device_mapping_v2.length > 0) deps.policy.authorize('os_compute_api:servers:create:attach_volume', ctx, target);
  if (Array.isArray(s.networks) && s.networks.length > 0) deps.policy.authorize('os_compute_api:servers:create:attach_network', ctx, target);

  const flavor = await resolveFlavor(deps, s.flavorRef);
  const { min, max: requested } = counts(s.min_count, s.max_count);
  await bootKeyPair(deps, ctx, s.key_name);
  const groupHint = body['os:scheduler_hints']?.['group'] ?? body['OS-SCH-HNT:scheduler_hints']?.['group'];
  // How many of min..max the project's quota allows (403 when not even min fits).
  const max = await checkBootQuota(deps, ctx, { flavor, min, max: requested, metadata: s.metadata, group: groupHint });
  const imageRef = s.imageRef === undefined || s.imageRef === '' ? undefined : s.imageRef;
  if (imageRef === undefined && (s.block_device_mapping_v2 ?? []).length === 0) {
    throw new BadRequestError('compute.image_required', s.imageRef === undefined ? 'Missing imageRef attribute' : 'Block Device Mapping is Invalid: Boot sequence for the instance and image/block device mapping combination is not valid.');
  }
  const devices = await checkBlockDevices(deps, ctx, s.block_device_mapping_v2 ?? [], { imageRef, flavor, count: max });
  // The image named by imageRef is the server's image even when the root disk is a volume.
  const image = imageRef === undefined ? undefined : devices.rootImage?.id === imageRef ? devices.rootImage : await resolveBootImage(deps, ctx, imageRef, flavor, !devices.volumeBacked);
  const bootImage = image ?? devices.rootImage;
  const requestedNetworks = await resolveRequestedNetworks(deps, ctx, s.networks, max);

  const now = deps.clock.now().toISOString();
  const reservationId = `r-${deps.ids.secret(6).toLowerCase().replace(/[^a-z0-9]/g, '0').slice(0, 8)}`;
  const adminPass = s.adminPass ?? deps.ids.secret(9);
  const systemMetadata = bootImage !== undefined ? imageSystemMetadata(bootImage, flavor, ctx) : volumeSystemMetadata(devices.rootVolume, ctx);
  const instances: Instance[] = [];
  for (let i = 0; i < max; i++) {
    const uuid = deps.ids.uuid();
    const name = max > 1 ? `${s.name}-${i + 1}` : s.name;
    // Nova records a volume-backed server's image only when imageRef named one ("" otherwise).
    const instanceImage = devices.volumeBacked ? (image?.id ?? '') : (bootImage?.id ?? '');
    instances.push(newInstance({ uuid, name, index: i, ctx, now, flavor, imageRef: instanceImage, systemMetadata, reservationId, zone, s }));
  }
  const hints = { ...(body['OS-SCH-HNT:scheduler_hints'] ?? {}), ...(body['os:scheduler_hints'] ?? {}) };
  const group = typeof hints['group'] === 'string' ? await resolveGroup(deps, ctx, hints['group']) : undefined;
  const specFor = (instance: Instance): RequestSpec => ({
    instance_uuid: instance.uuid,
    project_id: ctx.projectId,
    user_id: ctx.userId,
    flavor,
    image: { id: bootImage?.id ?? '', min_disk: bootImage?.min_disk ?? 0, min_ram: bootImage?.min_ram ?? 0, properties: {} },
    availability_zone: zone ?? null,
    num_instances: max,
    min_count: min,
    ignore_hosts: [],
    requested_destination:
      requestedHost !== undefined || s.hypervisor_hostname !== undefined
        ? { ...(requestedHost !== undefined ? { host: requestedHost } : {}), ...(s.hypervisor_hostname !== undefined ? { node: s.hypervisor_hostname } : {}) }
        : null,
    scheduler_hints: Object.fromEntries(Object.entries(hints).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : [String(v)]])),
    // The conductor refreshes hosts and members before each scheduling call.
    instance_group:
      group === undefined
        ? null
        : { uuid: group.uuid, policy: group.policy, rules: group.rules, hosts: [], members: [...group.members, ...instances.map((i) => i.uuid)] },
    requested_networks: requestedNetworks,
    is_bfv: devices.volumeBacked,
  });

  const log = deps.logger.child({ request_id: ctx.requestId });
  // Reserved last, once every check passed: from here on a failure gives the reservations back.
  const mappings = new Map<string, NewBlockDeviceMapping[]>();
  try {
    for (const instance of instances) {
      const own = devices.templates.map((t) => ({ ...t, uuid: deps.ids.uuid(), instance_uuid: instance.uuid }));
      mappings.set(instance.uuid, await reserveVolumes(deps.volumes, ctx, own, log));
    }
    await writeBuildRecords(deps, ctx, instances, mappings, specFor, group);
  } catch (err) {
    for (const list of mappings.values()) await releaseReservations(deps.volumes, ctx, list, log);
    throw err;
  }
  log.info({ instance_uuids: instances.map((i) => i.uuid), min_count: min, volume_backed: devices.volumeBacked, networks: requestedNetworks.length }, 'servers accepted for build');
  await deps.conductor.scheduleAndBuildInstances(ctx, { instance_uuids: instances.map((i) => i.uuid) });
  return { uuids: instances.map((i) => i.uuid), reservationId, adminPass };
}

/** The build requests (with their block devices), request specs and mappings, in one API-database transaction. */
async function writeBuildRecords(
  deps: ComputeApiDeps,
  ctx: RequestContext,
  instances: Instance[],
  mappings: Map<string, NewBlockDeviceMapping[]>,
  specFor: (i: Instance) => RequestSpec,
  group: ServerGroup | undefined,
): Promise<void> {
  await inTransaction(deps.api.db, async (trx) => {
    const repos = createApiRepos({ db: trx, clock: deps.clock, ids: deps.ids });
    for (const instance of instances) {
      await repos.buildRequests.create(instance, mappings.get(instance.uuid) ?? []);
      await repos.requestSpecs.create(specFor(instance));
      await repos.instanceMappings.create({ instanceUuid: instance.uuid, projectId: ctx.projectId, userId: ctx.userId });
      if (group !== undefined) await repos.serverGroups.addMember(group.uuid, instance.uuid);
    }
  });
}

/** The group of the `group` hint; another project's group is as unknown as a missing one. */
async function resolveGroup(deps: ComputeApiDeps, ctx: RequestContext, uuid: string): Promise<ServerGroup> {
  const group = await deps.api.serverGroups.find(uuid, ctx.isAdmin ? {} : { projectId: ctx.projectId });
  if (group === undefined) throw new BadRequestError('compute.server_group_not_found', `Instance group ${uuid} could not be found.`);
  return group;
}

function parseZone(value: string | undefined): { zone?: string; host?: string } {
  if (value === undefined) return {};
  const [zone, host] = value.split(':');
  return { ...(zone ? { zone } : {}), ...(host ? { host } : {}) };
}

async function checkZone(deps: ComputeApiDeps, zone: string): Promise<void> {
  const zones = await deps.api.aggregates.zoneNames();
  zones.add(deps.config.DEFAULT.default_availability_zone);
  if (!zones.has(zone)) throw new BadRequestError('compute.invalid_zone', `The requested availability zone is not available`);
}

function rejectUnsupported(s: CreateServerRequest['server']): void {
  const groups = (s.security_groups ?? []).filter((g) => g.name !== 'default');
  if (groups.length > 0) throw new BadRequestError('compute.security_groups_unsupported', `Security groups are not supported: ${groups.map((g) => g.name).join(', ')}`);
}

async function resolveFlavor(deps: ComputeApiDeps, ref: string | number): Promise<Flavor> {
  const id = String(ref).split('/').pop() ?? '';
  const flavor = await deps.api.flavors.find(id);
  if (flavor === undefined || flavor.disabled) throw new BadRequestError('compute.invalid_flavor', 'Invalid flavorRef provided.');
  return flavor;
}

/**
 * A volume-backed server without an image keeps the image metadata of its root volume (Cinder's
 * volume_image_metadata), as Nova's boot metadata does.
 */
function volumeSystemMetadata(volume: Volume | undefined, ctx: RequestContext): Record<string, string> {
  const meta: Record<string, string> = {};
  for (const [key, value] of Object.entries(volume?.imageMetadata ?? {})) meta[`image_${key}`] = value;
  if (ctx.projectName !== undefined) meta['owner_project_name'] = ctx.projectName;
  if (ctx.userName !== undefined) meta['owner_user_name'] = ctx.userName;
  return meta;
}

function counts(minRaw: number | string | undefined, maxRaw: number | string | undefined): { min: number; max: number } {
  const min = minRaw === undefined || minRaw === '' ? 1 : Number(minRaw);
  const max = maxRaw === undefined || maxRaw === '' ? min : Number(maxRaw);
  if (!Number.isInteger(min) || min < 1) throw new BadRequestError('compute.invalid_count', `Invalid input for field/attribute min_count. Value: ${String(minRaw)}.`);
  if (!Number.isInteger(max) || max < 1) throw new BadRequestError('compute.invalid_count', `Invalid input for field/attribute max_count. Value: ${String(maxRaw)}.`);
  if (min > max) throw new BadRequestError('compute.invalid_count', 'min_count must be <= max_count');
  return { min, max };
}

function newInstance(p: {
  uuid: string; name: string; index: number; ctx: RequestContext; now: string; flavor: Flavor; imageRef: string;
  systemMetadata: Record<string, string>; reservationId: string; zone: string | undefined; s: CreateServerRequest['server'];
}): Instance {
  return {
    id: 0,
    uuid: p.uuid,
    display_name: p.name,
    display_description: p.s.description ?? null,
    hostname: p.s.hostname ?? sanitizeHostname(p.name, `server-${p.uuid}`),
    project_id: p.ctx.projectId,
    user_id: p.ctx.userId,
    image_ref: p.imageRef,
    flavor: p.flavor,
    old_flavor: null,
    new_flavor: null,
    vm_state: VmState.BUILDING,
    task_state: TaskState.SCHEDULING,
    power_state: PowerState.NOSTATE,
    host: null,
    node: null,
    availability_zone: p.zone ?? null,
    reservation_id: p.reservationId,
    launch_index: p.index,
    key_name: p.s.key_name ?? null,
    config_drive: p.s.config_drive === true || p.s.config_drive === 'True' || p.s.config_drive === 'true' ? 'True' : '',
    access_ip_v4: p.s.accessIPv4 ?? null,
    access_ip_v6: p.s.accessIPv6 ?? null,
    metadata: p.s.metadata ?? {},
    // Written with the instance into its cell (2.52+); duplicates collapse, as Nova's tag set does.
    ...(p.s.tags !== undefined && p.s.tags.length > 0 ? { tags: [...new Set(p.s.tags)] } : {}),
    system_metadata: { ...p.systemMetadata },
    user_data: p.s.user_data ?? null,
    locked: false,
    locked_by: null,
    progress: 0,
    hidden: false,
    launched_at: null,
    terminated_at: null,
    created_at: p.now,
    updated_at: null,
    deleted_at: null,
    deleted: false,
  };
}
