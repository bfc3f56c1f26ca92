import { NotFoundError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import type { RequestContext } from '../../common/request-context.js';
import type { NewBlockDeviceMapping } from '../../objects/block-device.js';
import type { VolumeClient } from '../../volume/index.js';

/**
 * Reserves each existing volume of the mappings for its instance, as Nova's API does before it
 * answers a boot: an attachment without a connector (the volume shows `reserved`), whose id the
 * mapping then carries. When one reservation fails, the ones already made are deleted and the
 * error is rethrown.
 *
 * @example
 * const reserved = await reserveVolumes(volumes, ctx, mappings, log); // mappings with attachment_id
 */
export async function reserveVolumes(volumes: VolumeClient, ctx: RequestContext, mappings: readonly NewBlockDeviceMapping[], log: Logger): Promise<NewBlockDeviceMapping[]> {
  const out: NewBlockDeviceMapping[] = [];
  try {
    for (const m of mappings) {
      if (m.source_type !== 'volume' || m.destination_type !== 'volume' || m.volume_id === undefined || m.volume_id === null) {
        out.push(m);
        continue;
      }
      const attachment = await volumes.attachmentCreate(ctx, m.volume_id, m.instance_uuid);
      out.push({ ...m, attachment_id: attachment.id });
    }
  } catch (err) {
    await releaseReservations(volumes, ctx, out, log);
    throw err;
  }
  return out;
}

/**
 * Deletes the attachments of the mappings (reservations the API made, or attachments left by a
 * build that never happened); one that is already gone is fine, one that cannot be deleted is
 * logged and the rest are still released. Returns how many could not be deleted.
 */
export async function releaseReservations(volumes: VolumeClient, ctx: RequestContext, mappings: readonly NewBlockDeviceMapping[], log: Logger): Promise<number> {
  let failed = 0;
  for (const m of mappings) {
    if (m.attachment_id === undefined || m.attachment_id === null) continue;
    try {
      await volumes.attachmentDelete(ctx, m.attachment_id);
    } catch (err) {
      if (err instanceof NotFoundError) continue;
      failed += 1;
      log.error({ err, instance_uuid: m.instance_uuid, volume_id: m.volume_id, attachment_id: m.attachment_id }, 'could not release a volume reservation');
    }
  }
  return failed;
}
