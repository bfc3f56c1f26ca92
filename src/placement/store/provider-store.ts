import { inventoryOf, newProviderMemo, type InventoryValues, type ProviderState } from '../model/provider-state.js';
import { badRequest, providerNotFound } from '../placement-errors.js';
import { sameInventories, writeInventories, type InventoryEdit } from './inventory-writer.js';
import { writeAggregates, writeTraits } from './provider-links-writer.js';
import { deleteProvider, insertProvider, updateProvider, type NewProvider, type ProviderUpdate } from './provider-writer.js';
import { writeAndSync, type StoreContext } from './store-context.js';

/**
 * Resource providers and what hangs on them (inventories, aggregates, traits): reads come from
 * the read model, writes go through a database transaction and then into the model.
 */
export class ProviderStore {
  constructor(private readonly ctx: StoreContext) {}

  find(uuid: string): Promise<ProviderState | undefined> {
    return this.ctx.sync.find(uuid);
  }

  /** The provider as this process knows it, without asking the database. */
  peek(uuid: string): ProviderState | undefined {
    return this.ctx.model.get(uuid);
  }

  findByName(name: string): Promise<ProviderState | undefined> {
    return this.ctx.sync.findByName(name);
  }

  /** @throws NotFoundError `placement.resource_provider.not_found` */
  async get(uuid: string): Promise<ProviderState> {
    const state = await this.find(uuid);
    if (state === undefined) throw providerNotFound(uuid);
    return state;
  }

  async create(values: NewProvider): Promise<ProviderState> {
    const now = this.ctx.clock.now().toISOString();
    const inserted = await writeAndSync(this.ctx, [], async (trx) => ({ result: await insertProvider(trx, values, now), changes: [], touched: [values.uuid] }));
    // A new provider has nothing but its place in a tree; no need to read it back.
    const state: ProviderState = {
      id: inserted.id,
      uuid: values.uuid,
      name: values.name,
      generation: 0,
      parentUuid: values.parentUuid ?? null,
      rootUuid: inserted.rootUuid,
      resources: new Map(),
      aggregates: new Set(),
      traits: new Set(),
      traitList: [],
      createdAt: now,
      updatedAt: null,
      memo: newProviderMemo(),
    };
    this.ctx.model.upsert(state);
    return state;
  }

  async update(uuid: string, update: ProviderUpdate): Promise<ProviderState> {
    const changed = await writeAndSync(this.ctx, [uuid], async (trx, now) => {
      const result = await updateProvider(trx, uuid, update, now);
      return { result, changes: [], touched: result };
    });
    await this.ctx.sync.reload(changed);
    return this.get(uuid);
  }

  async delete(uuid: string): Promise<void> {
    await writeAndSync(this.ctx, [uuid], async (trx) => ({ result: await deleteProvider(trx, uuid), changes: [], touched: [uuid] }));
    this.ctx.model.remove(uuid);
  }

  /**
   * Rewrites the inventories of a provider. `expectedGeneration` undefined means "whatever it is
   * now" (the resource tracker's use); a number is compared, and a mismatch is a 409.
   */
  async editInventories(uuid: string, expectedGeneration: number | undefined, classes: readonly string[], edit: InventoryEdit): Promise<ProviderState> {
    const missing = await this.ctx.catalog.missingClasses(this.ctx.database.db, classes);
    if (missing.length > 0) throw badRequest(`Unknown resource class in inventory for resource provider ${uuid}: No such resource class ${missing.join(', ')}.`);
    await writeAndSync(this.ctx, [uuid], async (trx, now) => {
      const out = await writeInventories(trx, this.ctx.catalog, { uuid, expectedGeneration, edit, now });
      this.ctx.faults?.check('placement.inventories.write');
      return { result: out.generation, changes: out.change === undefined ? [] : [out.change] };
    });
    return this.get(uuid);
  }

  /** Replaces every inventory of a provider. */
  async setInventories(uuid: string, expectedGeneration: number | undefined, inventories: ReadonlyMap<string, InventoryValues>): Promise<ProviderState> {
    if (expectedGeneration === undefined && this.holds(uuid, inventories)) {
      // Every compute re-sends its inventory each period to correct drift, and nearly always it is
      // unchanged. When this process's model agrees, make sure from a fresh snapshot, which takes
      // no lock, and write only if the database differs: a write transaction would hold the write
      // lock for nothing, and the claims of another thread or process sharing the file would wait.
      await this.ctx.sync.reload([uuid]);
      if (this.holds(uuid, inventories)) return this.ctx.model.get(uuid) as ProviderState;
    }
    return this.editInventories(uuid, expectedGeneration, [...inventories.keys()], () => new Map(inventories));
  }

  async setAggregates(uuid: string, expectedGeneration: number | undefined, aggregates: readonly string[]): Promise<ProviderState> {
    await writeAndSync(this.ctx, [uuid], async (trx, now) => {
      const out = await writeAggregates(trx, { uuid, expectedGeneration, aggregates, now });
      return { result: out.generation, changes: [out.change] };
    });
    return this.get(uuid);
  }

  /** Whether the model holds exactly these inventories for the provider. */
  private holds(uuid: string, inventories: ReadonlyMap<string, InventoryValues>): boolean {
    const current = this.ctx.model.get(uuid);
    return current !== undefined && sameInventories(new Map([...current.resources].map(([rc, r]) => [rc, inventoryOf(r)])), inventories);
  }

  /** @throws BadRequestError when a trait does not exist. */
  async setTraits(uuid: string, expectedGeneration: number | undefined, traits: readonly string[]): Promise<ProviderState> {
    const missing = await this.ctx.catalog.missingTraits(this.ctx.database.db, traits);
    if (missing.length > 0) throw badRequest(`No such trait(s): ${missing.join(', ')}.`);
    await writeAndSync(this.ctx, [uuid], async (trx, now) => {
      const out = await writeTraits(trx, this.ctx.catalog, { uuid, expectedGeneration, traits, now });
      return { result: out.generation, changes: [out.change] };
    });
    return this.get(uuid);
  }
}
