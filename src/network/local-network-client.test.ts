import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { InjectedFaultError, TesseraError } from '../common/errors.js';
import { defaultNetworkIds } from './default-network.js';
import { NETWORK_CLIENT_OPERATIONS, type NetworkClient, type NetworkClientOperation } from './network-client.js';
import { ADMIN, ALICE, BOB, startNetwork, type NetworkHarness } from './network-harness.test.js';

const { networkId: PRIVATE } = defaultNetworkIds('private');
const hasType = (type: string, status: number) => (err: unknown) => err instanceof TesseraError && err.status === status && err.details?.['type'] === type;

describe('LocalNetworkClient', () => {
  let h: NetworkHarness;
  let client: NetworkClient;

  beforeEach(async () => {
    h = await startNetwork();
    client = h.service.client();
  });
  afterEach(async () => h.close());

  it('serves what Nova does with an instance\'s port: create, bind, find by device, move between hosts, unbind, delete', async () => {
    const visible = await client.listNetworks(ALICE);
    assert.deepEqual(visible.map((n) => n.name), ['private']);
    assert.deepEqual(await client.listNetworks(ALICE, { projectId: ALICE.projectId }), []);
    assert.deepEqual((await client.listNetworks(ALICE, { shared: true })).map((n) => n.id), [PRIVATE]);
    assert.equal((await client.getNetwork(ALICE, PRIVATE)).shared, true);

    const port = await client.createPort(ALICE, { network_id: PRIVATE, device_id: 'instance-1', device_owner: 'compute:cell1' });
    assert.equal(port.fixed_ips.length, 1);
    const bound = await client.updatePort(ADMIN, port.id, { 'binding:host_id': 'cell1-compute1' });
    assert.deepEqual([bound['binding:host_id'], bound.status], ['cell1-compute1', 'ACTIVE']);
    assert.deepEqual((await client.listPorts(ALICE, { deviceIds: ['instance-1'] })).map((p) => p.id), [port.id]);
    assert.deepEqual((await client.listPorts(ADMIN, { hostIds: ['cell1-compute1'] })).map((p) => p.id), [port.id]);

    const dest = await client.createPortBinding(ADMIN, port.id, { host: 'cell2-compute1' });
    assert.equal(dest.status, 'INACTIVE');
    await client.activatePortBinding(ADMIN, port.id, 'cell2-compute1');
    assert.equal((await client.getPort(ADMIN, port.id))['binding:host_id'], 'cell2-compute1');
    await client.deletePortBinding(ADMIN, port.id, 'cell1-compute1');
    assert.deepEqual((await client.listPortBindings(ADMIN, port.id)).map((b) => `${b.host}:${b.status}`), ['cell2-compute1:ACTIVE']);

    const unbound = await client.updatePort(ADMIN, port.id, { device_id: '', device_owner: '', 'binding:host_id': null, 'binding:profile': {} });
    assert.deepEqual([unbound.device_id, unbound['binding:host_id'], unbound.status], ['', '', 'DOWN']);
    await client.deletePort(ALICE, port.id);
    await assert.rejects(client.getPort(ALICE, port.id), hasType('PortNotFound', 404));
    assert.deepEqual(await client.listPorts(ADMIN, { deviceIds: ['instance-1'] }), []);
  });

  it('applies the caller\'s visibility and policy', async () => {
    const port = await client.createPort(ALICE, { network_id: PRIVATE, device_id: 'instance-1', device_owner: 'compute:nova' });
    await assert.rejects(client.getPort(BOB, port.id), hasType('PortNotFound', 404));
    const refused = h.logLines().find((l) => l['msg'] === 'network call refused');
    assert.deepEqual([refused?.['operation'], refused?.['port_id'], refused?.['code'], refused?.['request_id']], ['network.get_port', port.id, 'network.port_not_found', 'req-bob']);
    await assert.rejects(client.createPortBinding(ALICE, port.id, { host: 'h1' }), hasType('PolicyNotAuthorized', 403));
    assert.deepEqual(await client.listPorts(BOB, { deviceIds: ['instance-1'] }), []);
  });

  it('fails each operation on demand, once, before changing anything', async () => {
    const port = await client.createPort(ALICE, { network_id: PRIVATE, device_id: 'vm', device_owner: 'compute:nova' });
    await client.updatePort(ADMIN, port.id, { 'binding:host_id': 'h1' });
    await client.createPortBinding(ADMIN, port.id, { host: 'h2' });
    const calls: Record<NetworkClientOperation, () => Promise<unknown>> = {
      get_network: () => client.getNetwork(ALICE, PRIVATE),
      list_networks: () => client.listNetworks(ALICE),
      get_port: () => client.getPort(ALICE, port.id),
      list_ports: () => client.listPorts(ALICE, { deviceIds: ['vm'] }),
      create_port: () => client.createPort(ALICE, { network_id: PRIVATE }),
      update_port: () => client.updatePort(ALICE, port.id, { name: 'renamed' }),
      delete_port: () => client.deletePort(ALICE, port.id),
      list_port_bindings: () => client.listPortBindings(ADMIN, port.id),
      create_port_binding: () => client.createPortBinding(ADMIN, port.id, { host: 'h3' }),
      activate_port_binding: () => client.activatePortBinding(ADMIN, port.id, 'h2'),
      delete_port_binding: () => client.deletePortBinding(ADMIN, port.id, 'h2'),
    };
    assert.deepEqual(Object.keys(calls).sort(), [...NETWORK_CLIENT_OPERATIONS].sort());
    const state = async () => JSON.stringify([await client.listPorts(ADMIN), await client.listPortBindings(ADMIN, port.id)]);
    const before = await state();
    for (const operation of NETWORK_CLIENT_OPERATIONS) {
      h.faults.arm(`network.${operation}`);
      await assert.rejects(calls[operation](), (err: unknown) => err instanceof InjectedFaultError && err.message === `Injected failure in network.${operation}`, operation);
      assert.equal(await state(), before, `${operation} changed nothing when it failed`);
    }
    const logged = h.logLines().filter((l) => l['msg'] === 'network call failed' && l['code'] === 'fault.injected');
    assert.deepEqual(logged.map((l) => l['operation']), NETWORK_CLIENT_OPERATIONS.map((o) => `network.${o}`));
    assert.deepEqual(logged.map((l) => [l['request_id'], l['level']]).slice(0, 2), [['req-alice', 50], ['req-alice', 50]]);
    assert.equal(logged.find((l) => l['operation'] === 'network.delete_port_binding')?.['host'], 'h2');
    // Each fault fired once: every call works again.
    for (const operation of NETWORK_CLIENT_OPERATIONS.filter((o) => o !== 'delete_port')) await calls[operation]();
    assert.deepEqual((await client.listPortBindings(ADMIN, port.id)).map((b) => `${b.host}:${b.status}`), ['h1:INACTIVE', 'h3:INACTIVE']);
    await calls.delete_port();
    await assert.rejects(client.getPort(ALICE, port.id), hasType('PortNotFound', 404));
  });

  it('fails binding calls for one host only when the fault names it', async () => {
    const port = await client.createPort(ALICE, { network_id: PRIVATE, device_id: 'vm', device_owner: 'compute:nova' });
    h.faults.arm('network.create_port_binding', { host: 'h2', times: Infinity });
    await client.createPortBinding(ADMIN, port.id, { host: 'h1' });
    await assert.rejects(client.createPortBinding(ADMIN, port.id, { host: 'h2' }), InjectedFaultError);
    await assert.rejects(client.createPortBinding(ADMIN, port.id, { host: 'h2' }), InjectedFaultError);
    await client.createPortBinding(ADMIN, port.id, { host: 'h3' });
    h.faults.disarm();
    await client.createPortBinding(ADMIN, port.id, { host: 'h2' });
    assert.equal((await client.listPortBindings(ADMIN, port.id)).length, 3);
  });
});
