/**
 * The API database's quota and key pair repositories, and the counts quotas use, on every
 * dialect: upserts of limits, key pairs unique per user and name, paging by name, counts.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { BadRequestError, ConflictError, NotFoundError } from '../../../src/common/errors.js';
import { createApiRepos, type ApiRepos } from '../../../src/db/api/api-repos.js';
import type { ApiSchema } from '../../../src/db/api/api-schema.js';
import { apiMigrations } from '../../../src/db/migrations/api/index.js';
import { describeEachDialect } from './describe-each-dialect.js';
import { dialectTargets } from './dialect-targets.js';

const targets = await dialectTargets();

describeEachDialect<ApiSchema, ApiRepos>(
  targets,
  {
    title: 'quota and key pair repositories',
    prefix: 'quota',
    migrations: apiMigrations,
    repos: ({ database, clock, ids }) => createApiRepos({ db: database.db, clock, ids }),
  },
  (h) => {
    it('sets limits, overwrites them, keeps projects apart, and resets a project', async () => {
      const { quotas } = h().repos;
      assert.deepEqual(await quotas.ofProject('p1'), {});
      await quotas.set('p1', { instances: 5, cores: -1 });
      await quotas.set('p1', { instances: 7, ram: 2147483647 });
      await quotas.set('p2', { instances: 1 });
      assert.deepEqual(await quotas.ofProject('p1'), { instances: 7, cores: -1, ram: 2147483647 });
      // Two administrators setting the same limit at once: both succeed, one value stays.
      await Promise.all([quotas.set('p3', { instances: 1 }), quotas.set('p3', { instances: 2 })]);
      assert.ok([1, 2].includes((await quotas.ofProject('p3'))['instances'] as number));
      await quotas.deleteProject('p1');
      assert.deepEqual(await quotas.ofProject('p1'), {});
      assert.deepEqual(await quotas.ofProject('p2'), { instances: 1 });
    });

    it('stores key pairs per user and name: a duplicate is a 409, another user may reuse the name', async () => {
      const { keyPairs } = h().repos;
      const k = { fingerprint: 'aa:bb', publicKey: 'ssh-ed25519 AAAA', type: 'ssh' as const };
      const created = await keyPairs.create({ ...k, name: 'k1', userId: 'u1' });
      assert.equal(created.name, 'k1');
      assert.equal(created.type, 'ssh');
      assert.equal(created.updated_at, null);
      await assert.rejects(keyPairs.create({ ...k, name: 'k1', userId: 'u1' }), (err: unknown) => err instanceof ConflictError && err.message === "Key pair 'k1' already exists.");
      await keyPairs.create({ ...k, name: 'k1', userId: 'u2', type: 'x509' });
      assert.equal((await keyPairs.get('u2', 'k1')).type, 'x509');
      assert.equal(await keyPairs.countOf('u1'), 1);
      await keyPairs.delete('u1', 'k1');
      await assert.rejects(keyPairs.delete('u1', 'k1'), (err: unknown) => err instanceof NotFoundError && err.message === 'Keypair k1 not found for user u1');
      await assert.rejects(keyPairs.get('u1', 'k1'), NotFoundError);
      assert.equal(await keyPairs.countOf('u1'), 0);
    });

    it('lists a user\'s key pairs by name, after a marker, at most a limit', async () => {
      const { keyPairs } = h().repos;
      for (const name of ['c', 'a', 'b', 'd']) await keyPairs.create({ name, userId: 'u3', fingerprint: 'f', publicKey: 'p', type: 'ssh' });
      await keyPairs.create({ name: 'b2', userId: 'u4', fingerprint: 'f', publicKey: 'p', type: 'ssh' });
      const names = async (page: { limit?: number; marker?: string }) => (await keyPairs.list('u3', page)).map((k) => k.name);
      assert.deepEqual(await names({}), ['a', 'b', 'c', 'd']);
      assert.deepEqual(await names({ limit: 2 }), ['a', 'b']);
      assert.deepEqual(await names({ limit: 2, marker: 'b' }), ['c', 'd']);
      assert.deepEqual(await names({ marker: 'd' }), []);
      await assert.rejects(names({ marker: 'b2' }), (err: unknown) => err instanceof BadRequestError && err.message === 'Marker b2 could not be found.');
    });

    it('counts a project\'s server groups, the live instance mappings of a project, and a user\'s live group members', async () => {
      const { serverGroups, instanceMappings } = h().repos;
      const ids = h().ids;
      await serverGroups.create({ name: 'g', projectId: 'pg', userId: 'u1', policy: 'affinity', rules: {} });
      await serverGroups.create({ name: 'g', projectId: 'pg', userId: 'u2', policy: 'affinity', rules: {} });
      assert.equal(await serverGroups.countOf('pg'), 2);
      assert.equal(await serverGroups.countOf('pg', 'u2'), 1);
      assert.equal(await serverGroups.countOf('other'), 0);
      const [a, b, c] = [ids.uuid(), ids.uuid(), ids.uuid()];
      await instanceMappings.create({ instanceUuid: a, projectId: 'pg', userId: 'u1' });
      await instanceMappings.create({ instanceUuid: b, projectId: 'pg', userId: 'u1' });
      await instanceMappings.create({ instanceUuid: c, projectId: 'pg', userId: 'u2' });
      await instanceMappings.markQueuedForDelete(b);
      assert.deepEqual(await instanceMappings.cellsOfProject('pg'), []);
      const cell = await h().repos.cells.upsert({ uuid: ids.uuid(), name: 'quota-cell', transportUrl: 'inproc://', databaseConnection: 'sqlite://' });
      await instanceMappings.setCell(a, cell.id);
      await instanceMappings.setCell(c, cell.id);
      assert.deepEqual(await instanceMappings.cellsOfProject('pg'), [cell.id]);
      assert.deepEqual(await instanceMappings.cellsOfProject('pg', 'u1'), [cell.id]);
      assert.deepEqual(await instanceMappings.cellsOfProject('pg', 'u2'), [cell.id]);
      // A cell that holds only an instance queued for deletion is still summed: its row decides.
      const other = await h().repos.cells.upsert({ uuid: ids.uuid(), name: 'quota-cell-2', transportUrl: 'inproc://', databaseConnection: 'sqlite://' });
      await instanceMappings.setCell(b, other.id);
      assert.deepEqual((await instanceMappings.cellsOfProject('pg')).sort((x, y) => x - y), [cell.id, other.id].sort((x, y) => x - y));
      assert.deepEqual(await instanceMappings.cellsOfProject('pg', 'u2'), [cell.id]);
      assert.deepEqual(await instanceMappings.cellsOfProject('other'), []);
      assert.deepEqual((await instanceMappings.findMany([a, b, ids.uuid()])).map((m) => [m.instance_uuid, m.queued_for_delete]).sort(), [[a, false], [b, true]].sort());
      assert.equal(await instanceMappings.countLiveOfUser([a, b, c, ids.uuid()], 'u1'), 1);
      assert.equal(await instanceMappings.countLiveOfUser([], 'u1'), 0);
    });
  },
);
