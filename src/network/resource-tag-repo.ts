import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { NetworkSchema } from './network-schema.js';

/** The resources that carry tags, by their collection name. */
export const TAGGED_RESOURCES = ['networks', 'subnets', 'ports'] as const;
export type TaggedResource = (typeof TAGGED_RESOURCES)[number];

/** Neutron's tag filters: all of `tags`, any of `tags-any`, not all of `not-tags`, none of `not-tags-any`. */
export interface TagFilter {
  tags?: string[];
  tagsAny?: string[];
  notTags?: string[];
  notTagsAny?: string[];
}

type Db = Kysely<NetworkSchema>;

/**
 * Tags of networks, subnets and ports. Functions take the Kysely handle so they can run inside
 * the caller's transaction.
 */
export const resourceTags = {
  /** Tags per resource id, each list sorted; ids without tags map to []. */
  async of(db: Db, ids: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return out;
    const rows = await db.selectFrom('resource_tags').select(['resource_id', 'tag']).where('resource_id', 'in', [...ids]).orderBy('tag').execute();
    for (const row of rows) out.get(row.resource_id)?.push(row.tag);
    return out;
  },

  /** Replaces every tag of the resource. */
  async replace(db: Db, type: TaggedResource, id: string, tags: readonly string[]): Promise<void> {
    await db.deleteFrom('resource_tags').where('resource_id', '=', id).execute();
    const unique = [...new Set(tags)];
    if (unique.length > 0) {
      await db.insertInto('resource_tags').values(unique.map((tag) => ({ resource_id: id, resource_type: type, tag }))).execute();
    }
  },

  /** Adds one tag; adding a tag the resource has is a no-op. */
  async add(db: Db, type: TaggedResource, id: string, tag: string): Promise<void> {
    await db.insertInto('resource_tags').values({ resource_id: id, resource_type: type, tag }).onConflict((oc) => oc.doNothing()).execute();
  },

  /** Removes one tag; @returns whether the resource had it. */
  async remove(db: Db, id: string, tag: string): Promise<boolean> {
    const res = await db.deleteFrom('resource_tags').where('resource_id', '=', id).where('tag', '=', tag).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  },

  async removeAll(db: Db, ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await db.deleteFrom('resource_tags').where('resource_id', 'in', [...ids]).execute();
  },
};

/** Whether any tag filter is set. */
export function hasTagFilter(filter: TagFilter): boolean {
  return [filter.tags, filter.tagsAny, filter.notTags, filter.notTagsAny].some((l) => l !== undefined && l.length > 0);
}

/**
 * The where-clause of Neutron's tag filters on one of the tagged tables; use it only when
 * `hasTagFilter` says a filter is set.
 *
 * @example
 * if (hasTagFilter(f)) q = q.where(tagCondition('ports', f));
 */
export function tagCondition<TB extends TaggedResource>(table: TB, filter: TagFilter) {
  return (eb: ExpressionBuilder<NetworkSchema, TB>) => {
    const id = sql.ref(`${table}.id`);
    const has = (tag: string) => sql<SqlBool>`exists (select 1 from resource_tags t where t.resource_id = ${id} and t.tag = ${tag})`;
    const hasAny = (tags: string[]) => sql<SqlBool>`exists (select 1 from resource_tags t where t.resource_id = ${id} and t.tag in (${sql.join(tags)}))`;
    const parts: Expression<SqlBool>[] = [];
    if (filter.tags !== undefined && filter.tags.length > 0) parts.push(eb.and(filter.tags.map(has)));
    if (filter.tagsAny !== undefined && filter.tagsAny.length > 0) parts.push(hasAny(filter.tagsAny));
    if (filter.notTags !== undefined && filter.notTags.length > 0) parts.push(eb.not(eb.and(filter.notTags.map(has))));
    if (filter.notTagsAny !== undefined && filter.notTagsAny.length > 0) parts.push(eb.not(hasAny(filter.notTagsAny)));
    return eb.and(parts);
  };
}
