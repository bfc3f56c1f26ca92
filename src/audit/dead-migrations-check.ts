import { MigrationStatus } from '../objects/migration.js';
import type { AuditCheck, AuditFinding } from './audit-check.js';
import type { AuditDeps } from './audit-deps.js';
import { CloudView, type CellStore } from './cloud-view.js';

/** Statuses of a move whose compute steps are still running: the instance has a task_state meanwhile. */
const RUNNING: readonly string[] = [MigrationStatus.PRE_MIGRATING, MigrationStatus.MIGRATING, MigrationStatus.POST_MIGRATING];

/** A dead migration, the stores holding its rows, and whether the instance is still on the source. */
export interface DeadMigrationFinding extends AuditFinding {
  stores: { store: CellStore; status: string }[];
  onSource: boolean;
}

/**
 * Migrations whose flow died: still pre-migrating, migrating or post-migrating while the instance
 * has no task_state (every running step of a move holds one). Fix: mark the migration `error`
 * (in every cell holding a copy) and free its placement consumer. When the instance is still on
 * the source host, the migration's allocation (the source node's) goes back to the instance,
 * replacing a destination claim, as the move's own rollback does; otherwise it is deleted.
 */
export class DeadMigrationsCheck implements AuditCheck<DeadMigrationFinding> {
  readonly name = 'dead_migrations';

  constructor(private readonly deps: Pick<AuditDeps, 'api' | 'cells' | 'placement'>) {}

  async find(): Promise<DeadMigrationFinding[]> {
    const view = await CloudView.read(this.deps);
    const byUuid = new Map<string, DeadMigrationFinding>();
    for (const { store, migration } of view.openMigrations) {
      if (!RUNNING.includes(migration.status)) continue;
      const home = view.home(migration.instance_uuid);
      if (home === undefined || home.copy.task_state !== null) continue;
      const seen = byUuid.get(migration.uuid);
      if (seen !== undefined) {
        seen.stores.push({ store, status: migration.status });
        seen.cell = `${seen.cell ?? ''},${store.label}`;
        continue;
      }
      const onSource = home.copy.host !== null && home.copy.host === migration.source_compute;
      byUuid.set(migration.uuid, {
        kind: 'dead_migration',
        ids: { migration: migration.uuid, instance: migration.instance_uuid },
        cell: store.label,
        ...(migration.source_compute === null ? {} : { host: migration.source_compute }),
        reason: `migration ${migration.status} while the instance has no task_state (its flow died)`,
        remedy: `mark it error; ${onSource ? 'give its allocation back to the instance (it is on the source host)' : 'delete its allocation'}`,
        fixable: true,
        stores: [{ store, status: migration.status }],
        onSource,
      });
    }
    return [...byUuid.values()];
  }

  async fix(finding: DeadMigrationFinding): Promise<void> {
    const migrationUuid = finding.ids['migration'] as string;
    for (const { store, status } of finding.stores) await store.repos.migrations.update(migrationUuid, { status: MigrationStatus.ERROR }, [status]);
    if (finding.onSource) await this.deps.placement.moveAllocations(migrationUuid, finding.ids['instance'] as string, { consumerType: 'INSTANCE' });
    else await this.deps.placement.deleteAllocations(migrationUuid);
  }
}
