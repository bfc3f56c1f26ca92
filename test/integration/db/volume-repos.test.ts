/**
 * The volume database on every dialect target (SQLite in memory and in a file, PostgreSQL): its
 * migrations, what PostgreSQL returns differently (bigint as text), and the guarantees that only
 * real concurrency tests: quota reservations, status swaps, the one-attachment-per-host index,
 * and attachment operations serialised by the volume's row lock.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConflictError } from '../../../src/common/errors.js';
import { migrateToLatest } from '../../../src/db/migrator.js';
import { volumeMigrations } from '../../../src/volume/volume-migrations.js';
import type { VolumeSchema } from '../../../src/volume/volume-schema.js';
import { VolumeStore } from '../../../src/volume/volume-store.js';
import { ALICE, INSTANCE_1, INSTANCE_2, startVolumeHarness } from '../../../src/volume/volume-harness.test.js';
import { describeEachDialect } from './describe-each-dialect.js';
import { dialectTargets } from './dialect-targets.js';

const targets = await dialectTargets();
let n = 0;
const uuid = (): string => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;

describeEachDialect<VolumeSchema, VolumeStore>(
  targets,
  {
    title: 'Volume database',
    prefix: 'volume',
    migrations: volumeMigrations,
    repos: ({ database, clock }) => new VolumeStore({ db: database.db, dialect: database.dialect, clock }),
  },
  (h) => {
    const newVolume = (project: string, extra: { multiattach?: boolean; size?: number } = {}) =>
      h().repos.volumes.create({ id: uuid(), project_id: project, user_id: 'u', size: extra.size ?? 1, status: 'available', availability_zone: 'nova', host: 'h', ...extra });

    it('migrates to the latest schema, and migrating again applies nothing', async () => {
      assert.deepEqual(h().migrated.first, volumeMigrations.map((m) => m.name));
      assert.deepEqual(h().migrated.second, []);
      assert.deepEqual(await migrateToLatest(h().database, volumeMigrations), []);
    });

    it('round-trips volumes with metadata, and usage past 2^31 GiB as numbers', async () => {
      const v = await h().repos.volumes.create({ id: uuid(), project_id: 'p-big', user_id: 'u', size: 2_000_000_000, status: 'available', availability_zone: 'nova', host: 'h', metadata: { k: 'v' }, bootable: true });
      assert.equal(v.size, 2_000_000_000);
      assert.deepEqual(v.metadata, { k: 'v' });
      assert.equal(v.bootable, true);
      for (let i = 0; i < 2; i++) assert.equal(await h().repos.usages.reserve('p-big', 2_000_000_000, { volumes: -1, gigabytes: -1 }), true);
      assert.deepEqual(await h().repos.usages.usage('p-big'), { volumes: 2, gigabytes: 4_000_000_000 });
    });

    it('never lets racing reservations pass the quota', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, () => h().repos.usages.reserve('p-race', 2, { volumes: 7, gigabytes: 100 })));
      assert.equal(results.filter(Boolean).length, 7);
      assert.deepEqual(await h().repos.usages.usage('p-race'), { volumes: 7, gigabytes: 14 });
    });

    it('lets exactly one of racing status swaps win', async () => {
      const v = await newVolume('p-cas');
      const results = await Promise.all(['reserved', 'deleting', 'attaching', 'error'].map((next) => h().repos.volumes.compareAndSetStatus(v.id, ['available'], next as 'reserved')));
      assert.equal(results.filter(Boolean).length, 1);
    });

    it('keeps one live attachment per volume and host, freeing the host once it is deleted', async () => {
      const v = await newVolume('p-host', { multiattach: true });
      const ids = [uuid(), uuid()];
      for (const id of ids) await h().repos.attachments.create({ id, volume_id: v.id, project_id: 'p-host', instance_uuid: null, attach_status: 'reserved', attach_mode: 'null' });
      const connection = { connector: { host: 'h1' }, connection_info: { driver_volume_type: 'fake' }, attach_mode: 'rw' as const };
      const raced = await Promise.allSettled(ids.map((id) => h().repos.attachments.connect(id, connection)));
      assert.equal(raced.filter((r) => r.status === 'fulfilled').length, 1);
      const refused = raced.find((r) => r.status === 'rejected');
      assert.ok(refused?.status === 'rejected' && refused.reason instanceof ConflictError, 'the loser gets a ConflictError');
      const winner = ids[raced.findIndex((r) => r.status === 'fulfilled')] as string;
      await h().repos.attachments.softDelete(winner);
      const loser = ids.find((id) => id !== winner) as string;
      assert.equal((await h().repos.attachments.connect(loser, connection)).attached_host, 'h1');
    });

    describe('attachment operations under concurrency', () => {
      it('two instances racing for one volume: exactly one gets it', async () => {
        const harness = await startVolumeHarness({ database: h().database });
        try {
          for (let round = 0; round < 3; round++) {
            const v = await harness.volumes.create(ALICE, { size: 1 });
            const results = await Promise.allSettled([INSTANCE_1, INSTANCE_2].map((instanceUuid) => harness.attachments.create(ALICE, { volumeId: v.id, instanceUuid })));
            assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected'], `round ${round}`);
            assert.equal((await harness.store.attachments.ofVolume(v.id)).length, 1);
            assert.equal((await harness.store.volumes.get(v.id)).status, 'reserved');
          }
        } finally {
          await harness.close();
        }
      });

      it('concurrent operations on one multiattach volume leave its status consistent with its attachments', async () => {
        const harness = await startVolumeHarness({ database: h().database });
        try {
          const v = await newVolume(ALICE.projectId, { multiattach: true });
          const created = [];
          for (const [i, host] of ['h1', 'h2', 'h3', 'h4'].entries()) {
            const a = await harness.attachments.create(ALICE, { volumeId: v.id, instanceUuid: i % 2 === 0 ? INSTANCE_1 : INSTANCE_2, connector: { host } });
            await harness.attachments.complete(ALICE, a.id);
            created.push(a);
          }
          const statusOf = async () => (await harness.store.volumes.get(v.id)).status;
          assert.equal(await statusOf(), 'in-use');
          // Reconnect two and detach the other two, all at once: what is left is attaching.
          await Promise.all(created.map((a, i) => (i < 2 ? harness.attachments.update(ALICE, a.id, { host: `h${i + 1}` }) : harness.attachments.delete(ALICE, a.id))));
          const left = await harness.store.attachments.ofVolume(v.id);
          assert.deepEqual(left.map((a) => a.attach_status), ['attaching', 'attaching']);
          assert.equal(await statusOf(), 'attaching');
          await Promise.all(left.map((a) => harness.attachments.complete(ALICE, a.id)));
          assert.equal(await statusOf(), 'in-use');
          await Promise.all(left.map((a) => harness.attachments.delete(ALICE, a.id)));
          assert.equal(await statusOf(), 'available');
        } finally {
          await harness.close();
        }
      });

      it('racing creates never take a project past its quota, and every refused one leaves nothing', async () => {
        const harness = await startVolumeHarness({ database: h().database, limits: { volumes: 1000, gigabytes: 5 } });
        const project = { ...ALICE, projectId: `p-quota-${h().target}` };
        try {
          const results = await Promise.allSettled(Array.from({ length: 9 }, () => harness.volumes.create(project, { size: 1 })));
          assert.equal(results.filter((r) => r.status === 'fulfilled').length, 5);
          assert.equal(await harness.store.volumes.count({ projectId: project.projectId }), 5);
          assert.deepEqual(await harness.store.usages.usage(project.projectId), { volumes: 5, gigabytes: 5 });
        } finally {
          await harness.close();
        }
      });
    });
  },
);
