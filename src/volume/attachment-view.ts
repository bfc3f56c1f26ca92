import type { AttachmentRecord } from './attachment-record.js';
import { cinderTime } from './cinder-time.js';

/** Cinder's attachment summary: id, status, instance and volume_id. */
export function attachmentSummary(a: AttachmentRecord): Record<string, unknown> {
  return { id: a.id, status: a.attach_status, instance: a.instance_uuid, volume_id: a.volume_id };
}

/**
 * Cinder's attachment detail: the summary plus times ('' until they happen), the attach mode
 * and the (flat) connection info, `{}` until connected.
 */
export function attachmentDetail(a: AttachmentRecord): Record<string, unknown> {
  return {
    ...attachmentSummary(a),
    attached_at: a.attach_time === null ? '' : cinderTime(a.attach_time),
    detached_at: a.detach_time === null ? '' : cinderTime(a.detach_time),
    attach_mode: a.attach_mode,
    connection_info: a.connection_info ?? {},
  };
}
