/**
 * Booting servers with networks, through HTTP only: `auto`, `none`, a network uuid (with a fixed
 * IP and a tag), a port the user made (with a tag), the default at 2.1; the server's `addresses`
 * drawn from its ports, the ports bound to its host with its uuid as device, the tags on its
 * interfaces; Nova's refusals, which change nothing; and what a delete leaves (created ports gone,
 * the user's port unbound and kept).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestCloud, type TestCloud } from '../fixtures/test-cloud.js';
import { allPortIds, assertPortFree, boot, createNetwork, createPort, N, port, portsOf, privateNetwork } from './boot-devices.js';
import { allServerIds, assertNovaError, C, imageId, sleep, waitForGone, waitForSettled } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

describe('booting servers with networks', () => {
  let t: TestCloud;
  let image: string;
  let privateId: string;

  before(async () => {
    t = await startTestCloud();
    image = await imageId(t.member);
    privateId = await privateNetwork(t.member);
  });
  after(async () => {
    await t?.stop();
  });

  async function active(res: { status: number; body: any }): Promise<Record<string, any>> {
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const server = await waitForSettled(t.member, res.body.server.id as string);
    assert.equal(server['status'], 'ACTIVE', JSON.stringify(server['fault']));
    return server;
  }

  /** The server's interfaces as os-interface shows them at 2.70 (port, network, addresses, MAC, tag). */
  async function interfaces(serverId: string): Promise<any[]> {
    const res = await t.member.withMicroversion('2.70').get(`${C}/servers/${serverId}/os-interface`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.interfaceAttachments;
  }

  /** Deletes the server and waits until it is gone. */
  async function remove(serverId: string): Promise<void> {
    assert.equal((await t.member.delete(`${C}/servers/${serverId}`)).status, 204);
    await waitForGone(t.member, serverId);
  }

  it('networks "auto" puts the server on the shared network: one port, bound to its host, shown in addresses', async () => {
    const server = await active(await boot(t.member, '2.37', { name: 'auto', imageRef: image, networks: 'auto' }));
    const admin = (await t.admin.get(`${C}/servers/${server['id']}`)).body.server;
    const ports = await portsOf(t.admin, server['id']);
    assert.equal(ports.length, 1);
    const p = ports[0]!;
    assert.equal(p.network_id, privateId);
    assert.equal(p.device_owner, `compute:${server['OS-EXT-AZ:availability_zone']}`);
    assert.equal(p['binding:host_id'], admin['OS-EXT-SRV-ATTR:host']);
    assert.equal(p.status, 'ACTIVE');
    assert.deepEqual(server['addresses'], {
      private: [{ version: 4, addr: p.fixed_ips[0].ip_address, 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': p.mac_address }],
    });
    assert.match(p.fixed_ips[0].ip_address, /^10\.0\.[0-3]\.\d+$/);
    assert.match(p.mac_address, /^fa:16:3e(:[0-9a-f]{2}){3}$/);
    // The list shows the same addresses.
    const listed = (await t.member.get(`${C}/servers/detail`)).body.servers.find((s: any) => s.id === server['id']);
    assert.deepEqual(listed.addresses, server['addresses']);
    await remove(server['id']);
    assert.equal(await port(t.admin, p.id), undefined, 'the port Nova made is deleted with the server');
  });

  it('networks "none" gives no port and no addresses', async () => {
    const server = await active(await boot(t.member, '2.37', { name: 'none', imageRef: image, networks: 'none' }));
    assert.deepEqual(server['addresses'], {});
    assert.deepEqual(await portsOf(t.admin, server['id']), []);
    await remove(server['id']);
  });

  it('without networks, or with an empty list, at 2.1 the server gets the one network it can use, as Nova does', async () => {
    for (const networks of [undefined, []]) {
      const server = await active(await boot(t.member, '2.1', { name: 'legacy', imageRef: image, ...(networks === undefined ? {} : { networks }) }));
      assert.deepEqual(Object.keys(server['addresses']), ['private']);
      assert.equal((await portsOf(t.admin, server['id'])).length, 1);
      await remove(server['id']);
      assert.deepEqual(await portsOf(t.admin, server['id']), []);
    }
  });

  it('a network uuid with a fixed IP and a tag (2.42): the port has that address and the interface the tag', async () => {
    // Neutron lets only a network's owner (or an admin) pick an address: the project's own network.
    const own = await createNetwork(t.member, 'fixed', '192.168.70.0/24');
    const server = await active(await boot(t.member, '2.42', { name: 'by-uuid', imageRef: image, networks: [{ uuid: own, fixed_ip: '192.168.70.200', tag: 'nic-a' }] }));
    const [p] = await portsOf(t.admin, server['id']);
    assert.deepEqual(p?.fixed_ips.map((ip: any) => ip.ip_address), ['192.168.70.200']);
    assert.deepEqual(server['addresses'].fixed.map((a: any) => a.addr), ['192.168.70.200']);
    assert.deepEqual((await interfaces(server['id'])).map((i) => [i.port_id, i.net_id, i.tag]), [[p?.id, own, 'nic-a']]);
    await remove(server['id']);
    assert.equal(await port(t.admin, p?.id), undefined);
    assert.equal((await t.member.delete(`${N}/networks/${own}`)).status, 204);
  });

  it('a port the user made, with a tag: bound to the server and its host, then unbound and kept by the delete', async () => {
    const mine = await createPort(t.member, privateId, 'mine');
    assert.equal(mine.device_id, '');
    const server = await active(await boot(t.member, '2.42', { name: 'by-port', imageRef: image, networks: [{ port: mine.id, tag: 'given' }] }));
    const host = (await t.admin.get(`${C}/servers/${server['id']}`)).body.server['OS-EXT-SRV-ATTR:host'];
    const bound = await port(t.admin, mine.id);
    assert.equal(bound?.['device_id'], server['id']);
    assert.equal(bound?.['binding:host_id'], host);
    assert.equal(bound?.['status'], 'ACTIVE');
    assert.deepEqual(server['addresses'], {
      private: [{ version: 4, addr: mine.fixed_ips[0].ip_address, 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': mine.mac_address }],
    });
    assert.deepEqual((await interfaces(server['id'])).map((i) => [i.port_id, i.tag, i.mac_addr]), [[mine.id, 'given', mine.mac_address]]);
    await remove(server['id']);
    await assertPortFree(t.admin, mine.id);
    // The freed port can be used again.
    const again = await active(await boot(t.member, '2.37', { name: 'by-port-again', imageRef: image, networks: [{ port: mine.id }] }));
    assert.equal((await port(t.admin, mine.id))?.['device_id'], again['id']);
    await remove(again['id']);
  });

  it('two networks and a port: one interface each, in the order asked, addresses grouped per network', async () => {
    const other = await createNetwork(t.member, 'other', '192.168.50.0/24');
    const mine = await createPort(t.member, other, 'second');
    const server = await active(await boot(t.member, '2.42', {
      name: 'multi', imageRef: image,
      networks: [{ uuid: privateId, tag: 'first' }, { port: mine.id, tag: 'second' }, { uuid: other }],
    }));
    const ifaces = await interfaces(server['id']);
    assert.equal(ifaces.length, 3);
    assert.deepEqual(ifaces.map((i) => i.tag).sort(), [null, 'first', 'second'].sort());
    assert.equal(server['addresses'].private.length, 1);
    assert.equal(server['addresses'].other.length, 2);
    assert.equal(server['addresses'].other[0].addr, mine.fixed_ips[0].ip_address, 'the port comes before the network after it');
    const guest = t.cloud.fakeDriver((await t.admin.get(`${C}/servers/${server['id']}`)).body.server['OS-EXT-SRV-ATTR:host']).listGuests().find((g) => g.uuid === server['id']);
    assert.deepEqual(guest?.interfaces.map((i) => i.macAddress), [server['addresses'].private[0]['OS-EXT-IPS-MAC:mac_addr'], mine.mac_address, server['addresses'].other[1]['OS-EXT-IPS-MAC:mac_addr']], 'the guest has the ports plugged, in order');
    await remove(server['id']);
    assert.deepEqual((await portsOf(t.admin, server['id'])), []);
    await assertPortFree(t.admin, mine.id);
    assert.equal((await t.member.delete(`${N}/ports/${mine.id}`)).status, 204);
    assert.equal((await t.member.delete(`${N}/networks/${other}`)).status, 204);
  });

  describe('requests Nova refuses, which create no server and no port', () => {
    async function refused(status: number, key: string, server: Record<string, unknown>, mv = '2.42', client = t.member): Promise<string> {
      const servers = await allServerIds(t.admin);
      const ports = await allPortIds(t.admin);
      const message = assertNovaError(await boot(client, mv, { imageRef: image, ...server }), status, key);
      await sleep(20);
      assert.deepEqual(await allServerIds(t.admin), servers, 'no server');
      assert.deepEqual(await allPortIds(t.admin), ports, 'no port');
      return message;
    }

    it('an unknown network', async () => {
      assert.match(await refused(400, 'badRequest', { name: 'x', networks: [{ uuid: '11111111-2222-4333-8444-555555555555' }] }), /Network 11111111-2222-4333-8444-555555555555 could not be found/);
    });

    it('an unknown port, a port in use (409), and another project\'s port', async () => {
      assert.match(await refused(400, 'badRequest', { name: 'x', networks: [{ port: '11111111-2222-4333-8444-555555555555' }] }), /Port 11111111-2222-4333-8444-555555555555 could not be found/);
      const used = await createPort(t.admin, privateId, 'used', { device_id: 'e0b5b2d4-0d4b-4bd5-9b0b-7f1d3c0c2a11', device_owner: 'compute:nova' });
      assert.match(await refused(409, 'conflictingRequest', { name: 'x', networks: [{ port: used.id }] }, '2.42', t.admin), new RegExp(`Port ${used.id} is still in use`));
      const adminsPort = await createPort(t.admin, privateId, 'admins');
      assert.match(await refused(400, 'badRequest', { name: 'x', networks: [{ port: adminsPort.id }] }), /could not be found|not usable/);
    });

    it('a fixed IP already taken, a fixed IP with a port, a port for several servers', async () => {
      const holder = await createPort(t.admin, privateId, 'holder', { fixed_ips: [{ ip_address: '10.0.2.2' }] });
      assert.match(await refused(400, 'badRequest', { name: 'x', networks: [{ uuid: privateId, fixed_ip: '10.0.2.2' }] }), /10\.0\.2\.2 is already in use/);
      assert.match(await refused(400, 'badRequest', { name: 'x', networks: [{ port: holder.id, fixed_ip: '10.0.2.3' }] }), /cannot be used with port/);
      assert.match(await refused(400, 'badRequest', { name: 'x', max_count: 2, networks: [{ port: holder.id }] }), /multiple instances with a single configured port/);
      await assertPortFree(t.admin, holder.id);
    });

    it('tags outside 2.32 and 2.42+, and a network entry with neither uuid nor port', async () => {
      assert.match(await refused(400, 'badRequest', { name: 'x', networks: [{ uuid: privateId, tag: 't' }] }, '2.37'), /tag/);
      assert.match(await refused(400, 'badRequest', { name: 'x', networks: [{ uuid: privateId, tag: 't' }] }, '2.41'), /tag/);
      assert.match(await refused(400, 'badRequest', { name: 'x', networks: [{}] }), /uuid/);
      const tagged = await active(await boot(t.member, '2.32', { name: 'tag-2-32', imageRef: image, networks: [{ uuid: privateId, tag: 'ok' }] }));
      assert.equal((await interfaces(tagged['id']))[0]?.tag, 'ok');
      await remove(tagged['id']);
    });

    it('"auto" when the project has several networks of its own is ambiguous (409); naming one works', async () => {
      const a = await createNetwork(t.member, 'own-a', '192.168.60.0/24');
      const b = await createNetwork(t.member, 'own-b', '192.168.61.0/24');
      assert.match(await refused(409, 'conflictingRequest', { name: 'x', networks: 'auto' }), /Multiple possible networks/);
      const named = await active(await boot(t.member, '2.37', { name: 'named', imageRef: image, networks: [{ uuid: b }] }));
      assert.deepEqual(Object.keys(named['addresses']), ['own-b']);
      await remove(named['id']);
      assert.equal((await t.member.delete(`${N}/networks/${b}`)).status, 204);
      // One network of its own: "auto" takes it rather than the shared one.
      const own = await active(await boot(t.member, '2.37', { name: 'own', imageRef: image, networks: 'auto' }));
      assert.deepEqual(Object.keys(own['addresses']), ['own-a']);
      await remove(own['id']);
      assert.equal((await t.member.delete(`${N}/networks/${a}`)).status, 204);
    });
  });
});
