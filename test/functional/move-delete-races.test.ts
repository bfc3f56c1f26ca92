import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestCloud, type TestCloud } from '../fixtures/test-cloud.js';
import { boot } from './boot-devices.js';
import { C, imageId, sleep, waitForGone } from './helpers.js';
import { act, actionsOf, adminServer, allocationsByHost, migrationsOf, providersByHost, waitForStatus } from './move-support.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

const MOVING = ['pre-migrating', 'migrating', 'post-migrating'];

/**
 * Polls the server's newest migration until it shows `status` or a later phase of the move (a
 * short phase may pass between two polls on a busy machine); returns it. It must still be moving.
 */
async function migrationIn(admin: TestCloud['admin'], id: string, status: string): Promise<any> {
  const acceptable = MOVING.slice(MOVING.indexOf(status));
  let migration: any;
  for (let i = 0; i < 1000 && !acceptable.includes(migration?.status); i++) {
    [migration] = await migrationsOf(admin, id);
    if (!acceptable.includes(migration?.status)) await sleep(2);
  }
  assert.ok(acceptable.includes(migration?.status), `the move was seen ${status} or later: ${String(migration?.status)}`);
  return migration;
}

/**
 * A delete that comes while the conductor moves a server between cells is queued and carried out
 * when the move ends; the same races within a cell go to the compute as usual. Whichever way, the
 * delete that got its 204 wins and nothing is left: no allocation of the instance or the migration,
 * no port, no temporary snapshot, nothing the audit finds.
 */
describe('a delete racing a move', () => {
  let t: TestCloud;
  let dir: string;
  let image: string;
  let providers: Map<string, string>;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-mdr-'));
    const file = join(dir, 'policy.yaml');
    writeFileSync(file, '"compute:servers:resize:cross_cell": "role:admin"\n');
    // Guest operations take long enough for the delete to land in the middle of the move.
    t = await startTestCloud(`[oslo_policy]\npolicy_file = ${file}\n[fake_driver]\ndelay_ms = 60`);
    image = await imageId(t.admin);
    providers = await providersByHost(t.admin);
  });
  after(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function bootOn(host: string): Promise<string> {
    const res = await boot(t.admin, '2.74', { name: 'racer', flavorRef: '1', imageRef: image, networks: 'auto', host });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const id: string = res.body.server.id;
    await waitForStatus(t.admin, id, 'ACTIVE');
    return id;
  }

  async function assertGoneAndClean(id: string, migrations: string[]): Promise<void> {
    await waitForGone(t.admin, id);
    assert.deepEqual(await allocationsByHost(t.admin, id, providers), {}, 'the instance holds nothing');
    for (const m of migrations) assert.deepEqual(await allocationsByHost(t.admin, m, providers), {}, `migration ${m} holds nothing`);
    const ports = (await t.admin.get(`/network/v2.0/ports?device_id=${id}`)).body.ports as any[];
    assert.deepEqual(ports, [], 'no port left');
    const images = (await t.admin.get('/image/v2/images')).body.images as any[];
    assert.deepEqual(images.map((i) => i.id), [image], 'no temporary snapshot left');
    assert.deepEqual(await t.cloud.audit(), []);
  }

  for (const target of ['cell1-compute2', 'cell2-compute1']) {
    const crossCell = target.startsWith('cell2');
    it(`a delete during a ${crossCell ? 'cross-cell' : 'same-cell'} revert wins`, async () => {
      const id = await bootOn('cell1-compute1');
      await act(t.admin, id, { migrate: { host: target } }, 202, '2.56');
      await waitForStatus(t.admin, id, 'VERIFY_RESIZE');
      const [migration] = await migrationsOf(t.admin, id);
      await act(t.admin, id, { revertResize: null });
      const del = await t.admin.request('DELETE', `${C}/servers/${id}`);
      assert.equal(del.status, 204, JSON.stringify(del.body));
      await assertGoneAndClean(id, [migration.uuid]);
    });

    if (crossCell) {
      it('a delete during a cross-cell migration that then fails at the destination wins', async () => {
        const id = await bootOn('cell1-compute1');
        t.cloud.faults.arm('virt.finish_migration', { host: target });
        try {
          await act(t.admin, id, { migrate: { host: target } }, 202, '2.56');
          const migration = await migrationIn(t.admin, id, 'migrating');
          const del = await t.admin.request('DELETE', `${C}/servers/${id}`);
          assert.equal(del.status, 204, JSON.stringify(del.body));
          await assertGoneAndClean(id, [migration.uuid]);
          const migrate = (await actionsOf(t.admin, id)).find((a) => a.action === 'migrate');
          assert.ok(migrate?.events.includes('conductor_migrate_server:Error'), `the move failed: ${JSON.stringify(migrate)}`);
          assert.ok(migrate?.events.includes('compute_terminate_instance:Success'), `and the delete was carried out: ${JSON.stringify(migrate)}`);
        } finally {
          t.cloud.faults.disarm('virt.finish_migration');
        }
      });
    }

    if (crossCell) {
      // The moment between a cross-cell migration's end and the conductor's own confirm-then-delete
      // for a delete queued during it: the flag is set and the server waits in VERIFY_RESIZE.
      async function endedWithDeleteQueued(): Promise<{ id: string; migration: string }> {
        const id = await bootOn('cell1-compute1');
        await act(t.admin, id, { migrate: { host: target } }, 202, '2.56');
        await waitForStatus(t.admin, id, 'VERIFY_RESIZE');
        const [migration] = await migrationsOf(t.admin, id);
        await t.cloud.api.instanceMappings.markQueuedForDelete(id);
        return { id, migration: migration.uuid };
      }

      it('a confirm that takes the migration before the conductor does carries out the delete queued during the move', async () => {
        const { id, migration } = await endedWithDeleteQueued();
        await act(t.admin, id, { confirmResize: null }, 204);
        await assertGoneAndClean(id, [migration]);
        const confirm = (await actionsOf(t.admin, id)).find((a) => a.action === 'confirmResize');
        assert.ok(confirm?.events.includes('compute_terminate_instance:Success'), `the delete ran after the confirm: ${JSON.stringify(confirm)}`);
      });

      it('a revert in that moment gets 409 and changes nothing: the delete came first', async () => {
        const { id, migration } = await endedWithDeleteQueued();
        await act(t.admin, id, { revertResize: null }, 409);
        assert.equal((await adminServer(t.admin, id)).status, 'VERIFY_RESIZE');
        assert.equal((await migrationsOf(t.admin, id))[0].status, 'finished');
        // Standing in for the conductor's own confirm-then-delete: a delete confirms, then deletes once.
        assert.equal((await t.admin.request('DELETE', `${C}/servers/${id}`)).status, 204);
        await assertGoneAndClean(id, [migration]);
      });
    }

    for (const phase of crossCell ? MOVING : []) {
      it(`a delete while a cross-cell migration is ${phase} (or a later phase) wins`, async () => {
        const id = await bootOn('cell1-compute1');
        await act(t.admin, id, { migrate: { host: target } }, 202, '2.56');
        const migration = await migrationIn(t.admin, id, phase);
        const del = await t.admin.request('DELETE', `${C}/servers/${id}`);
        assert.equal(del.status, 204, JSON.stringify(del.body));
        await assertGoneAndClean(id, [migration.uuid]);
      });
    }
  }
});

describe('a delete racing a cross-cell move, with soft delete', () => {
  let t: TestCloud;
  let dir: string;
  let image: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-mdr-soft-'));
    const file = join(dir, 'policy.yaml');
    writeFileSync(file, '"compute:servers:resize:cross_cell": "role:admin"\n');
    t = await startTestCloud(`[DEFAULT]\nreclaim_instance_interval = 3600\n[oslo_policy]\npolicy_file = ${file}\n[fake_driver]\ndelay_ms = 60`);
    image = await imageId(t.admin);
  });
  after(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a delete during the move soft-deletes the server once it is confirmed in the target cell, and restore brings it back there', async () => {
    const res = await boot(t.admin, '2.74', { name: 'soft', flavorRef: '1', imageRef: image, networks: 'auto', host: 'cell1-compute1' });
    const id: string = res.body.server.id;
    await waitForStatus(t.admin, id, 'ACTIVE');
    await act(t.admin, id, { migrate: { host: 'cell2-compute1' } }, 202, '2.56');
    await migrationIn(t.admin, id, 'migrating');
    assert.equal((await t.admin.request('DELETE', `${C}/servers/${id}`)).status, 204);
    await waitForStatus(t.admin, id, 'SOFT_DELETED');
    assert.equal((await adminServer(t.admin, id))['OS-EXT-SRV-ATTR:host'], 'cell2-compute1');
    assert.equal((await migrationsOf(t.admin, id))[0].status, 'confirmed');
    await act(t.admin, id, { restore: null });
    await waitForStatus(t.admin, id, 'ACTIVE');
    assert.deepEqual(await t.cloud.audit(), []);
  });

  it('a soft delete that failed leaves no delete for a later cross-cell move to carry out', async () => {
    const res = await boot(t.admin, '2.74', { name: 'survivor', flavorRef: '1', imageRef: image, networks: 'auto', host: 'cell1-compute1' });
    const id: string = res.body.server.id;
    await waitForStatus(t.admin, id, 'ACTIVE');
    t.cloud.faults.arm('virt.power_off');
    try {
      assert.equal((await t.admin.request('DELETE', `${C}/servers/${id}`)).status, 204);
      for (let i = 0; i < 200 && (await adminServer(t.admin, id))['OS-EXT-STS:task_state'] !== null; i++) await sleep(10);
    } finally {
      t.cloud.faults.disarm('virt.power_off');
    }
    assert.equal((await adminServer(t.admin, id)).status, 'ACTIVE', 'the failed soft delete left the server running');
    await act(t.admin, id, { migrate: { host: 'cell2-compute1' } }, 202, '2.56');
    await waitForStatus(t.admin, id, 'VERIFY_RESIZE');
    await sleep(200);
    assert.equal((await adminServer(t.admin, id)).status, 'VERIFY_RESIZE', 'still there after the move');
    await act(t.admin, id, { confirmResize: null }, 204);
    await waitForStatus(t.admin, id, 'ACTIVE');
    await sleep(200);
    assert.equal((await adminServer(t.admin, id)).status, 'ACTIVE', 'the confirm found no delete to carry out');
  });
});
