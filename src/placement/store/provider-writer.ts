import { isUniqueViolation } from '../../db/unique-violation.js';
import { PlacementCode, badRequest, conflict, providerNotFound } from '../placement-errors.js';
import type { PlacementDb } from './placement-database.js';

export interface NewProvider {
  uuid: string;
  name: string;
  parentUuid?: string | null;
}

export interface ProviderUpdate {
  name?: string;
  /** Absent: keep the parent. */
  parentUuid?: string | null;
  /** 1.37+: a provider may move to another parent or become a root. */
  allowReparenting: boolean;
}

/** What the read model needs of a provider just inserted. */
export interface InsertedProvider {
  id: number;
  rootUuid: string;
}

/** Inserts a provider at generation 0; a root is its own root, a child gets its parent's root. */
export async function insertProvider(trx: PlacementDb, values: NewProvider, now: string): Promise<InsertedProvider> {
  await refuseDuplicates(trx, values.uuid, values.name);
  let parent: { id: number; root_provider_id: number | null; root_uuid: string | null } | undefined;
  if (values.parentUuid !== undefined && values.parentUuid !== null) {
    parent = await trx
      .selectFrom('resource_providers as rp')
      .leftJoin('resource_providers as root', 'root.id', 'rp.root_provider_id')
      .select(['rp.id', 'rp.root_provider_id', 'root.uuid as root_uuid'])
      .where('rp.uuid', '=', values.parentUuid)
      .executeTakeFirst();
    if (parent === undefined) {
      throw badRequest(`Unable to create resource provider "${values.name}", ${values.uuid}: parent provider UUID does not exist.`);
    }
  }
  try {
    const inserted = await trx
      .insertInto('resource_providers')
      .values({ uuid: values.uuid, name: values.name, generation: 0, root_provider_id: parent?.root_provider_id ?? null, parent_provider_id: parent?.id ?? null, created_at: now, updated_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (parent === undefined) await trx.updateTable('resource_providers').set({ root_provider_id: inserted.id }).where('id', '=', inserted.id).execute();
    return { id: inserted.id, rootUuid: parent?.root_uuid ?? values.uuid };
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`Conflicting resource provider name: ${values.name} or uuid: ${values.uuid} already exists.`, PlacementCode.DUPLICATE_NAME);
    throw err;
  }
}

/**
 * Renames and/or re-parents a provider. Before 1.37 a provider with a parent keeps it (only a
 * root may be given one); from 1.37 it may move, but never below itself. Moving a provider moves
 * its whole subtree to the new root. @returns the uuids whose state changed.
 */
export async function updateProvider(trx: PlacementDb, uuid: string, update: ProviderUpdate, now: string): Promise<string[]> {
  const row = await trx.selectFrom('resource_providers').select(['id', 'name', 'parent_provider_id', 'root_provider_id']).where('uuid', '=', uuid).executeTakeFirst();
  if (row === undefined) throw providerNotFound(uuid);
  const changed = [uuid];
  if (update.name !== undefined && update.name !== row.name) {
    const clash = await trx.selectFrom('resource_providers').select('id').where('name', '=', update.name).executeTakeFirst();
    if (clash !== undefined) throw conflict(`Conflicting resource provider ${update.name} already exists.`, PlacementCode.DUPLICATE_NAME);
  }
  let parentId = row.parent_provider_id;
  let rootId = row.root_provider_id ?? row.id;
  if (update.parentUuid !== undefined) {
    const parent = update.parentUuid === null ? undefined : await trx.selectFrom('resource_providers').select(['id', 'root_provider_id']).where('uuid', '=', update.parentUuid).executeTakeFirst();
    if (update.parentUuid !== null && parent === undefined) {
      throw badRequest(`Unable to save resource provider ${uuid}: parent provider UUID does not exist.`);
    }
    const newParentId = parent?.id ?? null;
    if (newParentId !== row.parent_provider_id) {
      if (row.parent_provider_id !== null && !update.allowReparenting) {
        throw badRequest(`Unable to save resource provider ${uuid}: re-parenting a provider is not allowed.`);
      }
      const subtree = await descendantsOf(trx, row.id);
      if (newParentId !== null && (newParentId === row.id || subtree.some((d) => d.id === newParentId))) {
        throw badRequest(`Unable to save resource provider ${uuid}: creating loop in the provider tree is not allowed.`);
      }
      parentId = newParentId;
      rootId = parent === undefined ? row.id : (parent.root_provider_id ?? parent.id);
      if (subtree.length > 0) {
        await trx.updateTable('resource_providers').set({ root_provider_id: rootId }).where('id', 'in', subtree.map((d) => d.id)).execute();
        changed.push(...subtree.map((d) => d.uuid));
      }
    }
  }
  await trx
    .updateTable('resource_providers')
    .set({ name: update.name ?? row.name, parent_provider_id: parentId, root_provider_id: rootId, updated_at: now })
    .where('id', '=', row.id)
    .execute();
  return changed;
}

/** Deletes a provider that has neither allocations nor children, with its inventories, aggregates and traits. */
export async function deleteProvider(trx: PlacementDb, uuid: string): Promise<void> {
  const row = await trx.selectFrom('resource_providers').select('id').where('uuid', '=', uuid).executeTakeFirst();
  if (row === undefined) throw providerNotFound(uuid);
  const allocation = await trx.selectFrom('allocations').select('id').where('resource_provider_id', '=', row.id).limit(1).executeTakeFirst();
  if (allocation !== undefined) {
    throw conflict(`Unable to delete resource provider ${uuid}: Resource provider has allocations.`, PlacementCode.PROVIDER_IN_USE);
  }
  const child = await trx.selectFrom('resource_providers').select('id').where('parent_provider_id', '=', row.id).limit(1).executeTakeFirst();
  if (child !== undefined) {
    throw conflict(`Unable to delete parent resource provider ${uuid}: It has child resource providers.`, PlacementCode.PROVIDER_CANNOT_DELETE_PARENT);
  }
  await trx.deleteFrom('inventories').where('resource_provider_id', '=', row.id).execute();
  await trx.deleteFrom('provider_aggregates').where('resource_provider_id', '=', row.id).execute();
  await trx.deleteFrom('provider_traits').where('resource_provider_id', '=', row.id).execute();
  // A root refers to itself; clear that before the row goes.
  await trx.updateTable('resource_providers').set({ root_provider_id: null }).where('id', '=', row.id).execute();
  await trx.deleteFrom('resource_providers').where('id', '=', row.id).execute();
}

async function refuseDuplicates(trx: PlacementDb, uuid: string, name: string): Promise<void> {
  const clashes = await trx
    .selectFrom('resource_providers')
    .select(['uuid', 'name'])
    .where((eb) => eb.or([eb('uuid', '=', uuid), eb('name', '=', name)]))
    .execute();
  const parts: string[] = [];
  if (clashes.some((c) => c.uuid === uuid)) parts.push(`uuid: ${uuid}`);
  if (clashes.some((c) => c.name === name)) parts.push(`name: ${name}`);
  if (parts.length > 0) throw conflict(`Conflicting resource provider ${parts.join(', ')} already exists.`, PlacementCode.DUPLICATE_NAME);
}

/** Every provider below `id`, breadth first. */
async function descendantsOf(trx: PlacementDb, id: number): Promise<{ id: number; uuid: string }[]> {
  const out: { id: number; uuid: string }[] = [];
  let frontier = [id];
  while (frontier.length > 0) {
    const children = await trx.selectFrom('resource_providers').select(['id', 'uuid']).where('parent_provider_id', 'in', frontier).execute();
    out.push(...children);
    frontier = children.map((c) => c.id);
  }
  return out;
}
