import { BadRequestError } from '../common/errors.js';

/**
 * The size of one page as Nova's get_limit_and_marker computes it: the `limit` asked for (already
 * checked to be digits by the query schema), capped at `[api] max_limit`, or max_limit without one.
 *
 * @example
 * pageLimit('5', 1000); // 5
 * pageLimit(undefined, 1000); // 1000
 */
export function pageLimit(limit: string | undefined, maxLimit: number): number {
  if (limit === undefined) return maxLimit;
  const n = Number(limit);
  if (!Number.isSafeInteger(n) || n < 0) throw new BadRequestError('api.invalid_input', `Invalid input for query parameter limit. Value: ${limit}. '${limit}' is too large`);
  return Math.min(n, maxLimit);
}
