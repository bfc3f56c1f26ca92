import type { SchemaMigration } from '../../migrator.js';
import { cellInitial } from './001-initial.js';
import { cellTags } from './002-tags.js';

/** Cell database migrations, oldest first; cell0 and every other cell share them. */
export const cellMigrations: SchemaMigration[] = [cellInitial, cellTags];
