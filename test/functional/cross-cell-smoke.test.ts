import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestCloud, type TestCloud } from '../fixtures/test-cloud.js';
import { boot } from './boot-devices.js';
import { C, imageId, waitForGone } from './helpers.js';
import { act, actionsOf, adminServer, allocationsByHost, migrationsOf, providersByHost, waitForStatus, waitForUsage } from './move-support.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

describe('cross-cell moves (smoke)', () => {
  let t: TestCloud;
  let dir: string;
  let image: string;
  let providers: Map<string, string>;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-xc-'));
    const file = join(dir, 'policy.yaml');
    writeFileSync(file, '"compute:servers:resize:cross_cell": "role:admin"\n');
    t = await startTestCloud(`[oslo_policy]\npolicy_file = ${file}`);
    image = await imageId(t.admin);
    providers = await providersByHost(t.admin);
  });
  after(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('migrates to a named host in the other cell, confirms, and the server lives in the target cell only', async () => {
    const res = await boot(t.admin, '2.74', { name: 'xc', flavorRef: '1', imageRef: image, networks: 'auto', host: 'cell1-compute1', tags: ['t1'] });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const id: string = res.body.server.id;
    await waitForStatus(t.admin, id, 'ACTIVE');
    await act(t.admin, id, { migrate: { host: 'cell2-compute1' } }, 202, '2.56');
    await waitForStatus(t.admin, id, 'VERIFY_RESIZE');
    const shown = await adminServer(t.admin, id);
    assert.equal(shown['OS-EXT-SRV-ATTR:host'], 'cell2-compute1');
    assert.equal(shown.image.id, image, 'the server keeps showing its original image');
    const [migration] = await migrationsOf(t.admin, id);
    assert.equal(migration.status, 'finished');
    assert.deepEqual(Object.keys(await allocationsByHost(t.admin, id, providers)), ['cell2-compute1']);
    assert.deepEqual(Object.keys(await allocationsByHost(t.admin, migration.uuid, providers)), ['cell1-compute1']);
    const list = (await t.admin.get(`${C}/servers?all_tenants=1`)).body.servers as any[];
    assert.equal(list.filter((s) => s.id === id).length, 1, 'listed once');
    const images = (await t.admin.get('/image/v2/images')).body.images as any[];
    assert.deepEqual(images.map((i) => i.id), [image], 'the temporary snapshot is gone');
    await act(t.admin, id, { confirmResize: null }, 204);
    await waitForStatus(t.admin, id, 'ACTIVE');
    assert.deepEqual(await allocationsByHost(t.admin, migration.uuid, providers), {});
    await waitForUsage(t.admin, { 'cell1-compute1': { vcpus: 0, ram: 512 }, 'cell2-compute1': { vcpus: 1, ram: 1024 } });
    const actions = await actionsOf(t.admin, id);
    assert.deepEqual(actions.map((a) => a.action), ['create', 'migrate', 'confirmResize']);
    assert.ok(actions[1]?.events.includes('compute_prep_snapshot_based_resize_at_source:Success'), JSON.stringify(actions[1]));
    assert.ok(actions[1]?.events.includes('compute_finish_snapshot_based_resize_at_dest:Success'), JSON.stringify(actions[1]));
    assert.ok(actions[2]?.events.includes('compute_confirm_snapshot_based_resize_at_source:Success'), JSON.stringify(actions[2]));
    const tags = await t.admin.withMicroversion('2.26').get(`${C}/servers/${id}/tags`);
    assert.deepEqual(tags.body.tags, ['t1']);
    const cell1 = (await t.cloud.api.cells.list()).find((c) => c.name === 'cell1');
    assert.equal(await t.cloud.cells.repos(cell1!).instances.find(id), undefined, 'nothing left in the source cell');

    // And back: resize across cells (other host of cell2 disabled? no: name the cell1 host), then revert.
    await act(t.admin, id, { migrate: { host: 'cell1-compute2' } }, 202, '2.56');
    await waitForStatus(t.admin, id, 'VERIFY_RESIZE');
    assert.equal((await adminServer(t.admin, id))['OS-EXT-SRV-ATTR:host'], 'cell1-compute2');
    await act(t.admin, id, { revertResize: null });
    await waitForStatus(t.admin, id, 'ACTIVE');
    assert.equal((await adminServer(t.admin, id))['OS-EXT-SRV-ATTR:host'], 'cell2-compute1');
    const [reverted] = await migrationsOf(t.admin, id);
    assert.equal(reverted.status, 'reverted');
    assert.deepEqual(Object.keys(await allocationsByHost(t.admin, id, providers)), ['cell2-compute1']);
    assert.deepEqual(await allocationsByHost(t.admin, reverted.uuid, providers), {});
    const ports = (await t.admin.get(`/network/v2.0/ports?device_id=${id}`)).body.ports as any[];
    assert.deepEqual(ports.map((p) => p['binding:host_id']), ['cell2-compute1']);
    assert.equal((await t.admin.request('DELETE', `${C}/servers/${id}`)).status, 204);
    await waitForGone(t.admin, id);
    assert.deepEqual(await allocationsByHost(t.admin, id, providers), {});
  });
});
