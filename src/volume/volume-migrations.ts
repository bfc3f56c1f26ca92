import type { SchemaMigration } from '../db/migrator.js';
import { volumeInitial } from './migrations/001-initial.js';

/** Volume database migrations, oldest first. */
export const volumeMigrations: SchemaMigration[] = [volumeInitial];
