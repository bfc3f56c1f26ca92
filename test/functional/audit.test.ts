import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeInstance } from '../integration/db/instance-fixture.js';
import type { AuditResult } from '../../src/audit/index.js';
import { SystemClock } from '../../src/common/clock.js';
import { RandomIdGenerator } from '../../src/common/ids.js';
import { systemContext } from '../../src/common/request-context.js';
import { createCellRepos } from '../../src/db/cell/cell-repos.js';
import type { CellSchema } from '../../src/db/cell/cell-schema.js';
import { openDatabase } from '../../src/db/connection.js';
import { MOVE_SNAPSHOT_MIGRATION, MOVE_SNAPSHOT_OF } from '../../src/objects/move-snapshot.js';
import { runTessera } from '../fixtures/tessera-cli.js';
import { startTestCloud, waitForStatus, type TestCloud } from '../fixtures/test-cloud.js';
import { createVolume, privateNetwork } from './boot-devices.js';
import { C, createServer, imageId, waitForGone } from './helpers.js';
import { providersByHost } from './move-support.js';

const ADMIN = systemContext('req-audit-test');

/** Findings as `kind id` lines, sorted, for comparing with what was seeded. */
function kinds(results: AuditResult[]): string[] {
  return results.map((r) => `${r.finding.kind} ${Object.values(r.finding.ids)[0] ?? ''}`).sort();
}

describe('tessera audit on a running cloud', () => {
  let t: TestCloud;
  let image: string;

  before(async () => {
    t = await startTestCloud();
    image = await imageId(t.admin);
  });
  after(async () => t?.stop());

  it('finds nothing on a healthy cloud, during a resize too; finds each seeded leak, --fix repairs them all', async () => {
    const network = await privateNetwork(t.member);
    const moving = await createServer(t.member, { name: 'audit-moving', imageRef: image, zone: 'cell1', extra: { networks: [{ uuid: network }] } });
    const copied = await createServer(t.member, { name: 'audit-copied', imageRef: image, zone: 'cell1' });
    const remapped = await createServer(t.member, { name: 'audit-remapped', imageRef: image, zone: 'cell1' });
    const doomed = await createServer(t.member, { name: 'audit-doomed', imageRef: image, zone: 'cell2' });
    for (const id of [moving, copied, remapped, doomed]) await waitForStatus(t.member, id, 'ACTIVE');
    const vol = await createVolume(t.member, { size: 1, name: 'audit-vol' });
    assert.equal((await t.member.post(`${C}/servers/${copied}/os-volume_attachments`, { volumeAttachment: { volumeId: vol.id } })).status, 200);
    await waitForStatus(t.member, copied, 'ACTIVE');
    assert.deepEqual(kinds(await t.cloud.audit()), [], 'a healthy cloud');

    assert.equal((await t.member.post(`${C}/servers/${moving}/action`, { resize: { flavorRef: '2' } })).status, 202);
    await waitForStatus(t.member, moving, 'VERIFY_RESIZE');
    assert.deepEqual(kinds(await t.cloud.audit()), [], 'a server in VERIFY_RESIZE: two allocations, bindings at both ends');

    // Seed one leak of each kind.
    const cell1 = await t.cloud.api.cells.getByName('cell1');
    const cell2 = await t.cloud.api.cells.getByName('cell2');
    assert.ok(cell1 && cell2);
    const ghost = randomUUID();
    const rp = (await providersByHost(t.admin)).get('cell2-compute1') as string;
    assert.ok(await t.cloud.placement.client().claim(ghost, { [rp]: { resources: { VCPU: 1, MEMORY_MB: 64 } } }, { projectId: 'p', userId: 'u', consumerGeneration: null }));
    await t.cloud.cells.repos(cell2).instances.create(await t.cloud.cells.repos(cell1).instances.get(copied));
    // The mapping points at cell2, which holds only a hidden copy; cell1 shows the server.
    await t.cloud.api.instanceMappings.setCell(remapped, cell2.id);
    await t.cloud.cells.repos(cell2).instances.create({ ...(await t.cloud.cells.repos(cell1).instances.get(remapped)), hidden: true });
    assert.equal((await t.member.delete(`${C}/servers/${doomed}`)).status, 204);
    await waitForGone(t.member, doomed);
    const spare = await createVolume(t.member, { size: 1, name: 'audit-spare' });
    const attachment = await t.cloud.volumes.attachmentCreate(ADMIN, spare.id, doomed);
    const port = await t.cloud.network.client().createPort(ADMIN, { network_id: network, device_id: doomed, device_owner: 'compute:cell2', 'binding:host_id': 'cell2-compute1' });
    const snapshot = await t.cloud.images.create(ADMIN, { name: 'move-snapshot', visibility: 'private', properties: { [MOVE_SNAPSHOT_OF]: moving, [MOVE_SNAPSHOT_MIGRATION]: randomUUID() } });

    const found = await t.cloud.audit();
    assert.deepEqual(kinds(found), [
      `duplicate_instance_row ${copied}`,
      `leaked_allocation ${ghost}`,
      `mapping_wrong_cell ${remapped}`,
      `orphan_move_snapshot ${snapshot.id}`,
      `orphan_port ${port.id}`,
      `orphan_volume_attachment ${attachment.id}`,
    ]);
    assert.ok(found.every((r) => r.outcome === 'found'));
    assert.equal(found.find((r) => r.finding.kind === 'mapping_wrong_cell')?.finding.remedy, 'point the mapping at cell1');
    assert.equal(found.find((r) => r.finding.kind === 'orphan_port')?.finding.remedy, 'unbind the port (the user brought it, or nothing tells)');

    const fixed = await t.cloud.audit({ fix: true });
    // Once the mapping points back at cell1, cell2's hidden copy has no owner: the next check removes it.
    assert.deepEqual(kinds(fixed), [...kinds(found), `orphan_instance_row ${remapped}`].sort());
    assert.ok(fixed.every((r) => r.outcome === 'fixed'), JSON.stringify(fixed.filter((r) => r.outcome !== 'fixed')));
    assert.deepEqual(kinds(await t.cloud.audit()), [], 'clean after --fix');

    // What the fixes left: each server once, where it was; the seeded records gone or unbound.
    assert.equal((await t.cloud.api.instanceMappings.get(remapped)).cell_id, cell1.id);
    for (const id of [copied, remapped]) assert.equal((await waitForStatus(t.member, id, 'ACTIVE')).id, id);
    const listed = (await t.member.get(`${C}/servers`)).body.servers.map((s: { id: string }) => s.id);
    assert.equal(listed.filter((id: string) => id === copied || id === remapped).length, 2, 'listed once each');
    assert.equal((await t.cloud.placement.client().getAllocations(ghost)).consumer_generation, null);
    assert.deepEqual(await t.cloud.volumes.attachmentList(ADMIN, { volumeId: spare.id }), []);
    const unbound = await t.cloud.network.client().getPort(ADMIN, port.id);
    assert.equal(unbound.device_id, '');
    await assert.rejects(t.cloud.images.get(ADMIN, snapshot.id), /not/i);
    assert.equal((await t.member.post(`${C}/servers/${moving}/action`, { confirmResize: null })).status, 204);
    await waitForStatus(t.member, moving, 'ACTIVE');
    assert.deepEqual(kinds(await t.cloud.audit()), [], 'and after the confirm');
  });
});

describe('the tessera audit command against a data directory', () => {
  let dir: string;
  const cli = (...args: string[]) => runTessera(dir, ...args);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tessera-audit-cli-'));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('answers 0 when clean, 3 for a leak without --fix, 0 with --fix, then 0 again', async () => {
    assert.equal((await cli('db', 'sync')).code, 0);
    const clean = await cli('audit', '--verbose');
    assert.equal(clean.code, 0, clean.stdout);
    assert.match(clean.stdout, /leaked_allocations: nothing found/);
    assert.match(clean.stdout, /Nothing found\./);

    // A row in cell1 that no instance mapping points at, as a failed flow could leave.
    const cell = openDatabase<CellSchema>(`sqlite:///${join(dir, 'cell1.sqlite')}`);
    const clock = new SystemClock();
    const ids = new RandomIdGenerator();
    const orphan = await createCellRepos({ db: cell.db, clock, ids }).instances.create(makeInstance({ clock, ids }));
    await cell.close();

    const found = await cli('audit');
    assert.equal(found.code, 3, found.stdout);
    assert.match(found.stdout, new RegExp(`^orphan_instance_row instance=${orphan.uuid} cell=cell1 host=compute-1: no instance mapping for this row -> --fix would hard-delete the row and its child rows$`, 'm'));
    assert.match(found.stdout, /^1 found\.$/m);
    const fixed = await cli('audit', '--fix');
    assert.equal(fixed.code, 0, fixed.stdout);
    assert.match(fixed.stdout, /-> fixed: hard-delete the row/);
    assert.match(fixed.stdout, /^1 found, 1 fixed\.$/m);
    assert.equal((await cli('audit')).code, 0);
  });

  it('answers 1 when the API database cannot be read', async () => {
    const conf = join(dir, 'empty-api.conf');
    await writeFile(conf, `[api_database]\nconnection = sqlite:///${join(dir, 'empty-api.sqlite')}\n`);
    const res = await cli('audit', '--config', conf);
    assert.equal(res.code, 1, res.stdout);
    assert.match(res.stdout, /^Failed to open the databases: /);
  });
});
