import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../common/clock.js';
import { ConflictError, NotFoundError, TesseraError } from '../common/errors.js';
import { openDatabase, type Database } from '../db/connection.js';
import { migrateToLatest } from '../db/migrator.js';
import { volumeMigrations } from './volume-migrations.js';
import type { NewVolume, VolumeQuery, VolumeViewer } from './volume-repo.js';
import type { VolumeSchema } from './volume-schema.js';
import { VolumeStore } from './volume-store.js';

const A: VolumeViewer = { projectId: 'p-a', isAdmin: false };
const ADMIN: VolumeViewer = { projectId: 'p-admin', isAdmin: true };
const uuid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('VolumeRepo', () => {
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
  });

  async function add(n: number, values: Partial<NewVolume> = {}) {
    clock.advance(1000);
    return store.volumes.create({ id: uuid(n), project_id: 'p-a', user_id: 'u', size: 1, status: 'available', availability_zone: 'nova', host: 'h@fake#fake', name: `vol-${n}`, ...values });
  }

  it('stores and decodes every column', async () => {
    const v = await add(1, { bootable: true, image_id: uuid(99), image_metadata: { image_name: 'cirros' }, metadata: { tier: 'gold' }, description: 'd', size: 3 });
    assert.deepEqual(
      { ...v },
      {
        id: uuid(1), project_id: 'p-a', user_id: 'u', name: 'vol-1', description: 'd', size: 3, status: 'available', availability_zone: 'nova',
        host: 'h@fake#fake', bootable: true, multiattach: false, image_id: uuid(99), image_metadata: { image_name: 'cirros' }, metadata: { tier: 'gold' },
        created_at: '2026-11-24T10:00:01.000Z', updated_at: '2026-11-24T10:00:01.000Z', deleted_at: null, deleted: false,
      },
    );
  });

  it('hides other projects\' volumes from members, not from admins', async () => {
    await add(1, { project_id: 'p-b' });
    await assert.rejects(store.volumes.get(uuid(1), { viewer: A }), (err: unknown) => err instanceof NotFoundError && err.code === 'volume.not_found' && err.message === `Volume ${uuid(1)} could not be found.`);
    assert.equal((await store.volumes.get(uuid(1), { viewer: ADMIN })).id, uuid(1));
  });

  it('filters by project, name, status, bootable and zone, and counts the matches', async () => {
    await add(1, { name: 'x' });
    await add(2, { name: 'x', project_id: 'p-b' });
    await add(3, { name: 'y', status: 'error', bootable: true });
    await add(4, { name: 'z', availability_zone: 'other' });
    const ids = async (q: VolumeQuery) => (await store.volumes.list({ ...q, sortKey: 'id', sortDir: 'asc' })).volumes.map((v) => v.id);
    assert.deepEqual(await ids({ name: 'x' }), [uuid(1), uuid(2)]);
    assert.deepEqual(await ids({ projectId: 'p-a', name: 'x' }), [uuid(1)]);
    assert.deepEqual(await ids({ status: 'error' }), [uuid(3)]);
    assert.deepEqual(await ids({ status: 'no-such-status' }), []);
    assert.deepEqual(await ids({ bootable: true }), [uuid(3)]);
    assert.deepEqual(await ids({ bootable: false, projectId: 'p-a' }), [uuid(1), uuid(4)]);
    assert.deepEqual(await ids({ availabilityZone: 'other' }), [uuid(4)]);
    assert.equal(await store.volumes.count({ projectId: 'p-a' }), 3);
    assert.equal(await store.volumes.count({}), 4);
  });

  it('pages by marker in every sort order without skipping ties', async () => {
    await add(1, { name: 'b', size: 2 });
    await add(2, { name: 'a', size: 1 });
    await add(3, { name: 'b', size: 2 });
    await add(4, { name: null, size: 5 });
    await add(5, { name: 'c', size: 1 });
    const walk = async (q: VolumeQuery): Promise<string[]> => {
      const out: string[] = [];
      let marker: string | undefined;
      for (;;) {
        const page = await store.volumes.list({ ...q, limit: 2, ...(marker === undefined ? {} : { marker }) });
        assert.ok(page.volumes.length <= 2);
        out.push(...page.volumes.map((v) => v.id));
        if (!page.more) return out;
        marker = page.volumes[page.volumes.length - 1]?.id;
      }
    };
    assert.deepEqual(await walk({}), [uuid(5), uuid(4), uuid(3), uuid(2), uuid(1)], 'Cinder\'s default: newest first');
    assert.deepEqual(await walk({ sortKey: 'created_at', sortDir: 'asc' }), [uuid(1), uuid(2), uuid(3), uuid(4), uuid(5)]);
    assert.deepEqual(await walk({ sortKey: 'name', sortDir: 'asc' }), [uuid(4), uuid(2), uuid(1), uuid(3), uuid(5)]);
    assert.deepEqual(await walk({ sortKey: 'size', sortDir: 'desc' }), [uuid(4), uuid(3), uuid(1), uuid(5), uuid(2)]);
  });

  it('refuses a marker outside the listed project', async () => {
    await add(1, { project_id: 'p-b' });
    const isMarkerError = (err: unknown) => err instanceof TesseraError && err.status === 400 && err.code === 'volume.marker_not_found';
    await assert.rejects(store.volumes.list({ projectId: 'p-a', marker: uuid(1) }), isMarkerError);
    await assert.rejects(store.volumes.list({ marker: uuid(9) }), isMarkerError);
    assert.deepEqual((await store.volumes.list({ marker: uuid(1) })).volumes, []);
  });

  it('changes status only from the expected statuses', async () => {
    await add(1, { status: 'creating' });
    assert.equal(await store.volumes.compareAndSetStatus(uuid(1), ['available'], 'deleting'), false);
    assert.equal((await store.volumes.get(uuid(1))).status, 'creating');
    assert.equal(await store.volumes.compareAndSetStatus(uuid(1), ['creating'], 'available'), true);
    assert.equal((await store.volumes.get(uuid(1))).status, 'available');
    const [first, second] = await Promise.all([
      store.volumes.compareAndSetStatus(uuid(1), ['available'], 'reserved'),
      store.volumes.compareAndSetStatus(uuid(1), ['available'], 'deleting'),
    ]);
    assert.equal(Number(first) + Number(second), 1, 'exactly one of two racing changes wins');
  });

  it('updates name, description and metadata', async () => {
    await add(1, { metadata: { a: '1' } });
    clock.advance(5000);
    const v = await store.volumes.update(uuid(1), { name: 'renamed', metadata: { b: '2' } });
    assert.equal(v.name, 'renamed');
    assert.equal(v.description, null);
    assert.deepEqual(v.metadata, { b: '2' });
    assert.equal(v.updated_at, '2026-11-24T10:00:06.000Z');
    await assert.rejects(store.volumes.update(uuid(7), { name: 'x' }), NotFoundError);
  });

  it('soft-deletes only a deleting volume, and never reuses its id', async () => {
    await add(1);
    assert.equal(await store.volumes.softDelete(uuid(1)), false, 'an available volume is not deleted directly');
    await store.volumes.setStatus(uuid(1), 'deleting');
    assert.equal(await store.volumes.softDelete(uuid(1)), true);
    assert.equal(await store.volumes.find(uuid(1)), undefined);
    const row = await store.volumes.find(uuid(1), { includeDeleted: true });
    assert.equal(row?.status, 'deleted');
    assert.equal(row?.deleted, true);
    assert.deepEqual((await store.volumes.list()).volumes, []);
    assert.equal(await store.volumes.softDelete(uuid(1)), false);
    await assert.rejects(add(1), (err: unknown) => err instanceof ConflictError && err.code === 'volume.exists');
  });
});
