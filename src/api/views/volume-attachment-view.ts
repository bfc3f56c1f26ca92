import type { BlockDeviceMapping } from '../../objects/block-device.js';
import { atLeast, type Microversion } from '../microversion.js';

/**
 * A volume attachment as Nova shows it in lists and `show`: the volume's id as `id` (below 2.89),
 * `volumeId`, `serverId`, `device` when the mapping has one, `tag` from 2.70,
 * `delete_on_termination` from 2.79, and `attachment_id` and `bdm_uuid` from 2.89.
 */
export function volumeAttachmentView(mv: Microversion, bdm: BlockDeviceMapping): Record<string, unknown> {
  const newIds = atLeast(mv, '2.89');
  const body: Record<string, unknown> = {};
  if (!newIds) body['id'] = bdm.volume_id;
  body['volumeId'] = bdm.volume_id;
  body['serverId'] = bdm.instance_uuid;
  if (bdm.device_name !== null && bdm.device_name !== '') body['device'] = bdm.device_name;
  if (atLeast(mv, '2.70')) body['tag'] = bdm.tag;
  if (atLeast(mv, '2.79')) body['delete_on_termination'] = bdm.delete_on_termination;
  if (newIds) {
    body['attachment_id'] = bdm.attachment_id;
    body['bdm_uuid'] = bdm.uuid;
  }
  return body;
}

/**
 * The answer to an attach, as Nova gives it at every microversion: `id`, `serverId`, `volumeId`
 * and `device` always, `tag` from 2.70, `delete_on_termination` from 2.79.
 */
export function attachedVolumeView(mv: Microversion, bdm: BlockDeviceMapping): Record<string, unknown> {
  const body: Record<string, unknown> = { id: bdm.volume_id, serverId: bdm.instance_uuid, volumeId: bdm.volume_id, device: bdm.device_name };
  if (atLeast(mv, '2.70')) body['tag'] = bdm.tag;
  if (atLeast(mv, '2.79')) body['delete_on_termination'] = bdm.delete_on_termination;
  return body;
}
