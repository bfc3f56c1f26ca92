import { isUniqueViolation } from '../../db/unique-violation.js';
import { PlacementCode, badRequest, conflict, notFound } from '../placement-errors.js';
import { FIRST_CUSTOM_RESOURCE_CLASS_ID, isStandardResourceClass } from '../standard-resource-classes.js';
import { isStandardTrait } from '../standard-traits.js';
import { inWriteTransaction } from './placement-database.js';
import type { StoreContext } from './store-context.js';

/** GET /traits filters: `name=in:A,B` or `name=startswith:CUSTOM_`, and `associated`. */
export interface TraitFilter {
  nameIn?: readonly string[];
  prefix?: string;
  /** true: only traits some provider has; false: only traits no provider has. */
  associated?: boolean;
}

/** Traits and resource classes: the standard ones, and custom ones created through the API. */
export class CatalogStore {
  constructor(private readonly ctx: StoreContext) {}

  async listTraits(filter: TraitFilter = {}): Promise<string[]> {
    await this.ctx.catalog.refresh(this.ctx.database.db);
    let names = this.ctx.catalog.traitNamesSorted();
    if (filter.nameIn !== undefined) {
      const wanted = new Set(filter.nameIn);
      names = names.filter((n) => wanted.has(n));
    }
    if (filter.prefix !== undefined) names = names.filter((n) => n.startsWith(filter.prefix as string));
    if (filter.associated !== undefined) {
      const used = new Set((await this.ctx.database.db.selectFrom('provider_traits as pt').innerJoin('traits as t', 't.id', 'pt.trait_id').select('t.name').distinct().execute()).map((r) => r.name));
      names = names.filter((n) => used.has(n) === filter.associated);
    }
    return names;
  }

  async traitExists(name: string): Promise<boolean> {
    return (await this.ctx.catalog.missingTraits(this.ctx.database.db, [name])).length === 0;
  }

  /** Creates a `CUSTOM_` trait; false when it existed already. */
  async createTrait(name: string): Promise<boolean> {
    if (await this.traitExists(name)) return false;
    try {
      await this.ctx.database.db.insertInto('traits').values({ name, created_at: this.now(), updated_at: null }).execute();
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      await this.ctx.catalog.refresh(this.ctx.database.db);
      return false;
    }
    await this.ctx.catalog.refresh(this.ctx.database.db);
    return true;
  }

  async deleteTrait(name: string): Promise<void> {
    if (isStandardTrait(name)) throw badRequest(`Cannot delete standard trait ${name}.`);
    await inWriteTransaction(this.ctx.database, async (trx) => {
      const row = await trx.selectFrom('traits').select('id').where('name', '=', name).executeTakeFirst();
      if (row === undefined) throw notFound(`No such trait(s): ${name}.`);
      const used = await trx.selectFrom('provider_traits').select('trait_id').where('trait_id', '=', row.id).limit(1).executeTakeFirst();
      if (used !== undefined) throw conflict(`The trait ${name} is in use by a resource provider.`);
      await trx.deleteFrom('traits').where('id', '=', row.id).execute();
    });
    this.ctx.catalog.forgetTrait(name);
  }

  async listClasses(): Promise<string[]> {
    await this.ctx.catalog.refresh(this.ctx.database.db);
    return this.ctx.catalog.classNamesInOrder();
  }

  async classExists(name: string): Promise<boolean> {
    return (await this.ctx.catalog.missingClasses(this.ctx.database.db, [name])).length === 0;
  }

  /** Creates a `CUSTOM_` class; false when it existed already. */
  async createClass(name: string): Promise<boolean> {
    if (await this.classExists(name)) return false;
    try {
      await inWriteTransaction(this.ctx.database, async (trx) => {
        const top = await trx.selectFrom('resource_classes').select((eb) => eb.fn.max('id').as('id')).where('id', '>=', FIRST_CUSTOM_RESOURCE_CLASS_ID).executeTakeFirst();
        const id = top?.id === null || top?.id === undefined ? FIRST_CUSTOM_RESOURCE_CLASS_ID : Number(top.id) + 1;
        await trx.insertInto('resource_classes').values({ id, name, created_at: this.now(), updated_at: null }).execute();
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      await this.ctx.catalog.refresh(this.ctx.database.db);
      if (this.ctx.catalog.hasClass(name)) return false;
      throw conflict(`Resource class ${name} could not be created concurrently with another; please retry.`, PlacementCode.CONCURRENT_UPDATE);
    }
    await this.ctx.catalog.refresh(this.ctx.database.db);
    return true;
  }

  /**
   * Renames a custom class (PUT /resource_classes/{name} before 1.7). Providers with inventory
   * of it are reloaded into the read model under the new name.
   */
  async renameClass(name: string, newName: string): Promise<void> {
    if (isStandardResourceClass(name)) throw badRequest(`Cannot update standard resource class ${name}`);
    await inWriteTransaction(this.ctx.database, async (trx) => {
      const row = await trx.selectFrom('resource_classes').select('id').where('name', '=', name).executeTakeFirst();
      if (row === undefined) throw notFound(`No such resource class ${name}.`);
      const clash = await trx.selectFrom('resource_classes').select('id').where('name', '=', newName).executeTakeFirst();
      if (clash !== undefined) throw conflict(`Resource class already exists: ${newName}`, PlacementCode.DUPLICATE_NAME);
      await trx.updateTable('resource_classes').set({ name: newName, updated_at: this.now() }).where('id', '=', row.id).execute();
    });
    await this.ctx.catalog.refresh(this.ctx.database.db);
    const holders = [...this.ctx.model.providers()].filter((p) => p.resources.has(name)).map((p) => p.uuid);
    await this.ctx.sync.reload(holders);
  }

  async deleteClass(name: string): Promise<void> {
    if (isStandardResourceClass(name)) throw badRequest(`Cannot delete standard resource class ${name}.`);
    await inWriteTransaction(this.ctx.database, async (trx) => {
      const row = await trx.selectFrom('resource_classes').select('id').where('name', '=', name).executeTakeFirst();
      if (row === undefined) throw notFound(`No such resource class ${name}.`);
      const inventory = await trx.selectFrom('inventories').select('id').where('resource_class_id', '=', row.id).limit(1).executeTakeFirst();
      const allocation = await trx.selectFrom('allocations').select('id').where('resource_class_id', '=', row.id).limit(1).executeTakeFirst();
      if (inventory !== undefined || allocation !== undefined) throw conflict(`Unable to delete resource class ${name}. Resource class is in use in inventory.`);
      await trx.deleteFrom('resource_classes').where('id', '=', row.id).execute();
    });
    this.ctx.catalog.forgetClass(name);
  }

  private now(): string {
    return this.ctx.clock.now().toISOString();
  }
}
