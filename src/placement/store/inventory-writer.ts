import type { ProviderChange } from '../model/provider-change.js';
import { capacityOf, type InventoryValues } from '../model/provider-state.js';
import { PlacementCode, badRequest, conflict } from '../placement-errors.js';
import type { Catalog } from './catalog.js';
import { num, type PlacementDb } from './placement-database.js';
import { bumpGeneration, checkGeneration, getProviderRow } from './provider-row.js';

/** Computes a provider's new inventories from its current ones; throws to refuse the request. */
export type InventoryEdit = (current: ReadonlyMap<string, InventoryValues>) => Map<string, InventoryValues>;

/**
 * Rewrites a provider's inventories in one transaction: the caller's generation is checked, the
 * edit computes the new set, classes in use may not disappear nor shrink below what is allocated
 * (409 `placement.inventory.inuse`), and the generation is bumped with compare-and-swap.
 * Resource class names must have been checked against the catalog before the transaction.
 * Returns no change when the edit leaves everything as it was.
 */
export async function writeInventories(
  trx: PlacementDb,
  catalog: Catalog,
  args: { uuid: string; expectedGeneration: number | undefined; edit: InventoryEdit; now: string },
): Promise<{ generation: number; change: ProviderChange | undefined }> {
  const row = await getProviderRow(trx, args.uuid);
  checkGeneration(row, args.expectedGeneration);
  const rows = await trx
    .selectFrom('inventories as i')
    .innerJoin('resource_classes as rc', 'rc.id', 'i.resource_class_id')
    .select(['rc.name', 'i.resource_class_id', 'i.total', 'i.reserved', 'i.min_unit', 'i.max_unit', 'i.step_size', 'i.allocation_ratio'])
    .where('i.resource_provider_id', '=', row.id)
    .execute();
  const current = new Map<string, InventoryValues>();
  const currentIds = new Map<string, number>();
  for (const r of rows) {
    const { name, resource_class_id: id, ...values } = r;
    current.set(name, { ...values, allocation_ratio: Number(values.allocation_ratio) });
    currentIds.set(name, id);
  }
  const next = args.edit(current);
  for (const [rc, inv] of next) validateInventory(args.uuid, rc, inv);
  if (sameInventories(current, next)) return { generation: row.generation, change: undefined };

  const usageRows = await trx
    .selectFrom('allocations as a')
    .innerJoin('resource_classes as rc', 'rc.id', 'a.resource_class_id')
    .select((eb) => ['rc.name', eb.fn.sum<number | string>('a.used').as('used')])
    .where('a.resource_provider_id', '=', row.id)
    .groupBy('rc.name')
    .execute();
  for (const u of usageRows) {
    const rc = u.name;
    const used = num(u.used);
    if (used <= 0) continue;
    const inv = next.get(rc);
    if (inv === undefined) {
      throw conflict(`update conflict: Inventory for '${rc}' on resource provider '${args.uuid}' in use.`, PlacementCode.INVENTORY_INUSE);
    }
    if (capacityOf(inv) < used) {
      throw conflict(
        `update conflict: Inventory for '${rc}' on resource provider '${args.uuid}' in use: ${used} allocated, the new capacity would be ${capacityOf(inv)}.`,
        PlacementCode.INVENTORY_INUSE,
      );
    }
  }

  for (const [rc, id] of currentIds) {
    if (!next.has(rc)) await trx.deleteFrom('inventories').where('resource_provider_id', '=', row.id).where('resource_class_id', '=', id).execute();
  }
  for (const [rc, inv] of next) {
    const old = current.get(rc);
    if (old === undefined) {
      await trx.insertInto('inventories').values({ resource_provider_id: row.id, resource_class_id: classId(catalog, rc), ...inv, created_at: args.now, updated_at: null }).execute();
    } else if (!sameInventory(old, inv)) {
      await trx.updateTable('inventories').set({ ...inv, updated_at: args.now }).where('resource_provider_id', '=', row.id).where('resource_class_id', '=', classId(catalog, rc)).execute();
    }
  }
  const generation = await bumpGeneration(trx, row, args.now);
  return { generation, change: { kind: 'inventory', uuid: args.uuid, fromGeneration: row.generation, toGeneration: generation, inventories: next } };
}

/** Fills Placement's defaults into a record as a request gives it. */
export function withInventoryDefaults(given: Partial<InventoryValues> & { total: number }): InventoryValues {
  return {
    total: given.total,
    reserved: given.reserved ?? 0,
    min_unit: given.min_unit ?? 1,
    max_unit: given.max_unit ?? given.total,
    step_size: given.step_size ?? 1,
    allocation_ratio: given.allocation_ratio ?? 1,
  };
}

function validateInventory(uuid: string, rc: string, inv: InventoryValues): void {
  const bad = (why: string) => badRequest(`Unable to update inventory for resource provider ${uuid}: Invalid inventory for '${rc}' on resource provider '${uuid}'. ${why}`);
  if (inv.reserved > inv.total) throw bad('The reserved value is greater than total.');
  if (inv.min_unit > inv.max_unit) throw bad('The min_unit value is greater than max_unit.');
  if (!(inv.allocation_ratio > 0)) throw bad('The allocation_ratio must be greater than 0.');
}

function sameInventory(a: InventoryValues, b: InventoryValues): boolean {
  return a.total === b.total && a.reserved === b.reserved && a.min_unit === b.min_unit && a.max_unit === b.max_unit && a.step_size === b.step_size && a.allocation_ratio === b.allocation_ratio;
}

/** Whether two sets of inventories are equal, class by class. */
export function sameInventories(a: ReadonlyMap<string, InventoryValues>, b: ReadonlyMap<string, InventoryValues>): boolean {
  if (a.size !== b.size) return false;
  for (const [rc, inv] of a) {
    const other = b.get(rc);
    if (other === undefined || !sameInventory(inv, other)) return false;
  }
  return true;
}

function classId(catalog: Catalog, name: string): number {
  const id = catalog.classId(name);
  if (id === undefined) throw badRequest(`No such resource class ${name}.`);
  return id;
}
