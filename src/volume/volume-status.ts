/**
 * The volume status machine, as Cinder runs it for the attachment API (3.27+).
 *
 * ```
 *  creating ──▶ available ◀───────────────────────────────┐ last attachment deleted
 *     │           │  attachment_create ──▶ reserved ──┐    │
 *     ▼           │  (with a connector) ──▶ attaching ◀┘ attachment_update
 *   error         ▼                           │ attachment_complete
 *     │        deleting ──▶ (deleted)         ▼
 *     └──────▶    │                         in-use ──▶ detaching ──▶ (recomputed)
 *                 ▼
 *           error_deleting ──▶ deleting (retry)
 * ```
 *
 * Once a volume has attachments its status is not set directly but derived from them
 * ({@link statusFromAttachments}), so that concurrent attachment operations always leave it
 * consistent with what is attached.
 */
export const VOLUME_STATUSES = [
  'creating',
  'available',
  'reserved',
  'attaching',
  'in-use',
  'detaching',
  'deleting',
  'error',
  'error_deleting',
] as const;
export type VolumeStatus = (typeof VOLUME_STATUSES)[number];

/** The status of one attachment, in Cinder's words (`attach_status`). */
export const ATTACH_STATUSES = ['reserved', 'attaching', 'attached', 'detaching'] as const;
export type AttachStatus = (typeof ATTACH_STATUSES)[number];

/** The statuses a volume may be deleted from; Cinder needs force-delete for error_deleting, Tessera retries. */
export const DELETABLE_STATUSES: readonly VolumeStatus[] = ['available', 'error', 'error_deleting'];

/**
 * The statuses from which a new attachment may reserve the volume. A volume that is not
 * multiattach is reserved only when free; another attachment for an instance that already has
 * one (a move to another host) is let through separately.
 */
export function reservableStatuses(multiattach: boolean): readonly VolumeStatus[] {
  return multiattach ? ['available', 'in-use'] : ['available'];
}

/** The statuses in which a volume takes no attachment at all. */
export function refusesAttachments(status: VolumeStatus): boolean {
  return status === 'error' || status === 'error_deleting' || status === 'creating' || status === 'deleting';
}

// Cinder's order: the most advanced attachment decides (attached > attaching > detaching > reserved).
const PRECEDENCE: readonly AttachStatus[] = ['attached', 'attaching', 'detaching', 'reserved'];
const VOLUME_STATUS_OF: Record<AttachStatus, VolumeStatus> = {
  attached: 'in-use',
  attaching: 'attaching',
  detaching: 'detaching',
  reserved: 'reserved',
};

/**
 * The volume status that its live attachments imply: `in-use` while any is attached, then
 * attaching, detaching, reserved; `available` when none is left.
 *
 * @example
 * statusFromAttachments(['reserved', 'attached']); // 'in-use'
 * statusFromAttachments([]);                      // 'available'
 */
export function statusFromAttachments(attachments: readonly AttachStatus[]): VolumeStatus {
  for (const s of PRECEDENCE) if (attachments.includes(s)) return VOLUME_STATUS_OF[s];
  return 'available';
}

/** Cinder's "a or b or c" in its state error messages. */
export function orList(values: readonly string[]): string {
  if (values.length <= 1) return values[0] ?? '';
  return `${values.slice(0, -1).join(', ')} or ${values[values.length - 1] ?? ''}`;
}
