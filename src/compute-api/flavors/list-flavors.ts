import { BadRequestError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import type { Flavor } from '../../objects/flavor.js';
import type { ComputeApiDeps } from '../compute-api-deps.js';
import { boolFromString } from './bool-from-string.js';
import type { FlavorListQuery, FlavorSortKey } from './flavor-schemas.js';
import { canSeeFlavor } from './get-flavor.js';

/** One page of flavors, and the page size a full page has (for the `next` link). */
export interface FlavorPage {
  flavors: Flavor[];
  pageSize: number;
}

/**
 * GET /flavors and /flavors/detail: filter, sort (by `flavorid` ascending unless told otherwise,
 * ties broken by the internal id, as Nova's pagination does), then page after the marker.
 *
 * Only administrators choose `is_public` (`None` meaning all); everyone else gets the public,
 * enabled flavors whatever they ask for.
 */
export async function listFlavors(deps: ComputeApiDeps, ctx: RequestContext, query: FlavorListQuery): Promise<FlavorPage> {
  deps.policy.authorize('os_compute_api:flavors:index', ctx, { project_id: ctx.projectId });
  const maxLimit = deps.config.api.max_limit;
  const pageSize = Math.min(query.limit === undefined ? maxLimit : Number(query.limit), maxLimit);

  const isPublic = ctx.isAdmin ? parseIsPublic(query.is_public) : true;
  const minRam = parseMinimum('minRam', query.minRam);
  const minDisk = parseMinimum('minDisk', query.minDisk);

  let flavors = await deps.api.flavors.list({
    ...(isPublic === undefined ? {} : { isPublic }),
    ...(minRam === undefined ? {} : { minRam }),
    ...(minDisk === undefined ? {} : { minDisk }),
  });
  if (!ctx.isAdmin) flavors = flavors.filter((f) => !f.disabled);

  const compare = flavorComparator(query.sort_key ?? 'flavorid', query.sort_dir ?? 'asc');
  flavors.sort(compare);
  if (query.marker !== undefined) {
    const marker = await deps.api.flavors.find(query.marker);
    if (marker === undefined || !canSeeFlavor(ctx, marker)) {
      throw new BadRequestError('compute.marker_not_found', `marker [${query.marker}] not found`);
    }
    flavors = flavors.filter((f) => compare(f, marker) > 0);
  }
  return { flavors: flavors.slice(0, pageSize), pageSize };
}

/**
 * The `is_public` filter of an administrator's request: absent means public only, any spelling of
 * `none` means all, otherwise a strict boolean.
 *
 * @returns `undefined` for "all flavors".
 */
export function parseIsPublic(value: string | undefined): boolean | undefined {
  if (value === undefined) return true;
  if (value.trim().toLowerCase() === 'none') return undefined;
  const parsed = boolFromString(value);
  if (parsed === undefined) throw new BadRequestError('compute.invalid_filter', `Invalid is_public filter [${value}]`);
  return parsed;
}

function parseMinimum(name: 'minRam' | 'minDisk', value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\s*[+-]?\d+\s*$/.test(value)) throw new BadRequestError('compute.invalid_filter', `Invalid ${name} filter [${value}]`);
  return Number.parseInt(value, 10);
}

type Sortable = string | number | boolean | null;

/** A total order on flavors: the sort key first, then the internal id, both in one direction. */
export function flavorComparator(key: FlavorSortKey, dir: 'asc' | 'desc'): (a: Flavor, b: Flavor) => number {
  const sign = dir === 'asc' ? 1 : -1;
  return (a, b) => sign * (compareValues(sortValue(a, key), sortValue(b, key)) || a.id - b.id);
}

function sortValue(f: Flavor, key: FlavorSortKey): Sortable {
  return key === 'flavorid' ? f.flavorid : f[key];
}

// SQL order: NULL before anything, booleans as 0/1, strings by code unit (not locale).
function compareValues(a: Sortable, b: Sortable): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  const x = typeof a === 'boolean' ? Number(a) : a;
  const y = typeof b === 'boolean' ? Number(b) : b;
  if (x === y) return 0;
  return x < y ? -1 : 1;
}
