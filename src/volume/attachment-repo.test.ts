import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../common/clock.js';
import { ConflictError, NotFoundError, TesseraError } from '../common/errors.js';
import { openDatabase, type Database } from '../db/connection.js';
import { migrateToLatest } from '../db/migrator.js';
import type { AttachmentConnection } from './attachment-repo.js';
import { volumeMigrations } from './volume-migrations.js';
import type { VolumeSchema } from './volume-schema.js';
import { VolumeStore } from './volume-store.js';

const uuid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const VOL = uuid(100);
const OTHER_VOL = uuid(200);
const connection = (host: string): AttachmentConnection => ({
  connector: { host, mountpoint: '/dev/vdb', mode: 'rw', initiator: 'iqn.test' },
  connection_info: { driver_volume_type: 'fake', target: 't' },
  attach_mode: 'rw',
});

describe('AttachmentRepo', () => {
  let database: Database<VolumeSchema>;
  let store: VolumeStore;
  let clock: ManualClock;

  before(async () => {
    database = openDatabase<VolumeSchema>('sqlite://');
    await migrateToLatest(database as Database<unknown>, volumeMigrations);
  });
  after(async () => database.close());
  beforeEach(async () => {
    await database.db.deleteFrom('volume_attachments').execute();
    await database.db.deleteFrom('volumes').execute();
    clock = new ManualClock(new Date('2026-11-24T10:00:00Z'));
    store = new VolumeStore({ db: database.db, dialect: database.dialect, clock });
    for (const [id, project] of [[VOL, 'p-a'], [OTHER_VOL, 'p-b']] as const) {
      await store.volumes.create({ id, project_id: project, user_id: 'u', size: 1, status: 'available', availability_zone: 'nova', host: 'h' });
    }
  });

  async function add(n: number, volumeId = VOL, instance: string | null = uuid(n + 1000)) {
    clock.advance(1000);
    return store.attachments.create({ id: uuid(n), volume_id: volumeId, project_id: volumeId === VOL ? 'p-a' : 'p-b', instance_uuid: instance, attach_status: 'reserved', attach_mode: 'null' });
  }

  it('creates a reserved attachment without a connection', async () => {
    const a = await add(1);
    assert.deepEqual(
      { ...a },
      {
        id: uuid(1), volume_id: VOL, project_id: 'p-a', instance_uuid: uuid(1001), attached_host: null, mountpoint: null, attach_status: 'reserved',
        attach_mode: 'null', connector: null, connection_info: null, attach_time: null, detach_time: null,
        created_at: '2026-11-24T10:00:01.000Z', updated_at: '2026-11-24T10:00:01.000Z', deleted: false,
      },
    );
  });

  it('connects an attachment to a host, and sets the attach time once attached', async () => {
    await add(1);
    const connected = await store.attachments.connect(uuid(1), connection('h1'));
    assert.equal(connected.attach_status, 'attaching');
    assert.equal(connected.attached_host, 'h1');
    assert.equal(connected.mountpoint, '/dev/vdb');
    assert.equal(connected.attach_mode, 'rw');
    assert.deepEqual(connected.connector, { host: 'h1', mountpoint: '/dev/vdb', mode: 'rw', initiator: 'iqn.test' });
    assert.deepEqual(connected.connection_info, { driver_volume_type: 'fake', target: 't' });
    assert.equal(connected.attach_time, null);
    clock.advance(1000);
    await store.attachments.setStatus(uuid(1), 'attached');
    const attached = await store.attachments.get(uuid(1));
    assert.equal(attached.attach_status, 'attached');
    assert.equal(attached.attach_time, '2026-11-24T10:00:02.000Z');
  });

  it('keeps one live attachment per volume and host, also against a racing connector', async () => {
    await add(1);
    await add(2);
    await add(3, OTHER_VOL);
    await store.attachments.connect(uuid(1), connection('h1'));
    await assert.rejects(store.attachments.connect(uuid(2), connection('h1')), (err: unknown) => err instanceof ConflictError && err.code === 'volume.conflict');
    assert.equal((await store.attachments.get(uuid(2))).attached_host, null, 'the refused connection changed nothing');
    await store.attachments.connect(uuid(3), connection('h1'));
    await store.attachments.connect(uuid(2), connection('h2'));
    await store.attachments.connect(uuid(1), connection('h1'));
    // Once the first is deleted its host is free again.
    assert.equal(await store.attachments.softDelete(uuid(1)), true);
    await store.attachments.connect(uuid(2), connection('h1'));
    assert.equal((await store.attachments.get(uuid(2))).attached_host, 'h1');
  });

  it('lists live attachments by volume, instance, status and project, with paging', async () => {
    await add(1);
    await add(2, VOL, uuid(7));
    await add(3, OTHER_VOL, uuid(7));
    await add(4);
    await store.attachments.setStatus(uuid(4), 'attached');
    await store.attachments.softDelete(uuid(1));
    const ids = async (q: Parameters<typeof store.attachments.list>[0]) => (await store.attachments.list(q)).attachments.map((a) => a.id);
    assert.deepEqual(await ids({}), [uuid(2), uuid(3), uuid(4)]);
    assert.deepEqual(await ids({ projectId: 'p-a' }), [uuid(2), uuid(4)]);
    assert.deepEqual(await ids({ instanceUuid: uuid(7) }), [uuid(2), uuid(3)]);
    assert.deepEqual(await ids({ volumeId: OTHER_VOL }), [uuid(3)]);
    assert.deepEqual(await ids({ status: 'attached' }), [uuid(4)]);
    const first = await store.attachments.list({ limit: 2 });
    assert.deepEqual(first.attachments.map((a) => a.id), [uuid(2), uuid(3)]);
    assert.equal(first.more, true);
    const second = await store.attachments.list({ limit: 2, marker: uuid(3) });
    assert.deepEqual(second.attachments.map((a) => a.id), [uuid(4)]);
    assert.equal(second.more, false);
    await assert.rejects(store.attachments.list({ projectId: 'p-a', marker: uuid(3) }), (err: unknown) => err instanceof TesseraError && err.status === 400);
    assert.deepEqual([...(await store.attachments.ofVolumes([VOL, OTHER_VOL])).entries()].map(([v, l]) => [v, l.map((a) => a.id)]), [[VOL, [uuid(2), uuid(4)]], [OTHER_VOL, [uuid(3)]]]);
  });

  it('hides other projects\' attachments from members, and deleted ones from everyone', async () => {
    await add(3, OTHER_VOL);
    await assert.rejects(store.attachments.get(uuid(3), { viewer: { projectId: 'p-a', isAdmin: false } }), NotFoundError);
    assert.equal((await store.attachments.get(uuid(3), { viewer: { projectId: 'p-a', isAdmin: true } })).id, uuid(3));
    clock.advance(1000);
    assert.equal(await store.attachments.softDelete(uuid(3)), true);
    assert.equal(await store.attachments.softDelete(uuid(3)), false);
    await assert.rejects(store.attachments.get(uuid(3)), (err: unknown) => err instanceof NotFoundError && err.code === 'volume.attachment_not_found');
    const row = await database.db.selectFrom('volume_attachments').selectAll().where('id', '=', uuid(3)).executeTakeFirstOrThrow();
    assert.equal(row.detach_time, '2026-11-24T10:00:02.000Z');
  });
});
