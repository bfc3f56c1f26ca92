import type { CellRepos } from '../../db/cell/cell-repos.js';
import { MigrationStatus, type Migration, type NewMigration } from '../../objects/migration.js';
import type { Task } from '../tasks/task.js';

/**
 * Records the migration (`pre-migrating`). A failed move keeps its record, in `error`, as Nova's
 * does: users audit failed moves through os-migrations.
 */
export class CreateMigrationTask implements Task {
  readonly name = 'create_migration';
  migration: Migration | undefined;

  constructor(private readonly deps: { repos: CellRepos; values: NewMigration }) {}

  async execute(): Promise<void> {
    this.migration = await this.deps.repos.migrations.create(this.deps.values);
  }

  async rollback(): Promise<void> {
    if (this.migration !== undefined) await this.deps.repos.migrations.update(this.migration.uuid, { status: MigrationStatus.ERROR });
  }
}
