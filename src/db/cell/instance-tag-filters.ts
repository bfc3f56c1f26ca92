import type { ExpressionBuilder, SelectQueryBuilder } from 'kysely';
import type { CellSchema } from './cell-schema.js';

/** Nova's tag filters of the server list; each list is of tags, and an empty list filters nothing. */
export interface TagFilter {
  /** Instances having every one of these tags. */
  tags?: string[];
  /** Instances having at least one of these tags. */
  tagsAny?: string[];
  /** Instances not having all of these tags (having some is fine). */
  notTags?: string[];
  /** Instances having none of these tags. */
  notTagsAny?: string[];
}

type InstanceQuery<O> = SelectQueryBuilder<CellSchema, 'instances', O>;
type Eb = ExpressionBuilder<CellSchema, 'instances'>;

/** Uuids of the instances having any of `tags`. */
const having = (eb: Eb, tags: string[]) => eb.selectFrom('tags').select('tags.resource_id').where('tags.tag', 'in', tags);

/**
 * Nova's four tag filters of the server list, as subqueries on the `tags` table:
 * `tags` (has all), `tags-any` (has one), `not-tags` (lacks at least one), `not-tags-any` (has none).
 */
export function withTagFilters<O>(query: InstanceQuery<O>, filter: TagFilter): InstanceQuery<O> {
  let q = query;
  for (const tag of filter.tags ?? []) q = q.where((eb) => eb('instances.uuid', 'in', having(eb, [tag])));
  const any = filter.tagsAny ?? [];
  if (any.length > 0) q = q.where((eb) => eb('instances.uuid', 'in', having(eb, any)));
  const notAll = filter.notTags ?? [];
  if (notAll.length > 0) q = q.where((eb) => eb.or(notAll.map((tag) => eb('instances.uuid', 'not in', having(eb, [tag])))));
  const none = filter.notTagsAny ?? [];
  if (none.length > 0) q = q.where((eb) => eb('instances.uuid', 'not in', having(eb, none)));
  return q;
}
