import { BadRequestError, ConflictError, NotFoundError, TesseraError } from '../common/errors.js';

/**
 * The errors of the volume service, with Cinder's messages (cinder/exception.py), so that
 * clients print what they would print against Cinder.
 */
export const VolumeErrors = {
  volumeNotFound: (id: string) => new NotFoundError('volume.not_found', `Volume ${id} could not be found.`),
  attachmentNotFound: (id: string) =>
    new NotFoundError('volume.attachment_not_found', `Volume attachment could not be found with filter: attachment_id = ${id}.`),
  /** Cinder's InvalidVolume: the volume's state forbids the operation (HTTP 400). */
  invalidVolume: (reason: string, details?: Record<string, unknown>) =>
    new BadRequestError('volume.invalid_state', `Invalid volume: ${reason}`, details === undefined ? {} : { details }),
  /** Cinder's InvalidInput (HTTP 400). */
  invalidInput: (reason: string) => new BadRequestError('volume.invalid_input', `Invalid input received: ${reason}`),
  /** A size that is missing (`None`, as Cinder prints it) or not a positive integer. */
  invalidSize: (size: string) =>
    new BadRequestError(
      'volume.invalid_input',
      `Invalid input received: Invalid volume size provided for create request: ${size} (size argument must be an integer (or string representation of an integer) and greater than zero).`,
    ),
  /** Cinder's ResourceConflict (HTTP 409). */
  conflict: (reason: string, details?: Record<string, unknown>) =>
    new ConflictError('volume.conflict', `Resource conflict: ${reason}`, details === undefined ? {} : { details }),
  /** A request the service does not implement, refused before anything changed. */
  unsupported: (what: string) => new BadRequestError('volume.unsupported', `${what} is not supported by Tessera's volume service.`),
};

/** Cinder's QuotaError family: HTTP 413, shown as `overLimit` with `retryAfter`. */
export class VolumeOverLimitError extends TesseraError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, 413, message, details === undefined ? {} : { details });
  }
}
