/**
 * The one error model of Tessera.
 *
 * Every failure that crosses a seam (HTTP, the RPC bus, a task) is a `TesseraError` with a stable
 * dotted `code`, the HTTP status it maps to, optional structured `details`, and the original
 * `cause`. The HTTP error handler and the bus codec are the only places that translate it.
 *
 * @example
 * throw new NotFoundError('compute.instance_not_found', `Instance ${id} could not be found.`);
 */
export class TesseraError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: string,
    status: number,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.details = options.details;
  }
}

type Options = { cause?: unknown; details?: Record<string, unknown> };

export class BadRequestError extends TesseraError {
  constructor(code: string, message: string, options?: Options) {
    super(code, 400, message, options);
  }
}

export class UnauthorizedError extends TesseraError {
  constructor(code: string, message: string, options?: Options) {
    super(code, 401, message, options);
  }
}

export class ForbiddenError extends TesseraError {
  constructor(code: string, message: string, options?: Options) {
    super(code, 403, message, options);
  }
}

export class NotFoundError extends TesseraError {
  constructor(code: string, message: string, options?: Options) {
    super(code, 404, message, options);
  }
}

export class NotAcceptableError extends TesseraError {
  constructor(code: string, message: string, options?: Options) {
    super(code, 406, message, options);
  }
}

export class ConflictError extends TesseraError {
  constructor(code: string, message: string, options?: Options) {
    super(code, 409, message, options);
  }
}

/** A request that would exceed a quota or limit (HTTP 403 in Nova's compute API). */
export class OverLimitError extends TesseraError {
  constructor(code: string, message: string, options?: Options) {
    super(code, 403, message, options);
  }
}

/** The scheduler found no host that fits; Nova's NoValidHost. */
export class NoValidHostError extends TesseraError {
  constructor(message = 'No valid host was found. ', options?: Options) {
    super('scheduler.no_valid_host', 500, message, options);
  }
}

/** An RPC call that got no reply in time. */
export class RpcTimeoutError extends TesseraError {
  constructor(message: string, options?: Options) {
    super('rpc.timeout', 504, message, options);
  }
}

/** A failure that the fault injector produced on purpose. */
export class InjectedFaultError extends TesseraError {
  constructor(operation: string, options?: Options) {
    super('fault.injected', 500, `Injected failure in ${operation}`, options);
  }
}

/** Anything unexpected: a bug, a broken invariant, a dependency that failed in an unknown way. */
export class InternalError extends TesseraError {
  constructor(code: string, message: string, options?: Options) {
    super(code, 500, message, options);
  }
}

/** Wraps any thrown value as a TesseraError, keeping the original as `cause`. */
export function asTesseraError(err: unknown): TesseraError {
  if (err instanceof TesseraError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new InternalError('internal.unexpected', message, { cause: err });
}
