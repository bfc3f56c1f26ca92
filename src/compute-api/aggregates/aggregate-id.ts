import { BadRequestError, NotFoundError } from '../../common/errors.js';

/**
 * The integer id of an aggregate in a URL. Nova accepts what Python's `int()` does (surrounding
 * spaces, a sign) and answers anything else with 400; an id no row can have is simply not found.
 */
export function parseAggregateId(raw: string): number {
  const text = raw.trim();
  if (!/^[+-]?\d+$/.test(text)) throw new BadRequestError('compute.invalid_aggregate_id', 'Invalid input received: id must be an integer');
  const id = Number(text);
  if (!Number.isSafeInteger(id) || id < 1) throw new NotFoundError('compute.aggregate_not_found', `Aggregate ${text} could not be found.`);
  return id;
}
