import { ConflictError } from '../common/errors.js';
import type { ImageStatus } from './image-status.js';

/**
 * Glance's image status machine: for each status, the statuses an image may move to. Data is
 * uploaded queued → saving → active; a failed upload ends `killed` (only deletion follows);
 * administrators move active images to `deactivated` and back.
 */
const NEXT: Readonly<Record<ImageStatus, readonly ImageStatus[]>> = {
  queued: ['saving', 'uploading', 'importing', 'active', 'deleted'],
  saving: ['active', 'killed', 'deleted', 'queued'],
  uploading: ['importing', 'queued', 'deleted'],
  importing: ['active', 'deleted', 'queued'],
  active: ['pending_delete', 'deleted', 'deactivated'],
  deactivated: ['active', 'deleted'],
  killed: ['deleted'],
  pending_delete: ['deleted', 'active'],
  deleted: [],
};

/** Whether an image in status `from` may move to `to`. */
export function canTransition(from: ImageStatus, to: ImageStatus): boolean {
  return NEXT[from].includes(to);
}

/**
 * Throws Glance's 409 when the move is not allowed.
 *
 * @example
 * assertTransition('active', 'saving'); // ConflictError: Image status transition from active to saving is not allowed
 */
export function assertTransition(from: ImageStatus, to: ImageStatus): void {
  if (!canTransition(from, to)) {
    throw new ConflictError('image.invalid_status_transition', `Image status transition from ${from} to ${to} is not allowed`, {
      details: { from, to },
    });
  }
}
