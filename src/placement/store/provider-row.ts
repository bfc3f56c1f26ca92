import { ProviderGenerationConflict, PlacementCode, providerNotFound } from '../placement-errors.js';
import { ConflictError } from '../../common/errors.js';
import type { PlacementDb } from './placement-database.js';
import { prepareQuery, type Placeholders } from '../../db/prepared-query.js';

// Every claim bumps its provider's generation: prepared once.
const casGeneration = prepareQuery((db: PlacementDb, p: Placeholders<{ id: number; from: number; to: number; now: string }>) =>
  db.updateTable('resource_providers').set({ generation: p.to, updated_at: p.now }).where('id', '=', p.id).where('generation', '=', p.from),
);

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
  const res = await casGeneration.run(trx, { id: row.id, from: row.generation, to: row.generation + 1, now });
  if (Number(res.numAffectedRows) !== 1) {
    throw new ProviderGenerationConflict(`resource provider ${row.uuid} was updated by another writer (generation ${row.generation} is stale)`, [row.uuid]);
  }
  return row.generation + 1;
}
