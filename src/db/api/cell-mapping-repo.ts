import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../../common/clock.js';
import { NotFoundError } from '../../common/errors.js';
import type { CellMapping } from '../../objects/cell-mapping.js';
import { prepareQuery, type Placeholders } from '../prepared-query.js';
import type { ApiSchema, CellMappingTable } from './api-schema.js';

// Every request that reaches an instance looks its cell up.
const allCells = prepareQuery((db: Kysely<ApiSchema>) => db.selectFrom('cell_mappings').selectAll().orderBy('id'));
const cellById = prepareQuery((db: Kysely<ApiSchema>, p: Placeholders<{ id: number }>) => db.selectFrom('cell_mappings').selectAll().where('id', '=', p.id));
const cellByUuid = prepareQuery((db: Kysely<ApiSchema>, p: Placeholders<{ uuid: string }>) => db.selectFrom('cell_mappings').selectAll().where('uuid', '=', p.uuid));

/** Cell mappings: each cell's name, uuid and database URL. */
export class CellMappingRepo {
  constructor(private readonly deps: { db: Kysely<ApiSchema>; clock: Clock }) {}

  async list(): Promise<CellMapping[]> {
    const rows = await allCells.rows(this.deps.db, {});
    return rows.map(toCellMapping);
  }

  async getByName(name: string): Promise<CellMapping | undefined> {
    const row = await this.deps.db.selectFrom('cell_mappings').selectAll().where('name', '=', name).executeTakeFirst();
    return row && toCellMapping(row);
  }

  /** The cell with this uuid, if mapped; a point lookup (the conductor's, on every boot). */
  async findByUuid(uuid: string): Promise<CellMapping | undefined> {
    const row = await cellByUuid.takeFirst(this.deps.db, { uuid });
    return row && toCellMapping(row);
  }

  async getById(id: number): Promise<CellMapping> {
    const row = await cellById.takeFirst(this.deps.db, { id });
    if (row === undefined) throw new NotFoundError('cells.cell_not_found', `Cell ${id} could not be found.`);
    return toCellMapping(row);
  }

  /** Creates the mapping, or updates its database URL when a cell of that name exists. */
  async upsert(values: { uuid: string; name: string; transportUrl: string; databaseConnection: string }): Promise<CellMapping> {
    const now = this.deps.clock.now().toISOString();
    const existing = await this.getByName(values.name);
    if (existing) {
      await this.deps.db
        .updateTable('cell_mappings')
        .set({ database_connection: values.databaseConnection, transport_url: values.transportUrl, updated_at: now })
        .where('id', '=', existing.id)
        .execute();
      return { ...existing, database_connection: values.databaseConnection, transport_url: values.transportUrl };
    }
    await this.deps.db
      .insertInto('cell_mappings')
      .values({ uuid: values.uuid, name: values.name, transport_url: values.transportUrl, database_connection: values.databaseConnection, disabled: 0, created_at: now, updated_at: null })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    return (await this.getByName(values.name)) as CellMapping;
  }
}

function toCellMapping(row: Selectable<CellMappingTable>): CellMapping {
  return { id: row.id, uuid: row.uuid, name: row.name, transport_url: row.transport_url, database_connection: row.database_connection, disabled: row.disabled === 1 };
}
