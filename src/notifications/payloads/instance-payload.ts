import type { RequestContext } from '../../common/request-context.js';
import type { BlockDeviceMapping, NetworkInfoEntry } from '../../objects/block-device.js';
import type { Instance } from '../../objects/instance.js';
import { blockDevicePayloads, type BlockDevicePayload } from './block-device-payload.js';
import { flavorPayload, type FlavorPayload } from './flavor-payload.js';
import { ipPayloads, type IpPayload } from './ip-payload.js';
import { payloadTime } from './payload-time.js';
import { powerStateName } from './power-state-name.js';

/** The version of InstancePayload whose fields `InstancePayloadData` has (Nova's newest). */
export const INSTANCE_PAYLOAD_VERSION = '1.9';

/** The fields every instance payload has (Nova's InstancePayload 1.9). */
export interface InstancePayloadData {
  uuid: string;
  user_id: string;
  tenant_id: string;
  reservation_id: string;
  display_name: string;
  display_description: string | null;
  host_name: string;
  host: string | null;
  node: string | null;
  os_type: string | null;
  architecture: string | null;
  availability_zone: string | null;
  flavor: FlavorPayload;
  image_uuid: string;
  key_name: string | null;
  kernel_id: string;
  ramdisk_id: string;
  created_at: string | null;
  launched_at: string | null;
  terminated_at: string | null;
  deleted_at: string | null;
  updated_at: string | null;
  /** The vm_state. */
  state: string;
  task_state: string | null;
  /** The power state's name (`running`, `shutdown`, `pending`...). */
  power_state: string;
  progress: number;
  ip_addresses: IpPayload[];
  /** Null when block devices are not reported (`[notifications] bdms_in_notifications`). */
  block_devices: BlockDevicePayload[] | null;
  metadata: Record<string, string>;
  locked: boolean;
  locked_reason: string | null;
  auto_disk_config: 'AUTO' | 'MANUAL';
  request_id: string;
  action_initiator_user: string;
  action_initiator_project: string;
  /** Always null: Tessera has no shares (Nova's value when `include_share_mapping` is off). */
  shares: null;
}

/** What an instance payload is made of: the instance as stored, its ports and volumes, and who acted. */
export interface InstancePayloadSource {
  ctx: RequestContext;
  instance: Instance;
  /** The instance's network info cache (empty once its ports are released). */
  networkInfo: readonly NetworkInfoEntry[];
  /** Its block device mappings, or null to leave them out of the payload. */
  bdms: readonly BlockDeviceMapping[] | null;
}

/**
 * The instance fields of a payload. What Nova takes from the image (os_type, architecture,
 * kernel and ramdisk) Tessera keeps in the system metadata that the API copied from the image.
 */
export function instancePayloadData(source: InstancePayloadSource): InstancePayloadData {
  const { ctx, instance: i } = source;
  const sys = i.system_metadata;
  return {
    uuid: i.uuid,
    user_id: i.user_id,
    tenant_id: i.project_id,
    reservation_id: i.reservation_id,
    display_name: i.display_name,
    display_description: i.display_description,
    host_name: i.hostname,
    host: i.host,
    node: i.node,
    os_type: sys['image_os_type'] ?? null,
    architecture: sys['image_hw_architecture'] ?? sys['image_architecture'] ?? null,
    availability_zone: i.availability_zone,
    flavor: flavorPayload(i.flavor),
    image_uuid: i.image_ref,
    key_name: i.key_name,
    kernel_id: sys['image_kernel_id'] ?? '',
    ramdisk_id: sys['image_ramdisk_id'] ?? '',
    created_at: payloadTime(i.created_at),
    launched_at: payloadTime(i.launched_at),
    terminated_at: payloadTime(i.terminated_at),
    deleted_at: payloadTime(i.deleted_at),
    updated_at: payloadTime(i.updated_at),
    state: i.vm_state,
    task_state: i.task_state,
    power_state: powerStateName(i.power_state),
    progress: i.progress,
    ip_addresses: ipPayloads(source.networkInfo),
    block_devices: source.bdms === null ? null : blockDevicePayloads(source.bdms),
    metadata: { ...i.metadata },
    locked: i.locked,
    locked_reason: sys['locked_reason'] ?? null,
    // Tessera always lays out disks itself (the API shows OS-DCF:diskConfig MANUAL).
    auto_disk_config: 'MANUAL',
    request_id: ctx.requestId,
    action_initiator_user: ctx.userId,
    action_initiator_project: ctx.projectId,
    shares: null,
  };
}
