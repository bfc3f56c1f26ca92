import { NotFoundError } from './errors.js';

/**
 * Waits for a clean-up call and treats "not found" as done (it is gone already, which is what
 * the call was for); any other error is rethrown.
 *
 * @example
 * await ignoreNotFound(volumes.attachmentDelete(ctx, attachmentId));
 */
export async function ignoreNotFound(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
  }
}
