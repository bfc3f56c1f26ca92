import type { SchemaMigration } from '../../migrator.js';

/**
 * Mappings by project and cell, so that the cells holding a project's instances are found with
 * one index seek per cell instead of by reading every mapping of the project (a boot's quota
 * check read all of them). It serves lookups by project alone too, so the older project index goes.
 */
export const apiProjectCellIndex: SchemaMigration = {
  name: '007-project-cell-index',
  async up(db) {
    await db.schema.createIndex('instance_mappings_project_cell_idx').on('instance_mappings').columns(['project_id', 'cell_id']).execute();
    await db.schema.dropIndex('instance_mappings_project_idx').execute();
  },
};
