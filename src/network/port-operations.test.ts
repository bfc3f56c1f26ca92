import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { TesseraError } from '../common/errors.js';
import { defaultNetworkIds } from './default-network.js';
import { ADMIN, ALICE, BOB, CAROL, startNetworkRoutes, type RouteHarness } from './network-harness.test.js';

const hasType = (type: string, status: number) => (err: unknown) => {
  assert.ok(err instanceof TesseraError, String(err));
  assert.deepEqual([err.details?.['type'], err.status], [type, status], err.message);
  return true;
};

/**
 * Port operations through the service's operations (the layer under both the routes and the
 * client): address allocation from the pools, exhaustion, concurrent creates, and who may do what.
 */
describe('PortOperations', () => {
  let h: RouteHarness;
  const ops = () => h.service.operations;
  const { networkId: PRIVATE } = defaultNetworkIds('private');

  beforeEach(async () => {
    h = await startNetworkRoutes();
  });
  afterEach(async () => h.close());

  /** A network of ALICE's project with one /29 subnet: five addresses, .2 to .6. */
  async function smallNetwork(): Promise<{ networkId: string; subnetId: string }> {
    const network = await ops().networks.create(ALICE, { name: 'small' });
    const subnet = await ops().subnets.create(ALICE, { network_id: network.id, cidr: '192.168.7.0/29', ip_version: 4 });
    assert.deepEqual(subnet.allocation_pools, [{ start: '192.168.7.2', end: '192.168.7.6' }]);
    return { networkId: network.id, subnetId: subnet.id };
  }

  it('hands out the lowest free address, and an exhausted pool gives IpAddressGenerationFailure', async () => {
    const { networkId } = await smallNetwork();
    const ips: string[] = [];
    for (let i = 0; i < 5; i++) ips.push((await ops().ports.create(ALICE, { network_id: networkId })).fixed_ips[0]?.ip_address ?? '');
    assert.deepEqual(ips, ['192.168.7.2', '192.168.7.3', '192.168.7.4', '192.168.7.5', '192.168.7.6']);
    await assert.rejects(ops().ports.create(ALICE, { network_id: networkId }), (err: unknown) => {
      hasType('IpAddressGenerationFailure', 409)(err);
      assert.equal((err as Error).message, `No more IP addresses available on network ${networkId}.`);
      return true;
    });
    assert.equal((await ops().ports.list(ALICE, { network_id: [networkId] })).length, 5);
  });

  it('gives a deleted port\'s address to the next port', async () => {
    const { networkId } = await smallNetwork();
    const ports = [];
    for (let i = 0; i < 5; i++) ports.push(await ops().ports.create(ALICE, { network_id: networkId }));
    await ops().ports.delete(ALICE, ports[2]?.id ?? '');
    const next = await ops().ports.create(ALICE, { network_id: networkId });
    assert.equal(next.fixed_ips[0]?.ip_address, '192.168.7.4');
  });

  it('never gives one address to two ports created at the same moment, retrying the losers', async () => {
    const ports = await Promise.all(Array.from({ length: 40 }, (_, i) => ops().ports.create(ALICE, { network_id: PRIVATE, name: `c${i}` })));
    const ips = ports.map((p) => p.fixed_ips[0]?.ip_address);
    assert.equal(new Set(ips).size, 40, `duplicates in ${ips.join(' ')}`);
    const retries = h.logLines().filter((l) => l['msg'] === 'address or MAC taken by a concurrent create; choosing again');
    assert.ok(retries.length > 0, 'concurrent creates collided and were retried');
    const stored = (await ops().ports.list(ADMIN, { network_id: [PRIVATE] })).flatMap((p) => p.fixed_ips.map((ip) => ip.ip_address));
    assert.deepEqual([...stored].sort(), [...ips].sort());
  });

  it('fills an almost exhausted pool exactly when creates race for it', async () => {
    const { networkId } = await smallNetwork();
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => ops().ports.create(ALICE, { network_id: networkId })));
    const created = results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<{ fixed_ips: { ip_address: string }[] }>).value.fixed_ips[0]?.ip_address);
    const failed = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as unknown);
    assert.deepEqual([...created].sort(), ['192.168.7.2', '192.168.7.3', '192.168.7.4', '192.168.7.5', '192.168.7.6']);
    assert.equal(failed.length, 3);
    for (const err of failed) hasType('IpAddressGenerationFailure', 409)(err);
  });

  it('takes a requested address, and refuses one in use without retrying', async () => {
    const { networkId, subnetId } = await smallNetwork();
    const port = await ops().ports.create(ALICE, { network_id: networkId, fixed_ips: [{ ip_address: '192.168.7.5' }] });
    assert.deepEqual(port.fixed_ips, [{ subnet_id: subnetId, ip_address: '192.168.7.5' }]);
    await assert.rejects(ops().ports.create(ALICE, { network_id: networkId, fixed_ips: [{ subnet_id: subnetId, ip_address: '192.168.7.5' }] }), hasType('IpAddressAlreadyAllocated', 409));
    await assert.rejects(ops().ports.create(ALICE, { network_id: networkId, fixed_ips: [{ subnet_id: defaultNetworkIds('private').subnetId }] }), hasType('InvalidInput', 400));
    await assert.rejects(ops().ports.create(ALICE, { network_id: networkId, fixed_ips: [{ subnet_id: '00000000-0000-4000-8000-000000000000' }] }), hasType('SubnetNotFound', 404));
    assert.equal((await ops().ports.list(ALICE, { network_id: [networkId] })).length, 1);
  });

  it('generates Neutron-style MACs and takes a requested one once per network', async () => {
    const port = await ops().ports.create(ALICE, { network_id: PRIVATE });
    assert.match(port.mac_address, /^fa:16:3e(:[0-9a-f]{2}){3}$/);
    const mine = await ops().ports.create(ADMIN, { network_id: PRIVATE, mac_address: 'FA:16:3E:12:34:56' });
    assert.equal(mine.mac_address, 'fa:16:3e:12:34:56');
    await assert.rejects(ops().ports.create(ADMIN, { network_id: PRIVATE, mac_address: 'fa:16:3e:12:34:56' }), hasType('MacAddressInUse', 409));
    await assert.rejects(ops().ports.create(ADMIN, { network_id: PRIVATE, mac_address: '01:00:5e:00:00:01' }), hasType('HTTPBadRequest', 400));
    // The network's owner may choose a MAC; a member of another project on a shared network may not.
    await assert.rejects(ops().ports.create(ALICE, { network_id: PRIVATE, mac_address: 'fa:16:3e:12:34:57' }), hasType('PolicyNotAuthorized', 403));
  });

  it('shows binding details to admins only, and lets only admins bind', async () => {
    const port = await ops().ports.create(ALICE, { network_id: PRIVATE, device_id: 'vm-1', device_owner: 'compute:nova' });
    assert.equal('binding:host_id' in port, false);
    assert.equal(port['binding:vnic_type'], 'normal');
    await assert.rejects(ops().ports.update(ALICE, port.id, { 'binding:host_id': 'h1' }), hasType('PolicyNotAuthorized', 403));
    await assert.rejects(ops().ports.create(ALICE, { network_id: PRIVATE, 'binding:host_id': 'h1' }), hasType('PolicyNotAuthorized', 403));
    assert.equal((await ops().ports.create(ALICE, { network_id: PRIVATE, 'binding:host_id': '' })).status, 'DOWN');
    const bound = await ops().ports.update(ADMIN, port.id, { 'binding:host_id': 'h1' });
    assert.deepEqual([bound['binding:host_id'], bound['binding:vif_type'], bound.status], ['h1', 'ovs', 'ACTIVE']);
    const seen = await ops().ports.get(ALICE, port.id);
    assert.deepEqual([seen.status, 'binding:host_id' in seen, 'binding:profile' in seen], ['ACTIVE', false, false]);
    const unbound = await ops().ports.update(ADMIN, port.id, { device_id: '', device_owner: '', 'binding:host_id': null, 'binding:profile': {} });
    assert.deepEqual([unbound['binding:host_id'], unbound['binding:vif_type'], unbound.status, unbound.device_id], ['', 'unbound', 'DOWN', '']);
  });

  it('keeps projects apart: unseen ports are 404, readers may not write, network devices need the network owner', async () => {
    const port = await ops().ports.create(ALICE, { network_id: PRIVATE, name: 'alice-port' });
    await assert.rejects(ops().ports.get(BOB, port.id), hasType('PortNotFound', 404));
    await assert.rejects(ops().ports.update(BOB, port.id, { name: 'x' }), hasType('PortNotFound', 404));
    await assert.rejects(ops().ports.delete(BOB, port.id), hasType('PortNotFound', 404));
    assert.deepEqual((await ops().ports.list(BOB)).map((p) => p.id), []);
    assert.equal((await ops().ports.get(CAROL, port.id)).name, 'alice-port');
    await assert.rejects(ops().ports.update(CAROL, port.id, { name: 'x' }), hasType('PolicyNotAuthorized', 403));
    await assert.rejects(ops().ports.create(CAROL, { network_id: PRIVATE }), hasType('PolicyNotAuthorized', 403));
    await assert.rejects(ops().ports.create(ALICE, { network_id: PRIVATE, device_owner: 'network:dhcp' }), hasType('PolicyNotAuthorized', 403));
    await assert.rejects(ops().ports.create(BOB, { network_id: PRIVATE, project_id: 'project-a' }), hasType('PolicyNotAuthorized', 403));
    const { networkId } = await smallNetwork();
    await assert.rejects(ops().ports.create(BOB, { network_id: networkId }), hasType('NetworkNotFound', 404));
    assert.equal((await ops().ports.get(ALICE, port.id)).name, 'alice-port');
    assert.equal((await ops().ports.list(ADMIN)).length, 1);
  });
});
