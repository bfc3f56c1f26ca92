import { BadRequestError, ConflictError, NotFoundError, TesseraError } from '../common/errors.js';

/**
 * Placement's error codes (its `errors.py`), without the `placement.` prefix: the API's error
 * body adds it (`{"errors": [{"code": "placement.concurrent_update", ...}]}`). Conditions that
 * Placement gives no code of their own carry `undefined_code`, as there.
 */
export const PlacementCode = {
  DEFAULT: 'undefined_code',
  INVENTORY_INUSE: 'inventory.inuse',
  CONCURRENT_UPDATE: 'concurrent_update',
  DUPLICATE_NAME: 'duplicate_name',
  PROVIDER_IN_USE: 'resource_provider.inuse',
  PROVIDER_CANNOT_DELETE_PARENT: 'resource_provider.cannot_delete_parent',
  PROVIDER_NOT_FOUND: 'resource_provider.not_found',
  QUERY_DUPLICATE_KEY: 'query.duplicate_key',
  QUERY_BAD_VALUE: 'query.bad_value',
  QUERY_MISSING_VALUE: 'query.missing_value',
} as const;

export type PlacementErrorCode = (typeof PlacementCode)[keyof typeof PlacementCode];

/**
 * An allocation that does not fit: capacity exceeded, min_unit/max_unit/step_size violated, or
 * no inventory of the class. HTTP 409 with Placement's default code; `claim()` answers false.
 */
export class AllocationRejectedError extends ConflictError {
  constructor(message: string, details: { resource_provider: string; resource_class: string; reason: 'capacity' | 'constraints' | 'no_inventory' }) {
    super(PlacementCode.DEFAULT, message, { details });
  }
}

/** A provider generation changed under a writer; the caller refreshes and retries. */
export class ProviderGenerationConflict extends ConflictError {
  constructor(message: string, readonly providerUuids: readonly string[]) {
    super(PlacementCode.CONCURRENT_UPDATE, message, { details: { resource_providers: [...providerUuids] } });
  }
}

export function providerNotFound(uuid: string): NotFoundError {
  return new NotFoundError(PlacementCode.PROVIDER_NOT_FOUND, `No resource provider with uuid ${uuid} found`);
}

export function badRequest(message: string, code: PlacementErrorCode = PlacementCode.DEFAULT): BadRequestError {
  return new BadRequestError(code, message);
}

export function conflict(message: string, code: PlacementErrorCode = PlacementCode.DEFAULT): ConflictError {
  return new ConflictError(code, message);
}

export function notFound(message: string): NotFoundError {
  return new NotFoundError(PlacementCode.DEFAULT, message);
}

/** A consumer's generation does not match what the writer expected. */
export function consumerGenerationConflict(current: number | null, requested: number | null): ConflictError {
  const show = (g: number | null) => (g === null ? 'null' : String(g));
  return new ConflictError(PlacementCode.CONCURRENT_UPDATE, `consumer generation conflict - expected ${show(current)} but got ${show(requested)}`);
}

/** Whether an error is Placement's "somebody else changed it first" (a consumer or provider generation). */
export function isConcurrentUpdate(err: unknown): boolean {
  return err instanceof TesseraError && err.code === PlacementCode.CONCURRENT_UPDATE;
}
