import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { defaultNetworkIds } from './default-network.js';
import { startNetworkRoutes, type CallResult, type RouteHarness } from './network-harness.test.js';

const { networkId: PRIVATE, subnetId: PRIVATE_SUBNET } = defaultNetworkIds('private');

/** Asserts Neutron's error body and returns its message. */
function neutronError(res: CallResult, status: number, type: string): string {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.deepEqual(Object.keys(res.body as object), ['NeutronError'], JSON.stringify(res.body));
  const e = (res.body as { NeutronError: { type: string; message: string; detail: string } }).NeutronError;
  assert.deepEqual(Object.keys(e).sort(), ['detail', 'message', 'type']);
  assert.equal(e.type, type, e.message);
  assert.ok(e.message.length > 0);
  assert.equal(e.detail, '');
  return e.message;
}

describe('network routes', () => {
  let h: RouteHarness;

  before(async () => {
    h = await startNetworkRoutes();
  });
  after(async () => h.close());

  /** Everything a test might have changed, to prove a refused request changed nothing. */
  async function snapshot(): Promise<unknown> {
    const all = async (path: string) => (await h.call('GET', path, 'admin')).body as unknown;
    return { networks: await all('/v2.0/networks'), subnets: await all('/v2.0/subnets'), ports: await all('/v2.0/ports') };
  }

  it('answers version discovery without a token, and the rest only with one', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/network', headers: { host: 'cloud.example:9696' } });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ rel: 'self', href: 'http://cloud.example:9696/network/v2.0/' }] }] });
    assert.equal((await h.call('GET', '/v2.0/networks', null)).status, 401);
    assert.equal((await h.call('GET', '/v2.0/networks', 'nobody')).status, 401);
    const root = await h.call('GET', '/v2.0/', 'alice');
    assert.deepEqual((root.body as { resources: { collection: string }[] }).resources.map((r) => r.collection), ['networks', 'subnets', 'ports']);
  });

  it('lists the extensions it implements, and 404s others', async () => {
    const res = await h.call('GET', '/v2.0/extensions', 'alice');
    const aliases = (res.body as { extensions: { alias: string }[] }).extensions.map((e) => e.alias);
    for (const alias of ['binding', 'binding-extended', 'standard-attr-tag', 'net-mtu', 'external-net']) assert.ok(aliases.includes(alias), alias);
    assert.equal(aliases.includes('security-group'), false);
    const one = await h.call('GET', '/v2.0/extensions/binding-extended', 'alice');
    assert.equal((one.body as { extension: { name: string } }).extension.name, 'Port Bindings Extended');
    neutronError(await h.call('GET', '/v2.0/extensions/security-group', 'alice'), 404, 'HTTPNotFound');
  });

  it('shows the default network and subnet in Neutron\'s shape', async () => {
    const net = await h.call('GET', `/v2.0/networks/${PRIVATE}`, 'bob');
    assert.equal(net.status, 200);
    const n = (net.body as { network: Record<string, unknown> }).network;
    assert.deepEqual(
      { name: n['name'], shared: n['shared'], status: n['status'], admin_state_up: n['admin_state_up'], 'router:external': n['router:external'], mtu: n['mtu'], subnets: n['subnets'] },
      { name: 'private', shared: true, status: 'ACTIVE', admin_state_up: true, 'router:external': false, mtu: 1500, subnets: [PRIVATE_SUBNET] },
    );
    assert.equal(n['tenant_id'], n['project_id']);
    assert.match(String(n['created_at']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const sub = (await h.call('GET', `/v2.0/subnets/${PRIVATE_SUBNET}`, 'bob')).body as { subnet: Record<string, unknown> };
    assert.deepEqual(
      { cidr: sub.subnet['cidr'], gateway_ip: sub.subnet['gateway_ip'], pools: sub.subnet['allocation_pools'], v: sub.subnet['ip_version'], net: sub.subnet['network_id'] },
      { cidr: '10.0.0.0/22', gateway_ip: '10.0.0.1', pools: [{ start: '10.0.0.2', end: '10.0.3.254' }], v: 4, net: PRIVATE },
    );
    const byName = await h.call('GET', '/v2.0/networks/private', 'bob');
    assert.equal(neutronError(byName, 404, 'NetworkNotFound'), 'Network private could not be found.');
    assert.deepEqual(((await h.call('GET', '/v2.0/networks?name=private&fields=id&fields=name', 'bob')).body as { networks: unknown[] }).networks, [{ id: PRIVATE, name: 'private' }]);
  });

  it('creates, lists with filters, updates and deletes a port', async () => {
    const created = await h.call('POST', '/v2.0/ports', 'alice', { port: { network_id: PRIVATE, name: 'p1', device_id: 'vm-1', device_owner: 'compute:nova', tags: ['web'] } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const port = (created.body as { port: Record<string, any> }).port; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(port['project_id'], 'project-a');
    assert.equal(port['fixed_ips'][0].subnet_id, PRIVATE_SUBNET);
    assert.deepEqual(port['tags'], ['web']);
    const other = (await h.call('POST', '/v2.0/ports', 'alice', { port: { network_id: PRIVATE, name: 'p2', device_id: 'vm-2' } })).body.port;
    // Both ports are created in the same (manual) clock tick, so their order is not defined.
    const list = async (query: string) => ((await h.call('GET', `/v2.0/ports?${query}`, 'alice')).body as { ports: { id: string }[] }).ports.map((p) => p.id).sort();
    assert.deepEqual(await list('device_id=vm-1'), [port['id']]);
    assert.deepEqual(await list('device_id=vm-1&device_id=vm-2'), [port['id'], other.id].sort());
    assert.deepEqual(await list(`fixed_ips=ip_address%3D${port['fixed_ips'][0].ip_address}`), [port['id']]);
    assert.deepEqual(await list('device_owner=compute%3Anova&name=p1'), [port['id']]);
    assert.deepEqual(await list('tags=web'), [port['id']]);
    assert.deepEqual(await list(`mac_address=${String(port['mac_address']).toUpperCase()}`), [port['id']]);
    assert.deepEqual(await list('project_id=project-a&network_id=' + PRIVATE), [port['id'], other.id].sort());
    assert.deepEqual(await list('admin_state_up=False'), []);
    const fields = (await h.call('GET', `/v2.0/ports?fields=id&fields=status&fields=nonsense&device_id=vm-1`, 'alice')).body;
    assert.deepEqual(fields, { ports: [{ id: port['id'], status: 'DOWN' }] });

    const updated = await h.call('PUT', `/v2.0/ports/${port['id']}`, 'alice', { port: { name: 'renamed', admin_state_up: false } });
    assert.equal(updated.status, 200);
    assert.deepEqual([updated.body.port.name, updated.body.port.admin_state_up, updated.body.port.revision_number], ['renamed', false, 2]);
    const bound = await h.call('PUT', `/v2.0/ports/${port['id']}`, 'admin', { port: { 'binding:host_id': 'cell1-compute1', admin_state_up: true } });
    assert.deepEqual([bound.body.port['binding:host_id'], bound.body.port.status], ['cell1-compute1', 'ACTIVE']);
    assert.deepEqual(await list('binding%3Ahost_id=cell1-compute1'), [port['id']]);

    assert.equal((await h.call('DELETE', `/v2.0/ports/${port['id']}`, 'alice')).status, 204);
    neutronError(await h.call('GET', `/v2.0/ports/${port['id']}`, 'alice'), 404, 'PortNotFound');
    neutronError(await h.call('DELETE', `/v2.0/ports/${port['id']}`, 'alice'), 404, 'PortNotFound');
    assert.equal((await h.call('DELETE', `/v2.0/ports/${other.id}`, 'alice')).status, 204);
  });

  it('refuses bad bodies and queries with 400 in Neutron\'s shape, changing nothing', async () => {
    const before = await snapshot();
    const bad: [string, string, unknown][] = [
      ['POST', '/v2.0/ports', { port: { network_id: 'not-a-uuid' } }],
      ['POST', '/v2.0/ports', { port: { network_id: PRIVATE, colour: 'blue' } }],
      ['POST', '/v2.0/ports', { port: { network_id: PRIVATE, security_groups: ['default'] } }],
      ['POST', '/v2.0/ports', { port: { network_id: PRIVATE, fixed_ips: [{}] } }],
      ['POST', '/v2.0/ports', { port: { network_id: PRIVATE, fixed_ips: [{ ip_address: '10.0.9.9' }] } }],
      ['POST', '/v2.0/ports', { port: { network_id: PRIVATE, fixed_ips: [{ subnet_id: PRIVATE_SUBNET, ip_address: '10.0.0.1' }] } }],
      ['POST', '/v2.0/ports', { port: { network_id: PRIVATE, 'binding:vnic_type': 'warp' } }],
      ['POST', '/v2.0/ports', { port: { network_id: PRIVATE, name: 'x'.repeat(256) } }],
      ['POST', '/v2.0/ports', { port: { network_id: PRIVATE, admin_state_up: 'yes' } }],
      ['POST', '/v2.0/ports', { port: { network_id: PRIVATE, project_id: 'a', tenant_id: 'b' } }],
      ['POST', '/v2.0/ports', { port: { network_id: PRIVATE, tags: ['a,b'] } }],
      ['POST', '/v2.0/ports', { ports: [{ network_id: PRIVATE }] }],
      ['POST', '/v2.0/ports', { network_id: PRIVATE }],
      ['POST', '/v2.0/ports', undefined],
      ['POST', '/v2.0/ports', '{"port": '],
      ['POST', '/v2.0/networks', { network: { name: 'n', provider: 'x' } }],
      ['POST', '/v2.0/networks', { network: { name: 'n', mtu: 20 } }],
      ['POST', '/v2.0/subnets', { subnet: { network_id: PRIVATE, cidr: '10.9.0.0/24', ip_version: 6 } }],
      ['POST', '/v2.0/subnets', { subnet: { network_id: PRIVATE, cidr: '10.9.0.0/24' } }],
      ['POST', '/v2.0/subnets', { subnet: { network_id: PRIVATE, cidr: '10.9.0/24', ip_version: 4 } }],
      ['POST', '/v2.0/subnets', { subnet: { network_id: PRIVATE, cidr: '10.9.0.1/24', ip_version: 4 } }],
      ['POST', '/v2.0/subnets', { subnet: { network_id: PRIVATE, cidr: '10.9.0.0/31', ip_version: 4 } }],
      ['POST', '/v2.0/subnets', { subnet: { network_id: PRIVATE, cidr: '10.0.1.0/24', ip_version: 4 } }],
      ['POST', '/v2.0/subnets', { subnet: { network_id: PRIVATE, cidr: '10.9.0.0/24', ip_version: 4, gateway_ip: '10.8.0.1' } }],
      ['POST', '/v2.0/subnets', { subnet: { network_id: PRIVATE, cidr: '10.9.0.0/24', ip_version: 4, allocation_pools: [{ start: '10.9.0.9', end: '10.9.0.2' }] } }],
      ['POST', '/v2.0/subnets', { subnet: { network_id: PRIVATE, cidr: '10.9.0.0/24', ip_version: 4, dns_nameservers: ['dns.example'] } }],
      ['POST', '/v2.0/subnets', { subnet: { network_id: PRIVATE, cidr: '10.9.0.0/24', ip_version: 4, host_routes: [{ destination: '0.0.0.0/0', nexthop: '10.9.0.1' }] } }],
      ['GET', '/v2.0/ports?colour=blue', undefined],
      ['GET', '/v2.0/ports?limit=10', undefined],
      ['GET', '/v2.0/ports?admin_state_up=maybe', undefined],
      ['GET', '/v2.0/ports?fixed_ips=10.0.0.5', undefined],
      ['GET', '/v2.0/networks?mtu=big', undefined],
      ['GET', `/v2.0/networks/${PRIVATE}?verbose=1`, undefined],
    ];
    for (const [method, url, body] of bad) {
      const res = await h.call(method as 'POST', url, 'admin', body);
      neutronError(res, 400, (res.body as { NeutronError?: { type: string } }).NeutronError?.type ?? '?');
      assert.ok(res.status === 400, `${method} ${url} ${JSON.stringify(body)}`);
    }
    const cidr = neutronError(await h.call('POST', '/v2.0/subnets', 'admin', { subnet: { network_id: PRIVATE, cidr: '10.9.0.1/24', ip_version: 4 } }), 400, 'HTTPBadRequest');
    assert.equal(cidr, "Invalid input for cidr. Reason: '10.9.0.1/24' isn't a recognized IP subnet cidr, '10.9.0.0/24' is recommended.");
    neutronError(await h.call('POST', '/v2.0/ports', 'admin', { port: { network_id: PRIVATE, fixed_ips: [{ ip_address: '10.0.9.9' }] } }), 400, 'InvalidIpForNetwork');
    assert.deepEqual(await snapshot(), before);
  });

  it('keeps projects apart over HTTP', async () => {
    const net = await h.call('POST', '/v2.0/networks', 'alice', { network: { name: 'alice-net' } });
    assert.equal(net.status, 201);
    const netId = net.body.network.id as string;
    assert.equal(net.body.network.shared, false);
    const sub = await h.call('POST', '/v2.0/subnets', 'alice', { subnet: { network_id: netId, cidr: '172.16.0.0/24', ip_version: 4, name: 'alice-sub' } });
    assert.equal(sub.status, 201, JSON.stringify(sub.body));
    const port = (await h.call('POST', '/v2.0/ports', 'alice', { port: { network_id: netId } })).body.port;

    const names = async (token: string, path: string, key: string) => ((await h.call('GET', path, token)).body[key] as { id: string }[]).map((r) => r.id);
    assert.equal((await names('bob', '/v2.0/networks', 'networks')).includes(netId), false);
    assert.equal((await names('bob', '/v2.0/subnets', 'subnets')).includes(sub.body.subnet.id), false);
    assert.equal((await names('bob', `/v2.0/ports?network_id=${netId}`, 'ports')).length, 0);
    assert.deepEqual(await names('admin', `/v2.0/ports?network_id=${netId}`, 'ports'), [port.id]);
    neutronError(await h.call('GET', `/v2.0/networks/${netId}`, 'bob'), 404, 'NetworkNotFound');
    neutronError(await h.call('GET', `/v2.0/subnets/${sub.body.subnet.id}`, 'bob'), 404, 'SubnetNotFound');
    neutronError(await h.call('GET', `/v2.0/ports/${port.id}`, 'bob'), 404, 'PortNotFound');
    neutronError(await h.call('PUT', `/v2.0/ports/${port.id}`, 'bob', { port: { name: 'mine' } }), 404, 'PortNotFound');
    neutronError(await h.call('DELETE', `/v2.0/networks/${netId}`, 'bob'), 404, 'NetworkNotFound');
    neutronError(await h.call('POST', '/v2.0/ports', 'bob', { port: { network_id: netId } }), 404, 'NetworkNotFound');
    neutronError(await h.call('POST', '/v2.0/subnets', 'bob', { subnet: { network_id: netId, cidr: '172.17.0.0/24', ip_version: 4 } }), 404, 'NetworkNotFound');
    neutronError(await h.call('DELETE', `/v2.0/networks/${PRIVATE}`, 'bob'), 403, 'PolicyNotAuthorized');
    neutronError(await h.call('POST', '/v2.0/networks', 'bob', { network: { name: 'x', shared: true } }), 403, 'PolicyNotAuthorized');
    neutronError(await h.call('POST', '/v2.0/networks', 'bob', { network: { name: 'x', 'router:external': true } }), 403, 'PolicyNotAuthorized');
    // Setting an admin-only attribute to its default is allowed, as `openstack network create --no-share` does.
    const unshared = await h.call('POST', '/v2.0/networks', 'bob', { network: { name: 'bob-net', shared: false, 'router:external': false } });
    assert.equal(unshared.status, 201, JSON.stringify(unshared.body));
    assert.equal((await h.call('DELETE', `/v2.0/networks/${unshared.body.network.id}`, 'bob')).status, 204);
    const message = neutronError(await h.call('POST', '/v2.0/subnets', 'bob', { subnet: { network_id: PRIVATE, cidr: '10.50.0.0/24', ip_version: 4 } }), 403, 'PolicyNotAuthorized');
    assert.equal(message, '(rule:create_subnet) is disallowed by policy');
    neutronError(await h.call('POST', '/v2.0/networks', 'carol', { network: { name: 'x' } }), 403, 'PolicyNotAuthorized');

    neutronError(await h.call('DELETE', `/v2.0/networks/${netId}`, 'alice'), 409, 'NetworkInUse');
    assert.equal((await h.call('DELETE', `/v2.0/ports/${port.id}`, 'alice')).status, 204);
    assert.equal((await h.call('DELETE', `/v2.0/networks/${netId}`, 'alice')).status, 204);
    neutronError(await h.call('GET', `/v2.0/subnets/${sub.body.subnet.id}`, 'alice'), 404, 'SubnetNotFound');
  });

  it('serves the extended port-binding API to admins, for compute ports only', async () => {
    const port = (await h.call('POST', '/v2.0/ports', 'alice', { port: { network_id: PRIVATE, device_id: 'vm-9', device_owner: 'compute:cell1' } })).body.port;
    const plain = (await h.call('POST', '/v2.0/ports', 'alice', { port: { network_id: PRIVATE } })).body.port;
    const b = `/v2.0/ports/${port.id}/bindings`;
    neutronError(await h.call('POST', b, 'alice', { binding: { host: 'h1' } }), 403, 'PolicyNotAuthorized');
    neutronError(await h.call('GET', b, 'bob'), 404, 'PortNotFound');
    neutronError(await h.call('POST', `/v2.0/ports/${plain.id}/bindings`, 'admin', { binding: { host: 'h1' } }), 400, 'BadRequest');
    neutronError(await h.call('POST', b, 'admin', { binding: {} }), 400, 'HTTPBadRequest');
    neutronError(await h.call('POST', b, 'admin', { binding: { host: 'h1', vif_type: 'ovs' } }), 400, 'HTTPBadRequest');

    const first = await h.call('POST', b, 'admin', { binding: { host: 'h1', profile: { migrating_to: 'h2' } } });
    assert.equal(first.status, 201);
    assert.deepEqual({ ...first.body.binding, vif_details: undefined }, { host: 'h1', status: 'ACTIVE', vif_type: 'ovs', vnic_type: 'normal', profile: { migrating_to: 'h2' }, vif_details: undefined });
    const second = await h.call('POST', b, 'admin', { binding: { host: 'h2', vnic_type: 'normal' } });
    assert.equal(second.body.binding.status, 'INACTIVE');
    neutronError(await h.call('POST', b, 'admin', { binding: { host: 'h2' } }), 409, 'PortBindingAlreadyExists');
    neutronError(await h.call('PUT', `${b}/h1/activate`, 'admin'), 409, 'PortBindingAlreadyActive');
    neutronError(await h.call('PUT', `${b}/h3/activate`, 'admin'), 404, 'PortBindingNotFound');
    const activated = await h.call('PUT', `${b}/h2/activate`, 'admin');
    assert.deepEqual([activated.status, activated.body.binding.host, activated.body.binding.status], [200, 'h2', 'ACTIVE']);
    assert.deepEqual((await h.call('GET', b, 'admin')).body.bindings.map((x: { host: string; status: string }) => `${x.host}:${x.status}`), ['h2:ACTIVE', 'h1:INACTIVE']);
    assert.equal((await h.call('GET', `/v2.0/ports/${port.id}`, 'admin')).body.port['binding:host_id'], 'h2');
    assert.equal((await h.call('GET', `${b}/h1`, 'admin')).body.binding.status, 'INACTIVE');
    assert.equal((await h.call('DELETE', `${b}/h1`, 'admin')).status, 204);
    neutronError(await h.call('DELETE', `${b}/h1`, 'admin'), 404, 'PortBindingNotFound');
    assert.deepEqual((await h.call('GET', b, 'admin')).body.bindings.map((x: { host: string }) => x.host), ['h2']);
  });

  it('serves tags on networks, subnets and ports', async () => {
    const port = (await h.call('POST', '/v2.0/ports', 'alice', { port: { network_id: PRIVATE } })).body.port;
    const t = `/v2.0/ports/${port.id}/tags`;
    assert.deepEqual((await h.call('PUT', t, 'alice', { tags: ['b', 'a'] })).body, { tags: ['a', 'b'] });
    assert.equal((await h.call('PUT', `${t}/c`, 'alice')).status, 201);
    assert.equal((await h.call('GET', `${t}/c`, 'alice')).status, 204);
    neutronError(await h.call('GET', `${t}/z`, 'alice'), 404, 'TagNotFound');
    assert.equal((await h.call('DELETE', `${t}/a`, 'alice')).status, 204);
    assert.deepEqual((await h.call('GET', t, 'alice')).body, { tags: ['b', 'c'] });
    neutronError(await h.call('PUT', t, 'bob', { tags: ['x'] }), 404, 'PortNotFound');
    neutronError(await h.call('PUT', `/v2.0/networks/${PRIVATE}/tags`, 'alice', { tags: ['x'] }), 403, 'PolicyNotAuthorized');
    neutronError(await h.call('PUT', t, 'alice', { tags: ['a/b'] }), 400, 'HTTPBadRequest');
    assert.equal((await h.call('PUT', `/v2.0/networks/${PRIVATE}/tags/shared-net`, 'admin')).status, 201);
    assert.deepEqual((await h.call('GET', `/v2.0/networks/${PRIVATE}/tags`, 'bob')).body, { tags: ['shared-net'] });
    neutronError(await h.call('GET', `/v2.0/routers/${PRIVATE}/tags`, 'admin'), 404, 'HTTPNotFound');
    assert.equal((await h.call('DELETE', t, 'alice')).status, 204);
    assert.deepEqual((await h.call('GET', `/v2.0/ports/${port.id}`, 'alice')).body.port.tags, []);
  });
});
