import { asTesseraError } from '../../common/errors.js';
import type { AbortMoveArgs } from './compute-rpc.js';

/** An error as it crosses to the source compute of a failed move, to become the instance's fault there. */
export function moveError(err: unknown): AbortMoveArgs['error'] {
  const e = asTesseraError(err);
  return { code: e.code, message: e.message, status: e.status, details: err instanceof Error ? (err.stack ?? null) : null };
}
