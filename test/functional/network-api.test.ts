/**
 * The network API of a whole running cloud, over HTTP with tokens from its identity API: the
 * catalog entry and version document, the shared default network, ports for the cloud's servers,
 * binding them to the cloud's compute hosts and moving them with the extended port-binding API,
 * address allocation (concurrent, exhausted), validation, and project isolation.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestCloud, type ApiClient, type HttpResult, type TestCloud } from '../fixtures/test-cloud.js';
import { CELL_HOSTS, createServer, imageId, waitForSettled } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

const N = '/network/v2.0';

function neutronError(res: HttpResult, status: number, type: string): string {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.deepEqual(Object.keys(res.body as object), ['NeutronError'], JSON.stringify(res.body));
  const e = (res.body as { NeutronError: { type: string; message: string; detail: string } }).NeutronError;
  assert.equal(e.type, type, e.message);
  assert.equal(typeof e.message, 'string');
  assert.equal(e.detail, '');
  return e.message;
}

describe('the network API of a running cloud', () => {
  let t: TestCloud;
  let privateNet: any;

  before(async () => {
    t = await startTestCloud();
    const res = await t.member.get(`${N}/networks?name=private`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    privateNet = res.body.networks[0];
    assert.ok(privateNet, 'the default network exists');
  });
  after(async () => {
    await t?.stop();
  });

  const ids = (res: HttpResult, key: string): string[] => {
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return (res.body[key] as { id: string }[]).map((r) => r.id);
  };

  it('is in the catalog as network, and answers version discovery without a token', async () => {
    const login = await fetch(`${t.url}/identity/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'demo', domain: { name: 'Default' }, password: 'demo-secret' } } }, scope: { project: { name: 'demo', domain: { name: 'Default' } } } } }),
    });
    const catalog = ((await login.json()) as any).token.catalog as { type: string; name: string; endpoints: { interface: string; url: string }[] }[];
    const entry = catalog.find((s) => s.type === 'network');
    assert.ok(entry, 'network is in the catalog');
    assert.equal(entry.name, 'neutron');
    const publicUrl = entry.endpoints.find((e) => e.interface === 'public')?.url ?? '';
    assert.ok(publicUrl.endsWith('/network'), publicUrl);
    const versions = await fetch(`${t.url}/network`);
    assert.equal(versions.status, 200);
    const doc = (await versions.json()) as any;
    assert.equal(doc.versions[0].id, 'v2.0');
    assert.equal(doc.versions[0].status, 'CURRENT');
    assert.equal(doc.versions[0].links[0].href, `${t.url}/network/v2.0/`);
    assert.equal((await fetch(`${t.url}${N}/networks`)).status, 401);
  });

  it('gives every project the shared private network with its subnet and pool', async () => {
    assert.deepEqual([privateNet.shared, privateNet.status, privateNet['router:external'], privateNet.subnets.length], [true, 'ACTIVE', false, 1]);
    const admin = await t.admin.get(`${N}/networks/${privateNet.id}`);
    assert.equal(admin.body.network.project_id, privateNet.project_id);
    const subnet = (await t.member.get(`${N}/subnets/${privateNet.subnets[0]}`)).body.subnet;
    assert.deepEqual([subnet.cidr, subnet.gateway_ip, subnet.allocation_pools, subnet.network_id], ['10.0.0.0/22', '10.0.0.1', [{ start: '10.0.0.2', end: '10.0.3.254' }], privateNet.id]);
    const extensions = (await t.member.get(`${N}/extensions`)).body.extensions.map((e: any) => e.alias);
    assert.ok(extensions.includes('binding-extended'));
  });

  it('creates a port for a server, finds it by device, binds it to the server\'s host and moves it between cells', async () => {
    const serverId = await createServer(t.member, { name: 'net-vm', imageRef: await imageId(t.member), zone: 'cell1' });
    const server = await waitForSettled(t.admin, serverId, ['ACTIVE']);
    const host = server['OS-EXT-SRV-ATTR:host'] as string;
    assert.ok(CELL_HOSTS['cell1']?.includes(host), host);

    const created = await t.member.post(`${N}/ports`, { port: { network_id: privateNet.id, device_id: serverId, device_owner: 'compute:cell1', name: 'net-vm-port' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const port = created.body.port;
    assert.equal(port.fixed_ips.length, 1);
    assert.match(port.fixed_ips[0].ip_address, /^10\.0\.[0-3]\.\d+$/);
    assert.equal('binding:host_id' in port, false, 'members do not see binding details');
    assert.deepEqual(ids(await t.member.get(`${N}/ports?device_id=${serverId}`), 'ports'), [port.id]);

    const bound = await t.admin.put(`${N}/ports/${port.id}`, { port: { 'binding:host_id': host } });
    assert.deepEqual([bound.status, bound.body.port['binding:host_id'], bound.body.port.status], [200, host, 'ACTIVE']);
    assert.deepEqual(ids(await t.admin.get(`${N}/ports?binding:host_id=${host}`), 'ports'), [port.id]);

    const dest = CELL_HOSTS['cell2']?.[0] as string;
    const binding = await t.admin.post(`${N}/ports/${port.id}/bindings`, { binding: { host: dest } });
    assert.deepEqual([binding.status, binding.body.binding.status], [201, 'INACTIVE']);
    const activated = await t.admin.put(`${N}/ports/${port.id}/bindings/${dest}/activate`, undefined);
    assert.deepEqual([activated.status, activated.body.binding.status], [200, 'ACTIVE']);
    const moved = (await t.admin.get(`${N}/ports/${port.id}`)).body.port;
    assert.equal(moved['binding:host_id'], dest);
    const list = (await t.admin.get(`${N}/ports/${port.id}/bindings`)).body.bindings.map((b: any) => `${b.host}:${b.status}`);
    assert.deepEqual(list, [`${dest}:ACTIVE`, `${host}:INACTIVE`]);
    assert.equal((await t.admin.delete(`${N}/ports/${port.id}/bindings/${host}`)).status, 204);
    neutronError(await t.member.post(`${N}/ports/${port.id}/bindings`, { binding: { host } }), 403, 'PolicyNotAuthorized');

    assert.equal((await t.member.delete(`${N}/ports/${port.id}`)).status, 204);
    assert.deepEqual(ids(await t.member.get(`${N}/ports?device_id=${serverId}`), 'ports'), []);
  });

  it('allocates distinct addresses to concurrent creates and reports an exhausted subnet as Neutron does', async () => {
    const concurrent = await Promise.all(Array.from({ length: 20 }, (_, i) => t.member.post(`${N}/ports`, { port: { network_id: privateNet.id, name: `burst-${i}` } })));
    for (const r of concurrent) assert.equal(r.status, 201, JSON.stringify(r.body));
    const addresses = concurrent.map((r) => r.body.port.fixed_ips[0].ip_address);
    assert.equal(new Set(addresses).size, 20, addresses.join(' '));
    for (const r of concurrent) assert.equal((await t.member.delete(`${N}/ports/${r.body.port.id}`)).status, 204);

    const net = (await t.admin.post(`${N}/networks`, { network: { name: 'tiny' } })).body.network;
    const sub = await t.admin.post(`${N}/subnets`, { subnet: { network_id: net.id, cidr: '192.168.50.0/29', ip_version: 4 } });
    assert.equal(sub.status, 201, JSON.stringify(sub.body));
    for (let i = 0; i < 5; i++) assert.equal((await t.admin.post(`${N}/ports`, { port: { network_id: net.id } })).status, 201);
    const message = neutronError(await t.admin.post(`${N}/ports`, { port: { network_id: net.id } }), 409, 'IpAddressGenerationFailure');
    assert.equal(message, `No more IP addresses available on network ${net.id}.`);
    neutronError(await t.admin.delete(`${N}/networks/${net.id}`), 409, 'NetworkInUse');
    for (const id of ids(await t.admin.get(`${N}/ports?network_id=${net.id}`), 'ports')) assert.equal((await t.admin.delete(`${N}/ports/${id}`)).status, 204);
    assert.equal((await t.admin.delete(`${N}/networks/${net.id}`)).status, 204);
  });

  it('refuses invalid requests with 400 and changes nothing', async () => {
    const before = JSON.stringify([(await t.admin.get(`${N}/networks`)).body, (await t.admin.get(`${N}/subnets`)).body, (await t.admin.get(`${N}/ports`)).body]);
    const refused: [ApiClient, string, string, unknown][] = [
      [t.admin, 'POST', `${N}/ports`, { port: { network_id: privateNet.id, fixed_ips: [{ ip_address: '10.0.0.1' }] } }],
      [t.member, 'POST', `${N}/ports`, { port: { network_id: privateNet.id, unknown_attribute: 1 } }],
      [t.member, 'POST', `${N}/ports`, { port: { network_id: 'private' } }],
      [t.member, 'POST', `${N}/networks`, { network: { name: 'x'.repeat(300) } }],
      [t.admin, 'POST', `${N}/subnets`, { subnet: { network_id: privateNet.id, cidr: '10.0.0.0/24', ip_version: 4 } }],
      [t.admin, 'POST', `${N}/subnets`, { subnet: { network_id: privateNet.id, cidr: '2001:db8::/64', ip_version: 6 } }],
      [t.member, 'GET', `${N}/ports?sort_key=name`, undefined],
    ];
    for (const [client, method, path, body] of refused) {
      const res = await client.request(method, path, body);
      assert.equal(res.status, 400, `${method} ${path} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`);
      assert.ok('NeutronError' in (res.body as object));
    }
    const after = JSON.stringify([(await t.admin.get(`${N}/networks`)).body, (await t.admin.get(`${N}/subnets`)).body, (await t.admin.get(`${N}/ports`)).body]);
    assert.equal(after, before);
  });

  it('keeps one project\'s networks and ports from another', async () => {
    const net = (await t.admin.post(`${N}/networks`, { network: { name: 'admin-only' } })).body.network;
    await t.admin.post(`${N}/subnets`, { subnet: { network_id: net.id, cidr: '192.168.60.0/24', ip_version: 4 } });
    const adminPort = (await t.admin.post(`${N}/ports`, { port: { network_id: net.id } })).body.port;
    const memberPort = (await t.member.post(`${N}/ports`, { port: { network_id: privateNet.id, name: 'demo-port' } })).body.port;

    assert.equal(ids(await t.member.get(`${N}/networks`), 'networks').includes(net.id), false);
    neutronError(await t.member.get(`${N}/networks/${net.id}`), 404, 'NetworkNotFound');
    neutronError(await t.member.get(`${N}/ports/${adminPort.id}`), 404, 'PortNotFound');
    neutronError(await t.member.delete(`${N}/ports/${adminPort.id}`), 404, 'PortNotFound');
    neutronError(await t.member.post(`${N}/ports`, { port: { network_id: net.id } }), 404, 'NetworkNotFound');
    assert.deepEqual(ids(await t.member.get(`${N}/ports`), 'ports'), [memberPort.id]);
    assert.deepEqual(ids(await t.member.get(`${N}/ports?project_id=${adminPort.project_id}`), 'ports'), []);
    const everything = ids(await t.admin.get(`${N}/ports`), 'ports');
    assert.ok(everything.includes(adminPort.id) && everything.includes(memberPort.id));
    assert.equal((await t.admin.get(`${N}/ports/${adminPort.id}`)).status, 200, 'the refused calls left the admin\'s port alone');

    for (const [client, id] of [[t.admin, adminPort.id], [t.member, memberPort.id]] as const) assert.equal((await client.delete(`${N}/ports/${id}`)).status, 204);
    assert.equal((await t.admin.delete(`${N}/networks/${net.id}`)).status, 204);
  });
});
