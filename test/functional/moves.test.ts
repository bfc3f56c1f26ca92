import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestCloud, type TestCloud } from '../fixtures/test-cloud.js';
import { boot } from './boot-devices.js';
import { assertNovaError, C, CELL_HOSTS, imageId, waitForGone } from './helpers.js';
import {
  act, actionsOf, adminServer, allocationsByHost, flavorUse, migrationsOf, providersByHost, quotaUsage, waitForStatus, waitForUsage,
} from './move-support.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

const TINY = { id: '1', name: 'm1.tiny', vcpus: 1, memory_mb: 512, root_gb: 1 };
const MEDIUM = { id: '3', name: 'm1.medium', vcpus: 2, memory_mb: 4096, root_gb: 40 };
// The fake hosts keep 512 MiB for themselves (reserved_host_memory_mb).
const RESERVED_RAM = 512;
const idle = { vcpus: 0, ram: RESERVED_RAM };
const using = (f: { vcpus: number; memory_mb: number }) => ({ vcpus: f.vcpus, ram: RESERVED_RAM + f.memory_mb });

type Operation = 'resize-confirm' | 'resize-revert' | 'migrate-confirm' | 'migrate-to-host-revert';

/**
 * Same-cell moves, each from ACTIVE and from SHUTOFF, image-backed and volume-backed: after each
 * step the server's status, host, flavor and power state, the allocations of the instance and of
 * the migration on both hosts, the hosts' usage, the migration record, the instance actions and
 * their events, and the project's quota usage.
 */
describe('resize and cold migration within a cell', () => {
  let t: TestCloud;
  let image: string;
  let providers: Map<string, string>;
  const [hostA, hostB] = CELL_HOSTS['cell1'] as [string, string];

  before(async () => {
    // Each guest operation takes 30 ms, as a slow hypervisor would: long enough that the GET right
    // after a 202 sees the move under way (RESIZE, REVERT_RESIZE), as it would against Nova.
    t = await startTestCloud('[fake_driver]\ndelay_ms = 30');
    image = await imageId(t.admin);
    providers = await providersByHost(t.admin);
    t.cloud.notifier.subscribe((n) => void seen.push(n as any));
  });
  const seen: { event_type: string; publisher_id: string; payload: { 'nova_object.data': { uuid?: string; instance_uuid?: string } } }[] = [];
  /** The notifications about the server since the last call, as `event_type@publisher`. */
  let read = 0;
  const notified = async (id: string): Promise<string[]> => {
    await t.cloud.notifier.flush();
    const out = seen.slice(read).filter((n) => (n.payload['nova_object.data'].uuid ?? n.payload['nova_object.data'].instance_uuid) === id);
    read = seen.length;
    return out.map((n) => `${n.event_type}@${n.publisher_id.split(':')[1]}`);
  };
  after(async () => t?.stop());

  const operations: Operation[] = ['resize-confirm', 'resize-revert', 'migrate-confirm', 'migrate-to-host-revert'];
  for (const operation of operations) {
    for (const stopped of [false, true]) {
      for (const volumeBacked of [false, true]) {
        it(`${operation}, ${stopped ? 'SHUTOFF' : 'ACTIVE'}, ${volumeBacked ? 'volume' : 'image'}-backed`, async () => {
          await scenario(operation, stopped, volumeBacked);
        });
      }
    }
  }

  it('migrate to a named host: 400 for an unknown host, the server\'s own, or a host of another cell, and nothing started', async () => {
    const res = await boot(t.member, '2.52', { name: 'migrate-host-checks', flavorRef: TINY.id, imageRef: image, networks: 'none', availability_zone: 'cell1' });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const id: string = res.body.server.id;
    await waitForStatus(t.member, id, 'ACTIVE');
    const host = (await adminServer(t.admin, id))['OS-EXT-SRV-ATTR:host'] as string;
    const actions = (await actionsOf(t.admin, id)).map((a) => a.action);
    const refused = async (target: string, message: string): Promise<void> => {
      const r = await t.admin.withMicroversion('2.56').post(`${C}/servers/${id}/action`, { migrate: { host: target } });
      assert.equal(assertNovaError(r, 400, 'badRequest'), message);
    };
    await refused('no-such-host', 'Compute host no-such-host could not be found.');
    await refused(host, `Unable to migrate instance (${id}) to current host (${host}).`);
    // Moves stay in their cell, so a host of cell2 is not one the server can go to.
    await refused((CELL_HOSTS['cell2'] as string[])[0] as string, `Compute host ${(CELL_HOSTS['cell2'] as string[])[0]} could not be found.`);
    assert.equal((await adminServer(t.admin, id)).status, 'ACTIVE');
    assert.deepEqual(await migrationsOf(t.admin, id), []);
    assert.deepEqual((await actionsOf(t.admin, id)).map((a) => a.action), actions);
    assert.equal((await t.member.request('DELETE', `${C}/servers/${id}`)).status, 204);
    await waitForGone(t.member, id);
  });

  async function scenario(operation: Operation, stopped: boolean, volumeBacked: boolean): Promise<void> {
    const resize = operation.startsWith('resize');
    const confirm = operation.endsWith('confirm');
    const settled = stopped ? 'SHUTOFF' : 'ACTIVE';
    const res = await boot(t.member, '2.52', {
      name: `${operation}-${stopped ? 'off' : 'on'}-${volumeBacked ? 'vol' : 'img'}`, flavorRef: TINY.id, networks: 'none', availability_zone: 'cell1',
      ...(volumeBacked
        ? { block_device_mapping_v2: [{ source_type: 'image', destination_type: 'volume', uuid: image, boot_index: 0, volume_size: 1, delete_on_termination: true }] }
        : { imageRef: image }),
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const id: string = res.body.server.id;
    await waitForStatus(t.member, id, 'ACTIVE');
    if (stopped) {
      await act(t.member, id, { 'os-stop': null });
      await waitForStatus(t.member, id, 'SHUTOFF');
    }
    const source = (await adminServer(t.admin, id))['OS-EXT-SRV-ATTR:host'] as string;
    const other = source === hostA ? hostB : hostA;
    await waitForUsage(t.admin, { [source]: using(TINY), [other]: idle });
    const baseActions = (await actionsOf(t.admin, id)).map((a) => a.action);
    await notified(id);

    // The move: RESIZE at the very next GET, then VERIFY_RESIZE on the other host.
    if (resize) await act(t.member, id, { resize: { flavorRef: MEDIUM.id } });
    else if (operation === 'migrate-confirm') await act(t.admin, id, { migrate: null });
    else await act(t.admin, id, { migrate: { host: other } }, 202, '2.56');
    assert.equal((await t.member.get(`${C}/servers/${id}`)).body.server.status, 'RESIZE');
    const newFlavor = resize ? MEDIUM : TINY;
    const moved = await waitForStatus(t.member, id, 'VERIFY_RESIZE');
    let server = await adminServer(t.admin, id);
    assert.equal(server['OS-EXT-SRV-ATTR:host'], other);
    assert.equal(server.flavor.original_name, newFlavor.name);
    assert.equal(moved['OS-EXT-STS:power_state'], stopped ? 4 : 1, 'a stopped server stays stopped');
    let [migration] = await migrationsOf(t.admin, id);
    assert.equal(migration.status, 'finished');
    assert.equal(migration.migration_type, resize ? 'resize' : 'migration');
    assert.deepEqual([migration.source_compute, migration.dest_compute], [source, other]);
    assert.deepEqual(await allocationsByHost(t.admin, id, providers), { [other]: flavorUse(newFlavor, volumeBacked) }, 'the instance holds the destination');
    assert.deepEqual(await allocationsByHost(t.admin, migration.uuid, providers), { [source]: flavorUse(TINY, volumeBacked) }, 'the migration holds the source');
    await waitForUsage(t.admin, { [source]: using(TINY), [other]: using(newFlavor) });
    assert.deepEqual(await quotaUsage(t.member), { instances: 1, cores: newFlavor.vcpus, ram: newFlavor.memory_mb });
    let actions = await actionsOf(t.admin, id);
    const move = actions[actions.length - 1];
    assert.deepEqual(actions.map((a) => a.action), [...baseActions, resize ? 'resize' : 'migrate']);
    assert.deepEqual(move?.events, ['compute_finish_resize:Success', 'compute_prep_resize:Success', 'compute_resize_instance:Success', 'conductor_migrate_server:Success']);
    assert.deepEqual(await notified(id), [
      `instance.exists@${other}`, `instance.resize_prep.start@${other}`, `instance.resize_prep.end@${other}`, `instance.resize.start@${source}`,
      `instance.resize.end@${source}`, `instance.resize_finish.start@${other}`, `instance.resize_finish.end@${other}`,
    ]);

    if (confirm) {
      await act(t.member, id, { confirmResize: null }, 204);
      await waitForStatus(t.member, id, settled);
      server = await adminServer(t.admin, id);
      assert.equal(server['OS-EXT-SRV-ATTR:host'], other);
      assert.equal(server.flavor.original_name, newFlavor.name);
      [migration] = await migrationsOf(t.admin, id);
      assert.equal(migration.status, 'confirmed');
      assert.deepEqual(await allocationsByHost(t.admin, id, providers), { [other]: flavorUse(newFlavor, volumeBacked) });
      assert.deepEqual(await allocationsByHost(t.admin, migration.uuid, providers), {}, 'the migration holds nothing once confirmed');
      await waitForUsage(t.admin, { [source]: idle, [other]: using(newFlavor) });
      assert.deepEqual(await quotaUsage(t.member), { instances: 1, cores: newFlavor.vcpus, ram: newFlavor.memory_mb });
      actions = await actionsOf(t.admin, id);
      assert.deepEqual(actions[actions.length - 1], { ...actions[actions.length - 1], action: 'confirmResize', events: ['compute_confirm_resize:Success'] });
      assert.deepEqual(await notified(id), [`instance.resize_confirm.start@${source}`, `instance.resize_confirm.end@${source}`]);
    } else {
      await act(t.member, id, { revertResize: null });
      assert.equal((await t.member.get(`${C}/servers/${id}`)).body.server.status, 'REVERT_RESIZE');
      await waitForStatus(t.member, id, settled);
      server = await adminServer(t.admin, id);
      assert.equal(server['OS-EXT-SRV-ATTR:host'], source);
      assert.equal(server.flavor.original_name, TINY.name);
      assert.equal(server['OS-EXT-STS:power_state'], stopped ? 4 : 1);
      [migration] = await migrationsOf(t.admin, id);
      assert.equal(migration.status, 'reverted');
      assert.deepEqual(await allocationsByHost(t.admin, id, providers), { [source]: flavorUse(TINY, volumeBacked) });
      assert.deepEqual(await allocationsByHost(t.admin, migration.uuid, providers), {});
      await waitForUsage(t.admin, { [source]: using(TINY), [other]: idle });
      assert.deepEqual(await quotaUsage(t.member), { instances: 1, cores: TINY.vcpus, ram: TINY.memory_mb });
      actions = await actionsOf(t.admin, id);
      assert.deepEqual(actions[actions.length - 1]?.events, ['compute_finish_revert_resize:Success', 'compute_revert_resize:Success']);
      assert.equal(actions[actions.length - 1]?.action, 'revertResize');
      assert.deepEqual(await notified(id), [`instance.resize_revert.start@${other}`, `instance.exists@${other}`, `instance.resize_revert.end@${source}`]);
    }
    // The guest is on exactly one hypervisor, and the server can be deleted cleanly.
    const guestsOn = [...t.cloud.drivers].filter(([, d]) => (d as any).listGuests().some((g: any) => g.uuid === id)).map(([h]) => h);
    assert.deepEqual(guestsOn, [confirm ? other : source]);
    assert.ok([...t.cloud.drivers.values()].every((d) => !(d as any).listSetAside().includes(id)), 'no disks left set aside');
    const del = await t.member.request('DELETE', `${C}/servers/${id}`);
    assert.equal(del.status, 204);
    await waitForGone(t.member, id);
    await waitForUsage(t.admin, { [source]: idle, [other]: idle });
    assert.deepEqual(await allocationsByHost(t.admin, id, providers), {});
  }
});
