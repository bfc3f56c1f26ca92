import type { SchemaMigration } from '../../migrator.js';

/**
 * Server tags, in Nova's shape: one row per (instance uuid, tag), no soft delete (a tag is gone
 * when removed, and all of an instance's tags go when the instance is deleted).
 */
export const cellTags: SchemaMigration = {
  name: '002-tags',
  async up(db) {
    await db.schema
      .createTable('tags')
      .addColumn('resource_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('tag', 'varchar(80)', (c) => c.notNull())
      .addPrimaryKeyConstraint('tags_pkey', ['resource_id', 'tag'])
      .execute();
    await db.schema.createIndex('tags_tag_idx').on('tags').column('tag').execute();
  },
};
