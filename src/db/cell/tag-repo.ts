import type { Kysely } from 'kysely';
import { BadRequestError, NotFoundError } from '../../common/errors.js';
import type { CellSchema } from './cell-schema.js';

/**
 * Server tags of one cell (Nova's `tags` table). Tags are plain strings, unique per instance,
 * listed in alphabetical order. Changes happen in a transaction that first checks the instance
 * is still live, so a tag never outlives its server.
 *
 * @example
 * await repos.tags.add(uuid, 'prod', { max: 50 }); // 'created', or 'existed' when it was there
 * await repos.tags.replace(uuid, ['a', 'b']);      // ['a', 'b']
 * (await repos.tags.listFor([uuid])).get(uuid);   // ['a', 'b']
 */
export class TagRepo {
  constructor(private readonly deps: { db: Kysely<CellSchema> }) {}

  async list(uuid: string): Promise<string[]> {
    return (await this.listFor([uuid])).get(uuid) ?? [];
  }

  /** Tags of each given instance; instances without tags map to an empty list. */
  async listFor(uuids: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(uuids.map((u) => [u, []]));
    if (uuids.length === 0) return out;
    const rows = await this.deps.db.selectFrom('tags').select(['resource_id', 'tag']).where('resource_id', 'in', [...uuids]).orderBy('tag').execute();
    for (const row of rows) out.get(row.resource_id)?.push(row.tag);
    return out;
  }

  async has(uuid: string, tag: string): Promise<boolean> {
    const row = await this.deps.db.selectFrom('tags').select('tag').where('resource_id', '=', uuid).where('tag', '=', tag).executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Adds one tag. As in Nova, a server already at `max` tags refuses even a tag it has.
   * @throws BadRequestError `compute.tag_limit_exceeded`; NotFoundError `compute.instance_not_found`.
   */
  async add(uuid: string, tag: string, limits: { max: number }): Promise<'created' | 'existed'> {
    return this.deps.db.transaction().execute(async (trx) => {
      await requireLiveInstance(trx, uuid);
      const tags = await trx.selectFrom('tags').select('tag').where('resource_id', '=', uuid).execute();
      if (tags.length >= limits.max) throw new BadRequestError('compute.tag_limit_exceeded', `The number of tags exceeded the per-server limit ${limits.max}`);
      if (tags.some((t) => t.tag === tag)) return 'existed';
      await trx.insertInto('tags').values({ resource_id: uuid, tag }).execute();
      return 'created';
    });
  }

  /** Replaces every tag of the instance with `tags` (duplicates collapse); returns the new list. */
  async replace(uuid: string, tags: readonly string[]): Promise<string[]> {
    const unique = [...new Set(tags)].sort();
    await this.deps.db.transaction().execute(async (trx) => {
      await requireLiveInstance(trx, uuid);
      await trx.deleteFrom('tags').where('resource_id', '=', uuid).execute();
      if (unique.length > 0) await trx.insertInto('tags').values(unique.map((tag) => ({ resource_id: uuid, tag }))).execute();
    });
    return unique;
  }

  /** Removes one tag; false when the instance did not have it. */
  async remove(uuid: string, tag: string): Promise<boolean> {
    const res = await this.deps.db.deleteFrom('tags').where('resource_id', '=', uuid).where('tag', '=', tag).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  async removeAll(uuid: string): Promise<void> {
    await this.deps.db.deleteFrom('tags').where('resource_id', '=', uuid).execute();
  }
}

async function requireLiveInstance(db: Kysely<CellSchema>, uuid: string): Promise<void> {
  const row = await db.selectFrom('instances').select('id').where('uuid', '=', uuid).where('deleted', '=', 0).executeTakeFirst();
  if (row === undefined) throw new NotFoundError('compute.instance_not_found', `Instance ${uuid} could not be found.`);
}
