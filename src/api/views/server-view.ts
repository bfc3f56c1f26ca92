import { createHash } from 'node:crypto';
import type { BlockDeviceMapping, NetworkInfoEntry } from '../../objects/block-device.js';
import type { Instance, InstanceFault } from '../../objects/instance.js';
import { serverStatus } from '../../objects/server-status.js';
import { atLeast, type Microversion } from '../microversion.js';

/** What shaping a server body needs beyond the instance itself. */
export interface ServerViewContext {
  mv: Microversion;
  /** e.g. `http://127.0.0.1:8774/compute` */
  computeRoot: string;
  /** `v2.1` or `v2`, as the request came in. */
  version: string;
  /** May see the OS-EXT-SRV-ATTR fields (os_compute_api:extended_server_attributes). */
  showExtended: boolean;
  /** May see host_status (os_compute_api:servers:show:host_status). */
  showHostStatus: boolean;
  /** host → UP | DOWN | MAINTENANCE | UNKNOWN */
  hostStatus: (host: string | null) => string;
  isAdmin: boolean;
  /** May see the flavor's extra specs (os_compute_api:os-flavor-extra-specs:index). */
  showExtraSpecs: boolean;
}

const PROGRESS_STATUSES = new Set(['ACTIVE', 'BUILD', 'REBUILD', 'RESIZE', 'VERIFY_RESIZE', 'MIGRATING']);

export function serverLinks(v: ServerViewContext, uuid: string): { rel: string; href: string }[] {
  return [
    { rel: 'self', href: `${v.computeRoot}/${v.version}/servers/${uuid}` },
    { rel: 'bookmark', href: `${v.computeRoot}/servers/${uuid}` },
  ];
}

/** The entry of GET /servers: id, name, links. */
export function serverSummary(v: ServerViewContext, i: Instance): Record<string, unknown> {
  return { id: i.uuid, name: i.display_name, links: serverLinks(v, i.uuid) };
}

/** What the body shows of the server's devices: its network info cache and block device mappings. */
export interface ServerDeviceView {
  networkInfo: readonly NetworkInfoEntry[];
  bdms: readonly BlockDeviceMapping[];
}

/**
 * The full server of GET /servers/{id} and /servers/detail, shaped for the request's microversion;
 * `tags` are the server's tags, shown from 2.26 on; `devices` fill `addresses` and
 * `os-extended-volumes:volumes_attached`.
 */
export function serverDetail(
  v: ServerViewContext,
  i: Instance,
  fault: InstanceFault | undefined,
  tags: readonly string[] = [],
  devices: ServerDeviceView = { networkInfo: [], bdms: [] },
): Record<string, unknown> {
  const status = i.deleted ? 'DELETED' : serverStatus(i.vm_state, i.task_state);
  const body: Record<string, unknown> = {
    id: i.uuid,
    name: i.display_name,
    status,
    tenant_id: i.project_id,
    user_id: i.user_id,
    metadata: i.metadata,
    hostId: hostId(i.project_id, i.host),
    image: i.image_ref === '' ? '' : { id: i.image_ref, links: [{ rel: 'bookmark', href: `${v.computeRoot}/images/${i.image_ref}` }] },
    flavor: flavorView(v, i),
    created: apiTime(i.created_at),
    updated: apiTime(i.updated_at ?? i.created_at),
    addresses: addresses(devices.networkInfo),
    accessIPv4: i.access_ip_v4 ?? '',
    accessIPv6: i.access_ip_v6 ?? '',
    links: serverLinks(v, i.uuid),
    'OS-DCF:diskConfig': 'MANUAL',
    'OS-EXT-AZ:availability_zone': i.availability_zone ?? '',
    config_drive: i.config_drive,
    key_name: i.key_name,
    'OS-SRV-USG:launched_at': usageTime(i.launched_at),
    'OS-SRV-USG:terminated_at': usageTime(i.terminated_at),
    security_groups: [{ name: 'default' }],
    'OS-EXT-STS:task_state': i.task_state,
    'OS-EXT-STS:vm_state': i.vm_state,
    'OS-EXT-STS:power_state': i.power_state,
    'os-extended-volumes:volumes_attached': volumesAttached(v, devices.bdms),
  };
  if (PROGRESS_STATUSES.has(status)) body['progress'] = i.progress;
  if (v.showExtended) {
    body['OS-EXT-SRV-ATTR:host'] = i.host;
    body['OS-EXT-SRV-ATTR:hypervisor_hostname'] = i.node;
    body['OS-EXT-SRV-ATTR:instance_name'] = i.id === 0 ? '' : `instance-${i.id.toString(16).padStart(8, '0')}`;
    if (atLeast(v.mv, '2.3')) {
      body['OS-EXT-SRV-ATTR:reservation_id'] = i.reservation_id;
      body['OS-EXT-SRV-ATTR:launch_index'] = i.launch_index;
      body['OS-EXT-SRV-ATTR:hostname'] = i.hostname;
      body['OS-EXT-SRV-ATTR:kernel_id'] = '';
      body['OS-EXT-SRV-ATTR:ramdisk_id'] = '';
      body['OS-EXT-SRV-ATTR:root_device_name'] = null;
      body['OS-EXT-SRV-ATTR:user_data'] = i.user_data;
    }
  } else if (atLeast(v.mv, '2.90')) {
    body['OS-EXT-SRV-ATTR:hostname'] = i.hostname;
  }
  if (atLeast(v.mv, '2.9')) body['locked'] = i.locked;
  if (atLeast(v.mv, '2.16') && v.showHostStatus) body['host_status'] = i.host === null ? '' : v.hostStatus(i.host);
  if (atLeast(v.mv, '2.19')) body['description'] = i.display_description;
  if (atLeast(v.mv, '2.26')) body['tags'] = [...tags];
  if (atLeast(v.mv, '2.63')) body['trusted_image_certificates'] = null;
  if (atLeast(v.mv, '2.73')) body['locked_reason'] = null;
  if (atLeast(v.mv, '2.96')) body['pinned_availability_zone'] = i.system_metadata['pinned_availability_zone'] ?? null;
  if (fault !== undefined && (status === 'ERROR' || status === 'DELETED')) {
    const f: Record<string, unknown> = { code: fault.code, created: apiTime(fault.created_at), message: fault.message };
    if ((v.isAdmin || fault.code !== 500) && fault.details !== null && fault.details !== '') f['details'] = fault.details;
    body['fault'] = f;
  }
  return body;
}

/**
 * Nova's `addresses`: the fixed addresses of each port, grouped under the name of the port's
 * network, in the order the ports were given to the server.
 */
function addresses(info: readonly NetworkInfoEntry[]): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const vif of info) {
    const list = (out[vif.network_name] ??= []);
    for (const ip of vif.fixed_ips) {
      list.push({ version: ip.version, addr: ip.ip_address, 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': vif.mac_address });
    }
  }
  return out;
}

/** Nova's `os-extended-volumes:volumes_attached`: every mapped volume, root first; 2.3 adds delete_on_termination. */
function volumesAttached(v: ServerViewContext, bdms: readonly BlockDeviceMapping[]): Record<string, unknown>[] {
  return bdms.flatMap((b) => {
    if (b.volume_id === null) return [];
    return [atLeast(v.mv, '2.3') ? { id: b.volume_id, delete_on_termination: b.delete_on_termination } : { id: b.volume_id }];
  });
}

function flavorView(v: ServerViewContext, i: Instance): Record<string, unknown> {
  const f = i.flavor;
  if (!atLeast(v.mv, '2.47')) {
    return { id: f.flavorid, links: [{ rel: 'bookmark', href: `${v.computeRoot}/flavors/${f.flavorid}` }] };
  }
  const view: Record<string, unknown> = { vcpus: f.vcpus, ram: f.memory_mb, disk: f.root_gb, ephemeral: f.ephemeral_gb, swap: f.swap, original_name: f.name };
  if (v.showExtraSpecs) view['extra_specs'] = f.extra_specs;
  return view;
}

/** Nova's hostId: an opaque per-project digest of the host name, empty when there is no host. */
export function hostId(projectId: string, host: string | null): string {
  if (host === null || host === '') return '';
  return createHash('sha224').update(projectId + host).digest('hex');
}

/** `2026-11-24T10:00:00Z`, as Nova prints server times. */
export function apiTime(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z');
}

/** `2026-11-24T10:00:00.000000`, as Nova prints launched_at and terminated_at. */
function usageTime(iso: string | null): string | null {
  if (iso === null) return null;
  return iso.replace(/(\.\d+)?Z$/, (_m, frac: string | undefined) => `.${(frac ?? '.0').slice(1).padEnd(6, '0')}`);
}
