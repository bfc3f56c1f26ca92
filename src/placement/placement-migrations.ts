import type { SchemaMigration } from '../db/migrator.js';
import { placementInitial } from './migrations/001-initial.js';

/** Placement database migrations, oldest first. */
export const placementMigrations: SchemaMigration[] = [placementInitial];
