import { ProviderGenerationConflict, PlacementCode, providerNotFound } from '../placement-errors.js';
import { ConflictError } from '../../common/errors.js';
import type { PlacementDb } from './placement-database.js';

/** The columns of a provider that writers need: its id and the generation they compare against. */
export interface ProviderRow {
  id: number;
  uuid: string;
  generation: number;
}

export async function findProviderRow(trx: PlacementDb, uuid: string): Promise<ProviderRow | undefined> {
  return trx.selectFrom('resource_providers').select(['id', 'uuid', 'generation']).where('uuid', '=', uuid).executeTakeFirst();
}

/** @throws NotFoundError when there is no such provider. */
export async function getProviderRow(trx: PlacementDb, uuid: string): Promise<ProviderRow> {
  const row = await findProviderRow(trx, uuid);
  if (row === undefined) throw providerNotFound(uuid);
  return row;
}

/**
 * Refuses a write whose caller saw another generation (HTTP 409 `placement.concurrent_update`).
 * `expected` undefined means the caller did not say, and the current generation is used.
 */
export function checkGeneration(row: ProviderRow, expected: number | undefined): void {
  if (expected !== undefined && expected !== row.generation) {
    throw new ConflictError(
      PlacementCode.CONCURRENT_UPDATE,
      `resource provider generation conflict: ${row.uuid} is at generation ${row.generation}, the request expected ${expected}. Please update the generation and try again.`,
    );
  }
}

/**
 * Compare-and-swap of the generation: succeeds only if nobody changed the provider since `row`
 * was read, so two processes sharing the database cannot both win. Returns the new generation.
 */
export async function bumpGeneration(trx: PlacementDb, row: ProviderRow, now: string): Promise<number> {
  const res = await trx
    .updateTable('resource_providers')
    .set({ generation: row.generation + 1, updated_at: now })
    .where('id', '=', row.id)
    .where('generation', '=', row.generation)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) {
    throw new ProviderGenerationConflict(`resource provider ${row.uuid} was updated by another writer (generation ${row.generation} is stale)`, [row.uuid]);
  }
  return row.generation + 1;
}
