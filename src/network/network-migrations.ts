import type { SchemaMigration } from '../db/migrator.js';
import { networkInitial } from './migrations/001-initial.js';

/** Network database migrations, oldest first. */
export const networkMigrations: SchemaMigration[] = [networkInitial];
