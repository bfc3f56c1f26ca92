import type { BlockDeviceMapping } from '../../objects/block-device.js';
import { versionedObject, type VersionedObject } from '../notification.js';

/** BlockDevicePayload 1.0: one volume of the instance. */
export interface BlockDevicePayloadData {
  device_name: string | null;
  boot_index: number | null;
  delete_on_termination: boolean;
  volume_id: string;
  tag: string | null;
}

export type BlockDevicePayload = VersionedObject<BlockDevicePayloadData>;

/** The volume mappings only: image-backed and blank local disks are not reported, as in Nova. */
export function blockDevicePayloads(bdms: readonly BlockDeviceMapping[]): BlockDevicePayload[] {
  const out: BlockDevicePayload[] = [];
  for (const bdm of bdms) {
    if (bdm.volume_id === null) continue;
    out.push(
      versionedObject('BlockDevicePayload', '1.0', {
        device_name: bdm.device_name,
        boot_index: bdm.boot_index,
        delete_on_termination: bdm.delete_on_termination,
        volume_id: bdm.volume_id,
        tag: bdm.tag,
      }),
    );
  }
  return out;
}
