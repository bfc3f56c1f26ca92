import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../common/clock.js';
import { ConflictError, NotFoundError, TesseraError } from '../common/errors.js';
import { openDatabase, type Database } from '../db/connection.js';
import { migrateToLatest } from '../db/migrator.js';
import { imageMigrations } from './image-migrations.js';
import { ImageRepo, type ImageViewer, type NewImage } from './image-repo.js';
import type { ImageSchema } from './image-schema.js';

const A: ImageViewer = { projectId: 'project-a', isAdmin: false };
const B: ImageViewer = { projectId: 'project-b', isAdmin: false };
const ADMIN: ImageViewer = { projectId: 'admin-project', isAdmin: true };

const uuid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('ImageRepo', () => {
  let database: Database<ImageSchema>;
  let repo: ImageRepo;
  let clock: ManualClock;

  before(async () => {
    database = openDatabase<ImageSchema>('sqlite://');
    await migrateToLatest(database as Database<unknown>, imageMigrations);
  });
  after(async () => database.close());
  beforeEach(async () => {
    await database.db.deleteFrom('images').execute();
    clock = new ManualClock(new Date('2026-11-24T10:00:00Z'));
    repo = new ImageRepo({ db: database.db, clock });
  });

  async function add(n: number, values: Partial<NewImage> = {}) {
    clock.advance(1000);
    return repo.create({ id: uuid(n), name: `image-${n}`, status: 'active', visibility: 'public', ...values });
  }

  it('stores and decodes every column', async () => {
    const image = await add(1, { size: 3_000_000_000, protected: true, properties: { hw_disk_bus: 'virtio' }, owner: 'project-a' });
    assert.equal(image.size, 3_000_000_000);
    assert.equal(image.protected, true);
    assert.equal(image.os_hidden, false);
    assert.deepEqual(image.properties, { hw_disk_bus: 'virtio' });
    assert.equal(image.created_at, '2026-11-24T10:00:01.000Z');
    assert.equal(image.updated_at, image.created_at);
  });

  it('hides other projects\' private and shared images from a member, not from an admin', async () => {
    await add(1, { visibility: 'public', owner: 'project-b' });
    await add(2, { visibility: 'community', owner: 'project-b' });
    await add(3, { visibility: 'private', owner: 'project-b' });
    await add(4, { visibility: 'shared', owner: 'project-b' });
    await add(5, { visibility: 'private', owner: 'project-a' });

    const ids = async (viewer: ImageViewer) => (await repo.list({ viewer, sortKey: 'id', sortDir: 'asc' })).images.map((i) => i.id);
    assert.deepEqual(await ids(A), [uuid(1), uuid(2), uuid(5)]);
    assert.deepEqual(await ids(B), [uuid(1), uuid(2), uuid(3), uuid(4)]);
    assert.deepEqual(await ids(ADMIN), [uuid(1), uuid(2), uuid(3), uuid(4), uuid(5)]);

    await assert.rejects(repo.get(uuid(3), { viewer: A }), (err: unknown) => {
      assert.ok(err instanceof NotFoundError);
      assert.equal(err.code, 'image.not_found');
      assert.equal(err.message, `No image found with ID ${uuid(3)}`);
      return true;
    });
    assert.equal((await repo.get(uuid(3), { viewer: ADMIN })).id, uuid(3));
    assert.equal((await repo.get(uuid(3), { viewer: B })).id, uuid(3));
  });

  it('filters by name, status, visibility and owner', async () => {
    await add(1, { name: 'cirros', owner: 'project-a' });
    await add(2, { name: 'ubuntu', status: 'queued', visibility: 'private', owner: 'project-a' });
    await add(3, { name: 'cirros', visibility: 'private', owner: 'project-b' });
    const names = async (q: Parameters<ImageRepo['list']>[0]) => (await repo.list({ ...q, sortKey: 'id', sortDir: 'asc' })).images.map((i) => i.id);
    assert.deepEqual(await names({ viewer: A, name: 'cirros' }), [uuid(1)]);
    assert.deepEqual(await names({ viewer: ADMIN, name: 'cirros' }), [uuid(1), uuid(3)]);
    assert.deepEqual(await names({ viewer: A, status: 'queued' }), [uuid(2)]);
    assert.deepEqual(await names({ viewer: ADMIN, visibility: 'private' }), [uuid(2), uuid(3)]);
    assert.deepEqual(await names({ viewer: ADMIN, owner: 'project-b' }), [uuid(3)]);
  });

  it('pages by marker in every sort order without skipping ties', async () => {
    await add(1, { name: 'b' });
    await add(2, { name: 'a' });
    await add(3, { name: 'b' });
    await add(4, { name: null });
    await add(5, { name: 'c' });
    const walk = async (q: Parameters<ImageRepo['list']>[0]): Promise<string[]> => {
      const out: string[] = [];
      let marker: string | undefined;
      for (;;) {
        const page = await repo.list({ ...q, limit: 2, ...(marker === undefined ? {} : { marker }) });
        assert.ok(page.images.length <= 2);
        out.push(...page.images.map((i) => i.id));
        if (!page.more) return out;
        marker = page.images[page.images.length - 1]?.id;
      }
    };
    assert.deepEqual(await walk({}), [uuid(5), uuid(4), uuid(3), uuid(2), uuid(1)]);
    assert.deepEqual(await walk({ sortKey: 'created_at', sortDir: 'asc' }), [uuid(1), uuid(2), uuid(3), uuid(4), uuid(5)]);
    assert.deepEqual(await walk({ sortKey: 'name', sortDir: 'asc' }), [uuid(4), uuid(2), uuid(1), uuid(3), uuid(5)]);
    assert.deepEqual(await walk({ sortKey: 'name', sortDir: 'desc' }), [uuid(5), uuid(3), uuid(1), uuid(2), uuid(4)]);
    assert.deepEqual(await walk({ sortKey: 'id', sortDir: 'asc' }), [uuid(1), uuid(2), uuid(3), uuid(4), uuid(5)]);
  });

  it('reports whether another page follows', async () => {
    await add(1);
    await add(2);
    assert.equal((await repo.list({ limit: 2 })).more, false);
    assert.equal((await repo.list({ limit: 1 })).more, true);
  });

  it('rejects a marker the viewer cannot see', async () => {
    await add(1, { visibility: 'private', owner: 'project-b' });
    const isMarkerError = (err: unknown) => err instanceof TesseraError && err.status === 400 && err.code === 'image.marker_not_found';
    await assert.rejects(repo.list({ viewer: A, marker: uuid(1) }), isMarkerError);
    await assert.rejects(repo.list({ viewer: A, marker: uuid(9) }), isMarkerError);
    assert.deepEqual((await repo.list({ viewer: ADMIN, marker: uuid(1) })).images, []);
  });

  it('soft-deletes, and never reuses a deleted id', async () => {
    await add(1);
    await repo.softDelete(uuid(1));
    assert.equal(await repo.find(uuid(1)), undefined);
    const row = await repo.find(uuid(1), { includeDeleted: true });
    assert.equal(row?.status, 'deleted');
    assert.equal(row?.deleted, true);
    assert.deepEqual((await repo.list()).images, []);
    await assert.rejects(repo.softDelete(uuid(1)), NotFoundError);
    await assert.rejects(add(1), ConflictError);
    assert.equal(await repo.isEmpty(), false);
  });
});
