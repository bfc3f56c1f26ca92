import type { Clock } from '../../common/clock.js';
import type { PlacementDb } from './placement-database.js';
import { STANDARD_RESOURCE_CLASSES } from '../standard-resource-classes.js';
import { STANDARD_TRAITS } from '../standard-traits.js';

/**
 * Name ↔ id maps of the resource classes and traits, cached in memory. Another process sharing
 * the database may add custom ones, so a name that is not known here is looked up again
 * (`refresh`) before it is declared unknown.
 */
export class Catalog {
  private classIds = new Map<string, number>();
  private classNames = new Map<number, string>();
  private traitIds = new Map<string, number>();
  private traitNames = new Map<number, string>();

  /** Reads both tables again. */
  async refresh(db: PlacementDb): Promise<void> {
    const [classes, traits] = await Promise.all([
      db.selectFrom('resource_classes').select(['id', 'name']).orderBy('id').execute(),
      db.selectFrom('traits').select(['id', 'name']).orderBy('name').execute(),
    ]);
    this.classIds = new Map(classes.map((c) => [c.name, c.id]));
    this.classNames = new Map(classes.map((c) => [c.id, c.name]));
    this.traitIds = new Map(traits.map((t) => [t.name, t.id]));
    this.traitNames = new Map(traits.map((t) => [t.id, t.name]));
  }

  classId(name: string): number | undefined {
    return this.classIds.get(name);
  }

  className(id: number): string | undefined {
    return this.classNames.get(id);
  }

  traitId(name: string): number | undefined {
    return this.traitIds.get(name);
  }

  traitName(id: number): string | undefined {
    return this.traitNames.get(id);
  }

  hasTrait(name: string): boolean {
    return this.traitIds.has(name);
  }

  hasClass(name: string): boolean {
    return this.classIds.has(name);
  }

  /** Resource class names, standard ones first in their canonical order, then custom by id. */
  classNamesInOrder(): string[] {
    return [...this.classNames.entries()].sort((a, b) => a[0] - b[0]).map(([, name]) => name);
  }

  traitNamesSorted(): string[] {
    return [...this.traitIds.keys()].sort();
  }

  rememberClass(id: number, name: string): void {
    this.classIds.set(name, id);
    this.classNames.set(id, name);
  }

  forgetClass(name: string): void {
    const id = this.classIds.get(name);
    this.classIds.delete(name);
    if (id !== undefined) this.classNames.delete(id);
  }

  rememberTrait(id: number, name: string): void {
    this.traitIds.set(name, id);
    this.traitNames.set(id, name);
  }

  forgetTrait(name: string): void {
    const id = this.traitIds.get(name);
    this.traitIds.delete(name);
    if (id !== undefined) this.traitNames.delete(id);
  }

  /** Names among `names` that are unknown even after a refresh. */
  async missingTraits(db: PlacementDb, names: Iterable<string>): Promise<string[]> {
    let missing = [...names].filter((n) => !this.traitIds.has(n));
    if (missing.length > 0) {
      await this.refresh(db);
      missing = missing.filter((n) => !this.traitIds.has(n));
    }
    return missing;
  }

  /** Names among `names` that are not resource classes even after a refresh. */
  async missingClasses(db: PlacementDb, names: Iterable<string>): Promise<string[]> {
    let missing = [...names].filter((n) => !this.classIds.has(n));
    if (missing.length > 0) {
      await this.refresh(db);
      missing = missing.filter((n) => !this.classIds.has(n));
    }
    return missing;
  }
}

/**
 * Adds the standard resource classes (with their fixed ids) and standard traits that the
 * database lacks; run at every start, as Placement syncs os-traits and os-resource-classes.
 */
export async function syncStandardCatalog(db: PlacementDb, clock: Clock): Promise<void> {
  const now = clock.now().toISOString();
  const classes = STANDARD_RESOURCE_CLASSES.map((name, id) => ({ id, name, created_at: now, updated_at: null }));
  await db.insertInto('resource_classes').values(classes).onConflict((oc) => oc.doNothing()).execute();
  const traits = STANDARD_TRAITS.map((name) => ({ name, created_at: now, updated_at: null }));
  await db.insertInto('traits').values(traits).onConflict((oc) => oc.column('name').doNothing()).execute();
}
