import {
  BadRequestError, ConflictError, ForbiddenError, InjectedFaultError, InternalError, NoValidHostError,
  NotFoundError, OverLimitError, RpcTimeoutError, TesseraError, UnauthorizedError,
} from '../common/errors.js';

/** A TesseraError as it crosses the bus: enough to rebuild an equivalent error on the other side. */
export interface EncodedError {
  code: string;
  status: number;
  message: string;
  name: string;
  details?: Record<string, unknown>;
}

/** Error classes rebuilt by name, so `instanceof` checks keep working across the bus. */
const registry = new Map<string, new (...args: never[]) => TesseraError>();

for (const cls of [BadRequestError, ConflictError, ForbiddenError, InjectedFaultError, InternalError, NoValidHostError,
  NotFoundError, OverLimitError, RpcTimeoutError, UnauthorizedError]) {
  registry.set(cls.name, cls as unknown as new (...args: never[]) => TesseraError);
}

export function registerErrorClass(cls: new (...args: never[]) => TesseraError): void {
  registry.set(cls.name, cls);
}

export function encodeError(err: unknown): EncodedError {
  if (err instanceof TesseraError) {
    return { code: err.code, status: err.status, message: err.message, name: err.name, ...(err.details ? { details: err.details } : {}) };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal.unexpected', status: 500, message, name: 'InternalError' };
}

/** Rebuilds the error; the remote side's class is restored when it is registered, else the base class. */
export function decodeError(encoded: EncodedError, remote: string): TesseraError {
  const cls = registry.get(encoded.name);
  const opts = { details: { ...(encoded.details ?? {}), remote } };
  const err =
    cls === undefined
      ? new TesseraError(encoded.code, encoded.status, encoded.message, opts)
      : Object.assign(Object.create(cls.prototype) as TesseraError, new TesseraError(encoded.code, encoded.status, encoded.message, opts));
  Object.defineProperty(err, 'name', { value: encoded.name, enumerable: false });
  Object.defineProperty(err, 'message', { value: encoded.message, enumerable: false });
  return err;
}
