import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestCloud, waitFor, type ApiClient, type TestCloud } from '../fixtures/test-cloud.js';
import { assertNovaError, C, createServer, imageId, setService, waitForGone } from './helpers.js';
import { act, actionsOf, adminServer, allocationsByHost, migrationsOf, providersByHost, waitForStatus, waitForUsage } from './move-support.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

const RESERVED_RAM = 512;

describe('the rules of moves', () => {
  let t: TestCloud;
  let image: string;
  let providers: Map<string, string>;
  before(async () => {
    t = await startTestCloud('[fake_driver]\ndelay_ms = 5');
    image = await imageId(t.admin);
    providers = await providersByHost(t.admin);
  });
  after(async () => t?.stop());

  const server = async (name: string): Promise<{ id: string; host: string; other: string }> => {
    const id = await createServer(t.member, { name, imageRef: image, zone: 'cell1' });
    await waitForStatus(t.member, id, 'ACTIVE');
    const host = (await adminServer(t.admin, id))['OS-EXT-SRV-ATTR:host'] as string;
    return { id, host, other: host === 'cell1-compute1' ? 'cell1-compute2' : 'cell1-compute1' };
  };
  const remove = async (id: string): Promise<void> => {
    assert.equal((await t.member.request('DELETE', `${C}/servers/${id}`)).status, 204);
    await waitForGone(t.member, id);
  };
  const post = (client: ApiClient, id: string, body: unknown, mv?: string) => (mv === undefined ? client : client.withMicroversion(mv)).post(`${C}/servers/${id}/action`, body);

  it('refuses bad requests with Nova\'s errors and changes nothing', async () => {
    const s = await server('rules');
    assert.match(assertNovaError(await post(t.member, s.id, { resize: { flavorRef: '1' } }), 400, 'badRequest'), /must change flavor/);
    assertNovaError(await post(t.member, s.id, { resize: { flavorRef: 'no-such-flavor' } }), 400, 'badRequest');
    assertNovaError(await post(t.member, s.id, { resize: {} }), 400, 'badRequest');
    assertNovaError(await post(t.member, s.id, { resize: { flavorRef: '3', extra: 1 } }), 400, 'badRequest');
    assertNovaError(await post(t.member, s.id, { confirmResize: null }), 409, 'conflictingRequest');
    assertNovaError(await post(t.member, s.id, { revertResize: null }), 409, 'conflictingRequest');
    assertNovaError(await post(t.member, s.id, { migrate: null }), 403, 'forbidden');
    assertNovaError(await post(t.admin, s.id, { migrate: { host: s.other } }, '2.55'), 400, 'badRequest');
    assertNovaError(await post(t.admin, s.id, { migrate: { host: 'no-such-host' } }, '2.56'), 400, 'badRequest');
    assert.match(assertNovaError(await post(t.admin, s.id, { migrate: { host: s.host } }, '2.56'), 400, 'badRequest'), /current host/);
    // A flavor past the project's cores quota (20): 403 with the delta.
    const big = (await t.admin.post(`${C}/flavors`, { flavor: { name: 'many-cores', ram: 512, vcpus: 32, disk: 1 } })).body.flavor.id as string;
    assert.match(assertNovaError(await post(t.member, s.id, { resize: { flavorRef: big } }), 403, 'forbidden'), /Quota exceeded for cores/);
    const shown = await adminServer(t.admin, s.id);
    assert.deepEqual([shown.status, shown['OS-EXT-STS:task_state'], shown.flavor.original_name], ['ACTIVE', null, 'm1.tiny']);
    assert.deepEqual(await migrationsOf(t.admin, s.id), [], 'no migration was recorded');
    // While a move is under way or awaiting confirmation, another move is a 409.
    await act(t.member, s.id, { resize: { flavorRef: '2' } });
    await waitForStatus(t.member, s.id, 'VERIFY_RESIZE');
    assertNovaError(await post(t.member, s.id, { resize: { flavorRef: '3' } }), 409, 'conflictingRequest');
    assertNovaError(await post(t.admin, s.id, { migrate: null }), 409, 'conflictingRequest');
    await act(t.member, s.id, { confirmResize: null }, 204);
    await waitForStatus(t.member, s.id, 'ACTIVE');
    assertNovaError(await post(t.member, s.id, { revertResize: null }), 409, 'conflictingRequest');
    await remove(s.id);
  });

  it('reverts to the old flavor even when it was deleted meanwhile', async () => {
    const flavor = (await t.admin.post(`${C}/flavors`, { flavor: { name: 'short-lived', ram: 256, vcpus: 1, disk: 1 } })).body.flavor.id as string;
    const id = await createServer(t.member, { name: 'gone-flavor', imageRef: image, zone: 'cell1', flavorRef: flavor });
    await waitForStatus(t.member, id, 'ACTIVE');
    await act(t.member, id, { resize: { flavorRef: '2' } });
    await waitForStatus(t.member, id, 'VERIFY_RESIZE');
    assert.equal((await t.admin.request('DELETE', `${C}/flavors/${flavor}`)).status, 202);
    await act(t.member, id, { revertResize: null });
    await waitForStatus(t.member, id, 'ACTIVE');
    const shown = await adminServer(t.admin, id);
    assert.deepEqual([shown.flavor.original_name, shown.flavor.ram], ['short-lived', 256]);
    await remove(id);
  });

  it('deleting a server in VERIFY_RESIZE confirms the move first and leaves nothing behind', async () => {
    const s = await server('delete-resized');
    await act(t.member, s.id, { resize: { flavorRef: '2' } });
    await waitForStatus(t.member, s.id, 'VERIFY_RESIZE');
    const [migration] = await migrationsOf(t.admin, s.id);
    await remove(s.id);
    assert.deepEqual(await allocationsByHost(t.admin, s.id, providers), {});
    assert.deepEqual(await allocationsByHost(t.admin, migration.uuid, providers), {});
    await waitForUsage(t.admin, { [s.host]: { vcpus: 0, ram: RESERVED_RAM }, [s.other]: { vcpus: 0, ram: RESERVED_RAM } });
    assert.ok([...t.cloud.drivers.values()].every((d) => !(d as any).listGuests().some((g: any) => g.uuid === s.id) && !(d as any).listSetAside().includes(s.id)));
  });

  it('with no other host to go to, the server stays as it was and the action records why', async () => {
    const s = await server('no-room');
    await setService(t.admin, s.other, 'disabled');
    try {
      await act(t.admin, s.id, { migrate: null });
      const [migration] = await waitFor('the migration to fail', async () => {
        const list = await migrationsOf(t.admin, s.id);
        return list[0]?.status === 'error' ? list : undefined;
      });
      await waitForStatus(t.member, s.id, 'ACTIVE');
      assert.equal((await adminServer(t.admin, s.id))['OS-EXT-SRV-ATTR:host'], s.host);
      assert.deepEqual(Object.keys(await allocationsByHost(t.admin, s.id, providers)), [s.host]);
      assert.deepEqual(await allocationsByHost(t.admin, migration.uuid, providers), {});
      const actions = await actionsOf(t.admin, s.id);
      assert.deepEqual(actions[actions.length - 1], { ...actions[actions.length - 1], action: 'migrate', events: ['conductor_migrate_server:Error'] });
    } finally {
      await setService(t.admin, s.other, 'enabled');
    }
    await remove(s.id);
  });
});

describe('resize to the same host, and the confirm window', () => {
  let t: TestCloud;
  let image: string;
  before(async () => {
    t = await startTestCloud('[DEFAULT]\nallow_resize_to_same_host = true\nresize_confirm_window = 1');
    image = await imageId(t.admin);
  });
  after(async () => t?.stop());

  it('a resize may stay on its host when allowed, and is confirmed automatically after resize_confirm_window', async () => {
    const id = await createServer(t.member, { name: 'same-host', imageRef: image, zone: 'cell1' });
    await waitForStatus(t.member, id, 'ACTIVE');
    const host = (await adminServer(t.admin, id))['OS-EXT-SRV-ATTR:host'] as string;
    const other = host === 'cell1-compute1' ? 'cell1-compute2' : 'cell1-compute1';
    await setService(t.admin, other, 'disabled');
    try {
      await act(t.member, id, { resize: { flavorRef: '2' } });
      await waitForStatus(t.member, id, 'VERIFY_RESIZE');
      assert.equal((await adminServer(t.admin, id))['OS-EXT-SRV-ATTR:host'], host);
      // Both flavors are held on the one host until the confirm.
      await waitForUsage(t.admin, { [host]: { vcpus: 2, ram: RESERVED_RAM + 512 + 2048 } });
      await waitForStatus(t.member, id, 'ACTIVE', 5000);
      const [migration] = await migrationsOf(t.admin, id);
      assert.equal(migration.status, 'confirmed');
      const actions = await actionsOf(t.admin, id);
      assert.deepEqual(actions.map((a) => a.action).slice(-2), ['resize', 'confirmResize']);
      await waitForUsage(t.admin, { [host]: { vcpus: 1, ram: RESERVED_RAM + 2048 } });
      assert.equal((await adminServer(t.admin, id)).flavor.original_name, 'm1.small');
    } finally {
      await setService(t.admin, other, 'enabled');
    }
  });
});
