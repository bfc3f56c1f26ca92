/**
 * Interface attachments of a whole running cloud (`/servers/{id}/os-interface`), over HTTP: ports
 * created on a network or brought by the user, bound to the server's host, listed with their
 * tags, detached (the created port deleted, the user's unbound), Nova's refusals, validation,
 * failures injected at every step leaving no port created or bound, and project isolation.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startTestCloud, waitForStatus, type ApiClient, type HttpResult, type TestCloud } from '../fixtures/test-cloud.js';
import { assertNovaError, C, createServer, imageId } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

const N = '/network/v2.0';

describe('interface attachments of a running cloud', () => {
  let t: TestCloud;
  let image: string;
  let server: string;
  let host: string;
  let netId: string;

  const interfaces = (id: string) => `${C}/servers/${id}/os-interface`;
  const attach = (client: ApiClient, id: string, body: Record<string, unknown> | undefined, mv = '2.70'): Promise<HttpResult> =>
    client.withMicroversion(mv).post(interfaces(id), body === undefined ? {} : { interfaceAttachment: body });
  async function userPort(client: ApiClient = t.member, name = 'mine'): Promise<any> {
    const res = await client.post(`${N}/ports`, { port: { network_id: netId, name } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.port;
  }
  /** The port as an admin sees it (binding attributes included), or undefined once it is gone. */
  async function port(id: string): Promise<any> {
    const res = await t.admin.get(`${N}/ports/${id}`);
    if (res.status === 404) return undefined;
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.port;
  }
  async function serverPorts(serverId: string): Promise<string[]> {
    const res = await t.admin.get(`${N}/ports?device_id=${serverId}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return (res.body.ports as { id: string }[]).map((p) => p.id).sort();
  }
  async function allPorts(): Promise<string[]> {
    const res = await t.admin.get(`${N}/ports`);
    return (res.body.ports as { id: string }[]).map((p) => p.id).sort();
  }
  async function listed(serverId: string, mv = '2.70'): Promise<any[]> {
    const res = await t.member.withMicroversion(mv).get(interfaces(serverId));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.interfaceAttachments;
  }

  /** The instance actions recorded in the server's cell, oldest first. */
  async function actions(serverId: string): Promise<{ action: string; request_id: string }[]> {
    const mapping = await t.cloud.api.instanceMappings.find(serverId);
    const cell = await t.cloud.api.cells.getById(mapping?.cell_id as number);
    return t.cloud.cells.repos(cell).db.selectFrom('instance_actions').select(['action', 'request_id']).where('instance_uuid', '=', serverId).orderBy('id').execute();
  }

  before(async () => {
    t = await startTestCloud();
    image = await imageId(t.admin);
    server = await createServer(t.member, { name: 'nic-target', imageRef: image, zone: 'cell1' });
    const active = await waitForStatus(t.member, server, 'ACTIVE');
    host = (await t.admin.get(`${C}/servers/${server}`)).body.server['OS-EXT-SRV-ATTR:host'];
    assert.ok(active);
    netId = (await t.member.get(`${N}/networks?name=private`)).body.networks[0].id;
  });
  after(async () => {
    await t?.stop();
  });
  beforeEach(() => t.cloud.faults.disarm());

  let created: any;
  let mine: any;

  it('attaches a new port on a network: 200 with the interface, the port bound to the server on its host', async () => {
    const res = await attach(t.member, server, { net_id: netId, tag: 'nic1' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    created = res.body.interfaceAttachment;
    assert.deepEqual(Object.keys(created).sort(), ['fixed_ips', 'mac_addr', 'net_id', 'port_id', 'port_state', 'tag']);
    assert.equal(created.net_id, netId);
    assert.equal(created.tag, 'nic1');
    assert.match(created.mac_addr, /^fa:16:3e(:[0-9a-f]{2}){3}$/);
    assert.equal(created.fixed_ips.length, 1);
    assert.deepEqual(Object.keys(created.fixed_ips[0]).sort(), ['ip_address', 'subnet_id']);
    const p = await port(created.port_id);
    assert.equal(p.device_id, server);
    assert.equal(p.device_owner, 'compute:cell1');
    assert.equal(p['binding:host_id'], host);
    assert.equal(p.mac_address, created.mac_addr);
    assert.equal(created.port_state, p.status);
  });

  it('attaches the user\'s own free port with a tag', async () => {
    mine = await userPort();
    const res = await attach(t.member, server, { port_id: mine.id, tag: 'mine' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.interfaceAttachment.port_id, mine.id);
    assert.equal(res.body.interfaceAttachment.tag, 'mine');
    const p = await port(mine.id);
    assert.deepEqual([p.device_id, p['binding:host_id']], [server, host]);
  });

  it('lists and shows both with their tags (from 2.70), and without below', async () => {
    const all = await listed(server);
    assert.deepEqual(all.map((a) => [a.port_id, a.tag]).sort(), [[created.port_id, 'nic1'], [mine.id, 'mine']].sort());
    for (const a of await listed(server, '2.69')) assert.equal('tag' in a, false);
    const shown = await t.member.withMicroversion('2.70').get(`${interfaces(server)}/${mine.id}`);
    assert.equal(shown.status, 200, JSON.stringify(shown.body));
    assert.equal(shown.body.interfaceAttachment.tag, 'mine');
    assert.equal(shown.body.interfaceAttachment.net_id, netId);
    const free = await userPort(t.member, 'free');
    assertNovaError(await t.member.get(`${interfaces(server)}/${free.id}`), 404, 'itemNotFound');
  });

  it('refuses a port in use (409), both or neither of port and address rules (400), unknown ids (404)', async () => {
    const before = await allPorts();
    const other = await createServer(t.member, { name: 'other', imageRef: image, zone: 'cell2' });
    await waitForStatus(t.member, other, 'ACTIVE');
    assertNovaError(await attach(t.member, other, { port_id: mine.id }), 409, 'conflictingRequest');
    assert.match(assertNovaError(await attach(t.member, other, { port_id: mine.id, net_id: netId }), 400, 'badRequest'), /Must not input both/);
    assert.match(assertNovaError(await attach(t.member, other, { fixed_ips: [{ ip_address: '10.0.0.50' }] }), 400, 'badRequest'), /Must input network_id/);
    assertNovaError(await attach(t.member, other, { net_id: '00000000-0000-4000-8000-000000000000' }), 404, 'itemNotFound');
    assertNovaError(await attach(t.member, other, { port_id: '00000000-0000-4000-8000-000000000000' }), 404, 'itemNotFound');
    assert.deepEqual(await allPorts(), before, 'no port was created');
    assert.deepEqual(await listed(other), []);
    assert.equal((await port(mine.id)).device_id, server, 'the port in use stayed where it was');
  });

  it('validates the body per microversion: a bad request is a 400 and changes nothing', async () => {
    const before = await allPorts();
    const bad: [unknown, string][] = [
      [{ interfaceAttachment: { net_id: 'nope' } }, '2.70'],
      [{ interfaceAttachment: { port_id: 12 } }, '2.70'],
      [{ interfaceAttachment: { net_id: netId, extra: true } }, '2.70'],
      [{ interfaceAttachment: { net_id: netId, tag: 'early' } }, '2.48'],
      [{ interfaceAttachment: { net_id: netId, tag: 'a,b' } }, '2.70'],
      [{ interfaceAttachment: { net_id: netId, fixed_ips: [{ ip_address: '10.0.0.300' }] } }, '2.70'],
      [{ interfaceAttachment: { net_id: netId, fixed_ips: [] } }, '2.70'],
      [{ interface: {} }, '2.70'],
    ];
    for (const [body, mv] of bad) assertNovaError(await t.member.withMicroversion(mv).post(interfaces(server), body), 400, 'badRequest');
    assert.deepEqual(await allPorts(), before);
  });

  it('detaches: the port it created is deleted, the user\'s port is unbound and kept', async () => {
    const res = await t.member.delete(`${interfaces(server)}/${created.port_id}`);
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const recorded = await actions(server);
    assert.deepEqual(recorded.slice(-3).map((a) => a.action), ['attach_interface', 'attach_interface', 'detach_interface']);
    assert.equal(recorded[recorded.length - 1]?.request_id, res.headers.get('x-compute-request-id'));
    assert.equal(await port(created.port_id), undefined);
    assert.equal((await t.member.delete(`${interfaces(server)}/${mine.id}`)).status, 202);
    const kept = await port(mine.id);
    assert.deepEqual([kept.device_id, kept.device_owner, kept['binding:host_id']], ['', '', '']);
    assert.deepEqual(await listed(server), []);
    assert.deepEqual(await serverPorts(server), []);
    assertNovaError(await t.member.delete(`${interfaces(server)}/${mine.id}`), 404, 'itemNotFound');
  });

  it('with neither port nor network, uses the one network the project can use; with two it is ambiguous (400)', async () => {
    const res = await attach(t.member, server, undefined);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.interfaceAttachment.net_id, netId);
    assert.equal((await t.member.delete(`${interfaces(server)}/${res.body.interfaceAttachment.port_id}`)).status, 202);
    const own = await t.member.post(`${N}/networks`, { network: { name: 'own' } });
    assert.equal(own.status, 201, JSON.stringify(own.body));
    const message = assertNovaError(await attach(t.member, server, {}), 400, 'badRequest');
    assert.match(message, /More than one possible network/);
    assert.equal((await t.member.delete(`${N}/networks/${own.body.network.id}`)).status, 204);
  });

  it('attaches to a stopped server', async () => {
    assert.equal((await t.member.post(`${C}/servers/${server}/action`, { 'os-stop': null })).status, 202);
    await waitForStatus(t.member, server, 'SHUTOFF');
    const res = await attach(t.member, server, { net_id: netId });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal((await t.member.delete(`${interfaces(server)}/${res.body.interfaceAttachment.port_id}`)).status, 202);
    assert.equal((await t.member.post(`${C}/servers/${server}/action`, { 'os-start': null })).status, 202);
    await waitForStatus(t.member, server, 'ACTIVE');
  });

  describe('a failure injected at any step leaves no port created or bound and no interface', () => {
    const faults = ['network.get_network', 'network.create_port', 'network.update_port', 'virt.attach_interface', 'rpc.call.compute.attach_interface'];
    for (const fault of faults) {
      it(`by network, ${fault}`, async () => {
        const before = await allPorts();
        t.cloud.faults.arm(fault);
        const res = await attach(t.member, server, { net_id: netId, tag: 't' });
        assert.ok(res.status >= 500, JSON.stringify(res.body));
        assert.deepEqual(await allPorts(), before);
        assert.deepEqual(await serverPorts(server), []);
        assert.deepEqual(await listed(server), []);
      });
    }
    for (const fault of ['network.get_port', 'network.update_port', 'virt.attach_interface']) {
      it(`by port, ${fault}: the user's port is kept and unbound`, async () => {
        const p = await userPort(t.member, `kept-${fault}`);
        t.cloud.faults.arm(fault);
        const res = await attach(t.member, server, { port_id: p.id });
        assert.ok(res.status >= 500, JSON.stringify(res.body));
        const now = await port(p.id);
        assert.deepEqual([now.device_id, now.device_owner, now['binding:host_id']], ['', '', '']);
        assert.deepEqual(await listed(server), []);
      });
    }
    for (const fault of ['virt.detach_interface', 'network.delete_port']) {
      it(`${fault} on detach: the interface stays; a retry detaches`, async () => {
        const res = await attach(t.member, server, { net_id: netId });
        const portId = res.body.interfaceAttachment.port_id as string;
        t.cloud.faults.arm(fault);
        assertNovaError(await t.member.delete(`${interfaces(server)}/${portId}`), 500, 'computeFault');
        assert.deepEqual((await listed(server)).map((a) => a.port_id), [portId]);
        assert.equal((await port(portId)).device_id, server);
        assert.equal((await t.member.delete(`${interfaces(server)}/${portId}`)).status, 202);
        assert.equal(await port(portId), undefined);
      });
    }
  });

  describe('project isolation', () => {
    let adminServer: string;
    let adminPort: string;
    before(async () => {
      adminServer = await createServer(t.admin, { name: 'admin-own', imageRef: image, zone: 'cell1' });
      await waitForStatus(t.admin, adminServer, 'ACTIVE');
      const res = await attach(t.admin, adminServer, { net_id: netId });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      adminPort = res.body.interfaceAttachment.port_id;
    });

    it('a member gets 404 for every interface call on another project\'s server', async () => {
      assertNovaError(await t.member.get(interfaces(adminServer)), 404, 'itemNotFound');
      assertNovaError(await t.member.get(`${interfaces(adminServer)}/${adminPort}`), 404, 'itemNotFound');
      assertNovaError(await attach(t.member, adminServer, { net_id: netId }), 404, 'itemNotFound');
      assertNovaError(await t.member.delete(`${interfaces(adminServer)}/${adminPort}`), 404, 'itemNotFound');
      assert.equal((await port(adminPort)).device_id, adminServer);
    });

    it('a member cannot take another project\'s port (404)', async () => {
      const theirs = await userPort(t.admin, 'admin-free');
      assertNovaError(await attach(t.member, server, { port_id: theirs.id }), 404, 'itemNotFound');
      assert.equal((await port(theirs.id)).device_id, '');
    });
  });
});
