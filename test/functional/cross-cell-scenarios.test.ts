import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../src/common/logger.js';
import { archiveDatabases, type DbMaintenanceDeps } from '../../src/services/archive-databases.js';
import { startTestCloud, waitFor, type ApiClient, type TestCloud } from '../fixtures/test-cloud.js';
import { boot, createVolume, privateNetwork, volume as showVolume } from './boot-devices.js';
import { C, imageId, waitForGone } from './helpers.js';
import { act, actionsOf, adminServer, allocationsByHost, flavorUse, migrationsOf, providersByHost, quotaUsage, waitForStatus, waitForUsage } from './move-support.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

const H1 = 'cell1-compute1';
const H2 = 'cell2-compute1';
const TINY = { vcpus: 1, memory_mb: 512, root_gb: 1 };
const SMALL = { vcpus: 1, memory_mb: 2048, root_gb: 20 };
const idle = { vcpus: 0, ram: 512 };
const using = (f: { vcpus: number; memory_mb: number }) => ({ vcpus: f.vcpus, ram: 512 + f.memory_mb });

function policyFile(dir: string): string {
  const file = join(dir, 'policy.yaml');
  writeFileSync(file, '"compute:servers:resize:cross_cell": "role:admin"\n');
  return file;
}

/**
 * Nova's cross-cell scenarios (nova/tests/functional/test_cross_cell_migrate.py), in Tessera's own
 * words, through HTTP only: two cells of one host each, so every resize or cold migration crosses
 * cells. Each checks the server listed once, its migration, allocations by consumer on both hosts,
 * hypervisor usage, quota usage, actions and events, tags, the guest on the right hypervisor
 * only, power state, and that nothing is left behind (the audit finds nothing).
 */
describe('cross-cell scenarios', () => {
  let t: TestCloud;
  let dir: string;
  let image: string;
  let network: string;
  let providers: Map<string, string>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-xcs-'));
    t = await startTestCloud(`[cells]\nhosts_per_cell = 1\n[oslo_policy]\npolicy_file = ${policyFile(dir)}`);
    image = await imageId(t.admin);
    network = await privateNetwork(t.admin);
    providers = await providersByHost(t.admin);
    t.cloud.notifier.subscribe((n) => void seen.push(n as any));
  });
  after(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const seen: { event_type: string; payload: Record<string, { uuid?: string }> }[] = [];
  /** The event types notified about the server so far. */
  const notified = async (id: string): Promise<string[]> => {
    await t.cloud.notifier.flush();
    return seen.filter((n) => n.payload['nova_object.data']?.uuid === id).map((n) => n.event_type);
  };
  const from = (list: string[], first: string): string[] => list.slice(list.indexOf(first));

  const guestsOn = (id: string): string[] => [...t.cloud.drivers].filter(([, d]) => (d as any).listGuests().some((g: any) => g.uuid === id)).map(([h]) => h);
  const listedTimes = async (id: string): Promise<number> => ((await t.admin.get(`${C}/servers?all_tenants=1`)).body.servers as any[]).filter((s) => s.id === id).length;

  async function create(name: string, opts: { volumeBacked?: boolean; stopped?: boolean } = {}): Promise<string> {
    const res = await boot(t.admin, '2.74', {
      name, flavorRef: '1', host: H1, networks: [{ uuid: network, tag: 'nic1' }], tags: ['scenario'],
      ...(opts.volumeBacked === true
        ? { block_device_mapping_v2: [{ source_type: 'image', destination_type: 'volume', uuid: image, boot_index: 0, volume_size: 1, delete_on_termination: true, tag: 'root' }] }
        : { imageRef: image }),
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const id: string = res.body.server.id;
    await waitForStatus(t.admin, id, 'ACTIVE');
    if (opts.stopped === true) {
      await act(t.admin, id, { 'os-stop': null });
      await waitForStatus(t.admin, id, 'SHUTOFF');
    }
    return id;
  }

  /** After the move: VERIFY_RESIZE on H2, listed once, both allocations, both hosts busy, events. */
  async function assertMoved(id: string, flavor: typeof TINY, volumeBacked: boolean, stopped: boolean, action: string): Promise<any> {
    const server = await waitForStatus(t.admin, id, 'VERIFY_RESIZE');
    const shown = await adminServer(t.admin, id);
    assert.equal(shown['OS-EXT-SRV-ATTR:host'], H2);
    assert.equal(shown['OS-EXT-AZ:availability_zone'], 'cell2', 'the zone of the host it landed on');
    assert.equal(server['OS-EXT-STS:power_state'], stopped ? 4 : 1);
    assert.equal(await listedTimes(id), 1);
    assert.equal(shown.image === '' ? '' : shown.image.id, volumeBacked ? '' : image, 'the original image is still shown');
    const [migration, ...older] = await migrationsOf(t.admin, id);
    assert.ok(older.every((m) => m.status === 'error'), 'one migration, besides failed earlier attempts');
    assert.equal(migration.status, 'finished');
    assert.deepEqual(await allocationsByHost(t.admin, id, providers), { [H2]: flavorUse(flavor, volumeBacked) });
    assert.deepEqual(await allocationsByHost(t.admin, migration.uuid, providers), { [H1]: flavorUse(TINY, volumeBacked) });
    await waitForUsage(t.admin, { [H1]: using(TINY), [H2]: using(flavor) });
    assert.deepEqual((await quotaUsage(t.admin)).cores, flavor.vcpus);
    const actions = await actionsOf(t.admin, id);
    const move = actions[actions.length - 1];
    assert.equal(move?.action, action);
    assert.deepEqual(move?.events, [
      'compute_finish_snapshot_based_resize_at_dest:Success', 'compute_prep_snapshot_based_resize_at_source:Success', 'conductor_migrate_server:Success',
    ]);
    assert.deepEqual((await t.admin.withMicroversion('2.26').get(`${C}/servers/${id}/tags`)).body.tags, ['scenario']);
    const ifaces = (await t.admin.withMicroversion('2.70').get(`${C}/servers/${id}/os-interface`)).body.interfaceAttachments as any[];
    assert.deepEqual(ifaces.map((i) => i.tag), ['nic1'], 'the VIF tag survives');
    if (volumeBacked) {
      const disks = (await t.admin.withMicroversion('2.70').get(`${C}/servers/${id}/os-volume_attachments`)).body.volumeAttachments as any[];
      assert.deepEqual(disks.map((d) => [d.device, d.tag]), [['/dev/vda', 'root']], 'the BDM tag survives');
    }
    assert.deepEqual(guestsOn(id), [H2]);
    assert.deepEqual(((await t.admin.get('/image/v2/images')).body.images as any[]).map((i) => i.id), [image], 'no snapshot left');
    return migration;
  }

  async function deleteAndCheck(id: string, migrationUuid: string): Promise<void> {
    assert.equal((await t.admin.request('DELETE', `${C}/servers/${id}`)).status, 204);
    await waitForGone(t.admin, id);
    assert.deepEqual(await allocationsByHost(t.admin, id, providers), {});
    assert.deepEqual(await allocationsByHost(t.admin, migrationUuid, providers), {});
    await waitForUsage(t.admin, { [H1]: idle, [H2]: idle });
    for (const cell of await t.cloud.api.cells.list()) {
      const row = await t.cloud.cells.repos(cell).instances.find(id);
      assert.equal(row, undefined, `nothing live left in ${cell.name}`);
    }
    assert.deepEqual(guestsOn(id), []);
    assert.deepEqual((await t.cloud.audit()).map((r) => r.finding), []);
  }

  it('resize + confirm, image-backed; a volume attached after the resize survives the confirm', async () => {
    const id = await create('resize-confirm-image');
    await act(t.admin, id, { resize: { flavorRef: '2' } });
    const migration = await assertMoved(id, SMALL, false, false, 'resize');
    const data = await createVolume(t.admin, { size: 1, name: 'data' });
    const attach = await t.admin.withMicroversion('2.79').post(`${C}/servers/${id}/os-volume_attachments`, { volumeAttachment: { volumeId: data.id, tag: 'data' } });
    assert.equal(attach.status, 200, JSON.stringify(attach.body));
    await act(t.admin, id, { confirmResize: null }, 204);
    await waitForStatus(t.admin, id, 'ACTIVE');
    assert.equal((await migrationsOf(t.admin, id))[0].status, 'confirmed');
    assert.deepEqual(await allocationsByHost(t.admin, migration.uuid, providers), {});
    await waitForUsage(t.admin, { [H1]: idle, [H2]: using(SMALL) });
    const volumes = (await t.admin.withMicroversion('2.79').get(`${C}/servers/${id}/os-volume_attachments`)).body.volumeAttachments as any[];
    assert.deepEqual(volumes.map((v) => [v.volumeId, v.tag]), [[data.id, 'data']]);
    assert.equal((await showVolume(t.admin, data.id))?.['status'], 'in-use');
    const actions = await actionsOf(t.admin, id);
    assert.deepEqual(actions[actions.length - 1]?.events, ['compute_confirm_snapshot_based_resize_at_source:Success', 'conductor_confirm_snapshot_based_resize:Success']);
    assert.deepEqual(from(await notified(id), 'instance.resize_confirm.start'), ['instance.resize_confirm.start', 'instance.resize_confirm.end']);
    await deleteAndCheck(id, migration.uuid);
  });

  it('resize + revert, volume-backed', async () => {
    const id = await create('resize-revert-volume', { volumeBacked: true });
    await act(t.admin, id, { resize: { flavorRef: '2' } });
    const migration = await assertMoved(id, SMALL, true, false, 'resize');
    await act(t.admin, id, { revertResize: null });
    await waitForStatus(t.admin, id, 'ACTIVE');
    const shown = await adminServer(t.admin, id);
    assert.equal(shown['OS-EXT-SRV-ATTR:host'], H1);
    assert.equal(shown['OS-EXT-AZ:availability_zone'], 'cell1', 'its own zone back');
    assert.equal(shown.flavor.original_name, 'm1.tiny');
    assert.equal((await migrationsOf(t.admin, id))[0].status, 'reverted');
    assert.deepEqual(await allocationsByHost(t.admin, id, providers), { [H1]: flavorUse(TINY, true) });
    assert.deepEqual(await allocationsByHost(t.admin, migration.uuid, providers), {});
    await waitForUsage(t.admin, { [H1]: using(TINY), [H2]: idle });
    const actions = await actionsOf(t.admin, id);
    assert.deepEqual(actions[actions.length - 1]?.events, [
      'compute_finish_revert_snapshot_based_resize_at_source:Success', 'compute_revert_snapshot_based_resize_at_dest:Success', 'conductor_revert_snapshot_based_resize:Success',
    ]);
    assert.deepEqual(from(await notified(id), 'instance.resize_revert.start'), ['instance.resize_revert.start', 'instance.exists', 'instance.resize_revert.end']);
    const root = shown['os-extended-volumes:volumes_attached'][0].id as string;
    assert.equal((await showVolume(t.admin, root))?.['status'], 'in-use');
    assert.deepEqual(guestsOn(id), [H1]);
    await deleteAndCheck(id, migration.uuid);
  });

  it('revert after detaching a volume while resized: the volume stays detached', async () => {
    const id = await create('revert-detached');
    const data = await createVolume(t.admin, { size: 1, name: 'data2' });
    assert.equal((await t.admin.post(`${C}/servers/${id}/os-volume_attachments`, { volumeAttachment: { volumeId: data.id } })).status, 200);
    await act(t.admin, id, { resize: { flavorRef: '2' } });
    const migration = await assertMoved(id, SMALL, false, false, 'resize');
    assert.equal((await t.admin.request('DELETE', `${C}/servers/${id}/os-volume_attachments/${data.id}`)).status, 202);
    await waitFor('the volume to be detached', async () => (((await t.admin.get(`${C}/servers/${id}/os-volume_attachments`)).body.volumeAttachments as any[]).length === 0 ? true : undefined));
    await act(t.admin, id, { revertResize: null });
    await waitForStatus(t.admin, id, 'ACTIVE');
    assert.equal((await adminServer(t.admin, id))['OS-EXT-SRV-ATTR:host'], H1);
    const volumes = (await t.admin.get(`${C}/servers/${id}/os-volume_attachments`)).body.volumeAttachments as any[];
    assert.deepEqual(volumes, []);
    assert.equal((await showVolume(t.admin, data.id))?.['status'], 'available');
    await deleteAndCheck(id, migration.uuid);
  });

  it('deleting a server in VERIFY_RESIZE confirms across cells first', async () => {
    const id = await create('delete-resized');
    await act(t.admin, id, { resize: { flavorRef: '2' } });
    const migration = await assertMoved(id, SMALL, false, false, 'resize');
    await deleteAndCheck(id, migration.uuid);
  });

  it('cold migrate to a named host in the other cell, then confirm', async () => {
    const id = await create('migrate-host');
    await act(t.admin, id, { migrate: { host: H2 } }, 202, '2.56');
    const migration = await assertMoved(id, TINY, false, false, 'migrate');
    await act(t.admin, id, { confirmResize: null }, 204);
    await waitForStatus(t.admin, id, 'ACTIVE');
    await deleteAndCheck(id, migration.uuid);
  });

  it('resize + confirm from stopped, volume-backed: stays stopped', async () => {
    const id = await create('stopped-confirm', { volumeBacked: true, stopped: true });
    await act(t.admin, id, { resize: { flavorRef: '2' } });
    const migration = await assertMoved(id, SMALL, true, true, 'resize');
    await act(t.admin, id, { confirmResize: null }, 204);
    const server = await waitForStatus(t.admin, id, 'SHUTOFF');
    assert.equal(server['OS-EXT-STS:power_state'], 4);
    await deleteAndCheck(id, migration.uuid);
  });

  it('resize + revert from stopped, image-backed: stays stopped', async () => {
    const id = await create('stopped-revert', { stopped: true });
    await act(t.admin, id, { resize: { flavorRef: '2' } });
    const migration = await assertMoved(id, SMALL, false, true, 'resize');
    await act(t.admin, id, { revertResize: null });
    const server = await waitForStatus(t.admin, id, 'SHUTOFF');
    assert.equal(server['OS-EXT-STS:power_state'], 4);
    assert.equal((await adminServer(t.admin, id))['OS-EXT-SRV-ATTR:host'], H1);
    await deleteAndCheck(id, migration.uuid);
  });

  it('revert after attaching a volume while resized: the volume stays attached, on the source', async () => {
    const id = await create('revert-attached');
    await act(t.admin, id, { resize: { flavorRef: '2' } });
    const migration = await assertMoved(id, SMALL, false, false, 'resize');
    const data = await createVolume(t.admin, { size: 1, name: 'data3' });
    assert.equal((await t.admin.withMicroversion('2.49').post(`${C}/servers/${id}/os-volume_attachments`, { volumeAttachment: { volumeId: data.id, tag: 'late' } })).status, 200);
    await act(t.admin, id, { revertResize: null });
    await waitForStatus(t.admin, id, 'ACTIVE');
    assert.equal((await adminServer(t.admin, id))['OS-EXT-SRV-ATTR:host'], H1);
    const volumes = (await t.admin.withMicroversion('2.70').get(`${C}/servers/${id}/os-volume_attachments`)).body.volumeAttachments as any[];
    assert.deepEqual(volumes.map((v) => [v.volumeId, v.tag]), [[data.id, 'late']]);
    assert.equal((await showVolume(t.admin, data.id))?.['status'], 'in-use');
    const guest = (t.cloud.drivers.get(H1) as any).listGuests().find((g: any) => g.uuid === id);
    assert.deepEqual(guest.volumes.map((v: any) => v.volumeId), [data.id], 'the guest has the volume');
    assert.deepEqual((await t.cloud.audit()).map((r) => r.finding), []);
    await deleteAndCheck(id, migration.uuid);
  });

  it('an anti-affinity group holds across cells: with the only other host taken by a member, the resize finds no host', async () => {
    const group = await t.admin.withMicroversion('2.64').post(`${C}/os-server-groups`, { server_group: { name: 'spread', policy: 'anti-affinity' } });
    assert.equal(group.status, 200, JSON.stringify(group.body));
    const hint = { 'os:scheduler_hints': { group: group.body.server_group.id } };
    const post = (server: Record<string, unknown>) => t.admin.withMicroversion('2.74').post(`${C}/servers`, { server, ...hint });
    const a = await post({ name: 'aa-1', flavorRef: '1', imageRef: image, networks: 'none', host: H1 });
    const b = await post({ name: 'aa-2', flavorRef: '1', imageRef: image, networks: 'none' });
    assert.equal(a.status, 202, JSON.stringify(a.body));
    assert.equal(b.status, 202, JSON.stringify(b.body));
    const [idA, idB] = [a.body.server.id as string, b.body.server.id as string];
    await waitForStatus(t.admin, idA, 'ACTIVE');
    await waitForStatus(t.admin, idB, 'ACTIVE');
    assert.equal((await adminServer(t.admin, idB))['OS-EXT-SRV-ATTR:host'], H2);
    await act(t.admin, idA, { resize: { flavorRef: '2' } });
    await waitFor('the move to fail', async () => ((await migrationsOf(t.admin, idA))[0]?.status === 'error' ? true : undefined));
    await waitForStatus(t.admin, idA, 'ACTIVE');
    assert.equal((await adminServer(t.admin, idA))['OS-EXT-SRV-ATTR:host'], H1);
    assert.deepEqual((await t.cloud.audit()).map((r) => r.finding), []);
    for (const id of [idA, idB]) {
      assert.equal((await t.admin.request('DELETE', `${C}/servers/${id}`)).status, 204);
      await waitForGone(t.admin, id);
    }
  });

  it('archive after a cross-cell move and delete moves every row of the server out of both cells', async () => {
    const id = await create('archive');
    await act(t.admin, id, { resize: { flavorRef: '2' } });
    const migration = await assertMoved(id, SMALL, false, false, 'resize');
    await act(t.admin, id, { confirmResize: null }, 204);
    await waitForStatus(t.admin, id, 'ACTIVE');
    await deleteAndCheck(id, migration.uuid);
    const deps = { config: { database: { connection: 'unused when all cells are chosen' } }, api: t.cloud.api, cells: t.cloud.cells, logger: silentLogger() } as DbMaintenanceDeps;
    await archiveDatabases(deps, { cells: { kind: 'all' }, maxRows: 10000, untilComplete: true, purge: false });
    assert.equal(await t.cloud.api.instanceMappings.find(id), undefined, 'the mapping went with the archive');
    for (const cell of await t.cloud.api.cells.list()) {
      const db = t.cloud.cells.repos(cell).db;
      const left = await db.selectFrom('instances').select('uuid').where('uuid', '=', id).execute();
      const migrations = await db.selectFrom('migrations').select('uuid').where('instance_uuid', '=', id).execute();
      assert.deepEqual([left, migrations], [[], []], `nothing of the server left in ${cell.name}`);
    }
  });

  for (const [name, fault, host] of [['spawn failing at the destination', 'virt.finish_migration', H2], ['guest destroy failing at the source', 'virt.migrate_disk_and_power_off', H1]] as const) {
    it(`${name}: ERROR with a fault in the source cell, then recoverable`, async () => {
      const id = await create(`fail-${fault}`);
      t.cloud.faults.arm(fault, { host });
      await act(t.admin, id, { resize: { flavorRef: '2' } });
      const server = await waitForStatus(t.admin, id, 'ERROR');
      t.cloud.faults.disarm(fault);
      assert.match(server.fault.message, /Injected|fault/i);
      assert.equal((await adminServer(t.admin, id))['OS-EXT-SRV-ATTR:host'], H1);
      const [migration] = await migrationsOf(t.admin, id);
      assert.equal(migration.status, 'error');
      assert.deepEqual(await allocationsByHost(t.admin, id, providers), { [H1]: flavorUse(TINY, false) });
      assert.deepEqual(await allocationsByHost(t.admin, migration.uuid, providers), {});
      assert.equal(await listedTimes(id), 1);
      assert.deepEqual((await t.cloud.audit()).map((r) => r.finding), []);
      await act(t.admin, id, { reboot: { type: 'HARD' } });
      await waitForStatus(t.admin, id, 'ACTIVE');
      await act(t.admin, id, { resize: { flavorRef: '2' } });
      const retried = await assertMoved(id, SMALL, false, false, 'resize');
      await act(t.admin, id, { confirmResize: null }, 204);
      await waitForStatus(t.admin, id, 'ACTIVE');
      await deleteAndCheck(id, retried.uuid);
    });
  }
});

describe('cross-cell moves and the weigher, the confirm window', () => {
  let t: TestCloud;
  let dir: string;
  let image: string;
  let admin: ApiClient;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-xcw-'));
    t = await startTestCloud(`[DEFAULT]\nresize_confirm_window = 1\n[oslo_policy]\npolicy_file = ${policyFile(dir)}`);
    image = await imageId(t.admin);
    admin = t.admin;
  });
  after(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the cross-cell weigher keeps a cold migration in the source cell when it has another host', async () => {
    const res = await boot(admin, '2.74', { name: 'stay', flavorRef: '1', imageRef: image, networks: 'none', host: 'cell1-compute1' });
    const id: string = res.body.server.id;
    await waitForStatus(admin, id, 'ACTIVE');
    await act(admin, id, { migrate: null });
    await waitForStatus(admin, id, 'ACTIVE', 5000); // auto-confirmed after the 1 s window
    assert.equal((await adminServer(admin, id))['OS-EXT-SRV-ATTR:host'], 'cell1-compute2');
    const [migration] = await migrationsOf(admin, id);
    assert.equal(migration.status, 'confirmed');
  });

  it('a request spec restricted to the target cell overrides the weigher\'s preference for the source cell', async () => {
    const res = await boot(admin, '2.74', { name: 'restricted', flavorRef: '1', imageRef: image, networks: 'none', host: 'cell1-compute1' });
    const id: string = res.body.server.id;
    await waitForStatus(admin, id, 'ACTIVE');
    // As Nova's test does, the operator's restriction is written into the stored request spec.
    const spec = await t.cloud.api.requestSpecs.get(id);
    const cell2 = await t.cloud.api.cells.getByName('cell2');
    await t.cloud.api.requestSpecs.save({ ...spec, requested_destination: { cell: cell2!.uuid } });
    await act(admin, id, { migrate: null });
    await waitFor('the move to be confirmed', async () => ((await migrationsOf(admin, id))[0]?.status === 'confirmed' ? true : undefined), 8000);
    assert.match((await adminServer(admin, id))['OS-EXT-SRV-ATTR:host'] as string, /^cell2-/);
  });

  it('a cross-cell resize is confirmed automatically after resize_confirm_window', async () => {
    const res = await boot(admin, '2.74', { name: 'auto', flavorRef: '1', imageRef: image, networks: 'none', host: 'cell1-compute1' });
    const id: string = res.body.server.id;
    await waitForStatus(admin, id, 'ACTIVE');
    await act(admin, id, { migrate: { host: 'cell2-compute2' } }, 202, '2.56');
    await waitFor('the move to be confirmed', async () => ((await migrationsOf(admin, id))[0]?.status === 'confirmed' ? true : undefined), 8000);
    await waitForStatus(admin, id, 'ACTIVE');
    assert.equal((await adminServer(admin, id))['OS-EXT-SRV-ATTR:host'], 'cell2-compute2');
    const actions = await actionsOf(admin, id);
    assert.equal(actions[actions.length - 1]?.action, 'confirmResize');
    assert.deepEqual((await t.cloud.audit()).map((r) => r.finding), []);
  });

  it('the auto-confirm of a cross-cell resize retries when the conductor cannot be reached at first', async () => {
    const res = await boot(admin, '2.74', { name: 'auto-retry', flavorRef: '1', imageRef: image, networks: 'none', host: 'cell1-compute1' });
    const id: string = res.body.server.id;
    await waitForStatus(admin, id, 'ACTIVE');
    // The compute's first hand-over of the confirm to the conductor is lost (the bus refuses it).
    t.cloud.faults.arm('rpc.cast.conductor.confirm_snapshot_based_resize', { times: 1 });
    await act(admin, id, { migrate: { host: 'cell2-compute1' } }, 202, '2.56');
    await waitFor('the move to be confirmed', async () => ((await migrationsOf(admin, id))[0]?.status === 'confirmed' ? true : undefined), 8000);
    t.cloud.faults.disarm();
    await waitForStatus(admin, id, 'ACTIVE');
    const confirms = (await actionsOf(admin, id)).filter((a) => a.action === 'confirmResize');
    assert.equal(confirms.length, 2, 'one attempt lost, one that went through');
    assert.deepEqual(confirms[1]?.events, ['compute_confirm_snapshot_based_resize_at_source:Success', 'conductor_confirm_snapshot_based_resize:Success']);
    assert.deepEqual((await t.cloud.audit()).map((r) => r.finding), []);
  });
});
