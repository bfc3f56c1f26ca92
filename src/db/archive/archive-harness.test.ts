// Shared set-up for the archive tests: a migrated cell database and API database in memory, and
// instances with everything a cell records about them; no tests here.
import type { Kysely } from 'kysely';
import { ManualClock } from '../../common/clock.js';
import { RandomIdGenerator } from '../../common/ids.js';
import { makeInstance } from '../../../test/integration/db/instance-fixture.js';
import type { ApiSchema } from '../api/api-schema.js';
import { createCellRepos, type CellRepos } from '../cell/cell-repos.js';
import type { CellSchema } from '../cell/cell-schema.js';
import { openDatabase, type Database } from '../connection.js';
import { apiMigrations } from '../migrations/api/index.js';
import { cellMigrations } from '../migrations/cell/index.js';
import { migrateToLatest } from '../migrator.js';

export interface ArchiveHarness {
  cell: Database<CellSchema>;
  api: Database<ApiSchema>;
  repos: CellRepos;
  clock: ManualClock;
  ids: RandomIdGenerator;
  close(): Promise<void>;
}

export async function openArchiveHarness(): Promise<ArchiveHarness> {
  const clock = new ManualClock();
  const ids = new RandomIdGenerator();
  const cell = openDatabase<CellSchema>('sqlite://');
  const api = openDatabase<ApiSchema>('sqlite://');
  await migrateToLatest(cell, cellMigrations);
  await migrateToLatest(api, apiMigrations);
  return {
    cell, api, clock, ids,
    repos: createCellRepos({ db: cell.db, clock, ids }),
    close: async () => {
      await cell.close();
      await api.close();
    },
  };
}

/** Rows an instance seeded by `seedInstance` has in each table. */
export const SEEDED_ROWS = {
  instances: 1,
  instance_actions: 2,
  instance_actions_events: 3,
  instance_faults: 1,
  block_device_mapping: 1,
  virtual_interfaces: 1,
  instance_info_caches: 1,
  migrations: 1,
} as const;

/**
 * An instance with two actions (three events), a fault, a block device mapping, a virtual
 * interface, a network info cache, a migration and a tag; soft-deleted (as the compute deletes it)
 * when `deleted`.
 */
export async function seedInstance(h: ArchiveHarness, options: { deleted?: boolean } = {}): Promise<string> {
  const i = await h.repos.instances.create({ ...makeInstance(h), tags: ['blue'] });
  const actor = { instanceUuid: i.uuid, userId: 'user-a', projectId: 'project-a' };
  await h.repos.actions.start({ ...actor, action: 'create', requestId: `req-create-${i.uuid}` });
  for (const event of ['compute_build', 'compute_spawn']) {
    await h.repos.actions.recordEvent({ instanceUuid: i.uuid, requestId: `req-create-${i.uuid}`, event, startTime: h.clock.now().toISOString(), result: 'Success', host: 'compute-1' });
  }
  await h.repos.actions.start({ ...actor, action: 'stop', requestId: `req-stop-${i.uuid}` });
  await h.repos.actions.recordEvent({ instanceUuid: i.uuid, requestId: `req-stop-${i.uuid}`, event: 'compute_stop', startTime: h.clock.now().toISOString(), result: 'Error', host: 'compute-1' });
  await h.repos.faults.record({ instance_uuid: i.uuid, code: 500, message: 'boom', details: null, host: 'compute-1' });
  const now = h.clock.now().toISOString();
  const db = h.cell.db as unknown as Kysely<CellSchema>;
  await db.insertInto('block_device_mapping').values({
    uuid: h.ids.uuid(), instance_uuid: i.uuid, source_type: 'image', destination_type: 'local', boot_index: 0, device_name: '/dev/vda', device_type: 'disk', disk_bus: null, guest_format: null,
    delete_on_termination: 1, image_id: null, snapshot_id: null, volume_id: null, volume_size: null, volume_type: null, attachment_id: null, connection_info: null, no_device: 0, tag: null,
    created_at: now, updated_at: null, deleted_at: null,
  }).execute();
  await db.insertInto('virtual_interfaces').values({ uuid: h.ids.uuid(), instance_uuid: i.uuid, network_id: null, address: 'fa:16:3e:00:00:01', tag: null, created_at: now, updated_at: null, deleted_at: null }).execute();
  await db.insertInto('instance_info_caches').values({ instance_uuid: i.uuid, network_info: '[]', created_at: now, updated_at: null, deleted_at: null }).execute();
  await h.repos.migrations.create({
    uuid: h.ids.uuid(), instance_uuid: i.uuid, source_compute: 'compute-1', source_node: 'compute-1', dest_compute: null, dest_node: null, dest_host: null,
    old_instance_type_id: 1, new_instance_type_id: 2, status: 'confirmed', migration_type: 'resize', user_id: 'user-a', project_id: 'project-a',
  });
  if (options.deleted === true) await h.repos.instances.softDelete(i.uuid);
  return i.uuid;
}

/** Rows per table, live and shadow, of the seeded tables. */
export async function countRows(h: ArchiveHarness, prefix = ''): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const db = h.cell.db as unknown as Kysely<any>;
  for (const table of Object.keys(SEEDED_ROWS)) {
    const row = (await db.selectFrom(`${prefix}${table}`).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()) as { n: number };
    out[table] = Number(row.n);
  }
  return out;
}

/** Multiplies the per-instance seed counts. */
export function times(n: number): Record<string, number> {
  return Object.fromEntries(Object.entries(SEEDED_ROWS).map(([t, c]) => [t, c * n]));
}
