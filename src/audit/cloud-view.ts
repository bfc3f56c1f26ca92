import type { InstanceMapping } from '../db/api/instance-mapping-repo.js';
import type { CellRepos } from '../db/cell/cell-repos.js';
import type { InstanceCopy } from '../db/cell/instance-repo.js';
import type { CellMapping } from '../objects/cell-mapping.js';
import { OPEN_MIGRATION_STATUSES, type Migration } from '../objects/migration.js';
import type { AuditDeps } from './audit-deps.js';

/**
 * One cell database. Cells that share a database are one store (their rows cannot be told
 * apart), labelled with their names joined by `+`.
 */
export interface CellStore {
  label: string;
  cells: CellMapping[];
  repos: CellRepos;
}

/** A row of an instance in one store. */
export interface PlacedCopy {
  store: CellStore;
  copy: InstanceCopy;
}

/** A live migration row in one store (a cross-cell move keeps a copy in each cell). */
export interface PlacedMigration {
  store: CellStore;
  migration: Migration;
}

/**
 * Where every instance lives, read once from the API database and all cell databases: the
 * mappings, each live row (hidden copies too), the open migrations, and the instances still being
 * built (a build request: the scheduler's claim and the API's volume reservations come before any
 * cell row). The checks judge the services' records against it.
 */
export class CloudView {
  private constructor(
    readonly stores: CellStore[],
    private readonly storeByCellId: Map<number, CellStore>,
    private readonly mappings: Map<string, InstanceMapping>,
    private readonly copiesByUuid: Map<string, PlacedCopy[]>,
    readonly openMigrations: PlacedMigration[],
    private readonly building: Set<string>,
  ) {}

  static async read(deps: Pick<AuditDeps, 'api' | 'cells'>): Promise<CloudView> {
    const byUrl = new Map<string, CellMapping[]>();
    for (const cell of (await deps.api.cells.list()).sort((a, b) => a.name.localeCompare(b.name))) {
      byUrl.set(cell.database_connection, [...(byUrl.get(cell.database_connection) ?? []), cell]);
    }
    const stores: CellStore[] = [...byUrl.values()].map((cells) => ({ label: cells.map((c) => c.name).join('+'), cells, repos: deps.cells.repos(cells[0] as CellMapping) }));
    const storeByCellId = new Map(stores.flatMap((s) => s.cells.map((c) => [c.id, s] as const)));
    const mappings = new Map((await deps.api.instanceMappings.list()).map((m) => [m.instance_uuid, m]));
    const copies = new Map<string, PlacedCopy[]>();
    const migrations: PlacedMigration[] = [];
    for (const store of stores) {
      for (const copy of await store.repos.instances.listCopies()) copies.set(copy.uuid, [...(copies.get(copy.uuid) ?? []), { store, copy }]);
      for (const migration of await store.repos.migrations.list({ statuses: OPEN_MIGRATION_STATUSES, includeHidden: true })) migrations.push({ store, migration });
    }
    const building = new Set((await deps.api.buildRequests.list(undefined)).map((i) => i.uuid));
    return new CloudView(stores, storeByCellId, mappings, copies, migrations, building);
  }

  mapping(uuid: string): InstanceMapping | undefined {
    return this.mappings.get(uuid);
  }

  allMappings(): InstanceMapping[] {
    return [...this.mappings.values()];
  }

  /** The store the instance's mapping points at. */
  mappedStore(uuid: string): CellStore | undefined {
    const cellId = this.mappings.get(uuid)?.cell_id;
    return cellId === null || cellId === undefined ? undefined : this.storeByCellId.get(cellId);
  }

  storeOfCell(cellId: number): CellStore | undefined {
    return this.storeByCellId.get(cellId);
  }

  /** Every live row of the instance, in any store, hidden or not. */
  copies(uuid: string): PlacedCopy[] {
    return this.copiesByUuid.get(uuid) ?? [];
  }

  /** Every live row of a store, hidden or not, in the order the store holds them. */
  copiesIn(store: CellStore): PlacedCopy[] {
    return [...this.copiesByUuid.values()].flat().filter((c) => c.store === store);
  }

  /** The row the API shows: visible, in the store the mapping points at. */
  home(uuid: string): PlacedCopy | undefined {
    const store = this.mappedStore(uuid);
    return this.copies(uuid).find((c) => c.store === store && !c.copy.hidden);
  }

  /** The instance has a build request: it is being scheduled or built. */
  isBuilding(uuid: string): boolean {
    return this.building.has(uuid);
  }

  openMigrationsOf(instanceUuid: string): Migration[] {
    return this.openMigrations.filter((m) => m.migration.instance_uuid === instanceUuid).map((m) => m.migration);
  }

  isOpenMigration(migrationUuid: string): boolean {
    return this.openMigrations.some((m) => m.migration.uuid === migrationUuid);
  }
}
