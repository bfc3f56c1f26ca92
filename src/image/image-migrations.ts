import type { SchemaMigration } from '../db/migrator.js';
import { imageInitial } from './migrations/001-initial.js';

/** Image database migrations, oldest first. */
export const imageMigrations: SchemaMigration[] = [imageInitial];
