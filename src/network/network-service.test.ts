import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { defaultNetworkIds } from './default-network.js';
import { ADMIN, ADMIN_PROJECT, ALICE, startNetwork } from './network-harness.test.js';

describe('NetworkService', () => {
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tessera-network-'));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('creates the shared default network once, with stable ids, and keeps it across restarts', async () => {
    const url = `sqlite:///${join(dir, 'restart.sqlite')}`;
    const ids = defaultNetworkIds('private');
    const first = await startNetwork({ databaseUrl: url });
    const networks = await first.service.client().listNetworks(ALICE);
    assert.deepEqual(networks.map((n) => [n.id, n.name, n.shared, n.project_id, n.subnets]), [[ids.networkId, 'private', true, ADMIN_PROJECT, [ids.subnetId]]]);
    assert.ok(first.logLines().some((l) => l['msg'] === 'default network created'));
    const port = await first.service.client().createPort(ALICE, { network_id: ids.networkId });
    await first.close();

    const second = await startNetwork({ databaseUrl: url });
    assert.deepEqual((await second.service.client().listNetworks(ADMIN)).map((n) => n.id), [ids.networkId]);
    assert.equal((await second.service.client().getPort(ALICE, port.id)).fixed_ips[0]?.ip_address, port.fixed_ips[0]?.ip_address);
    assert.equal(second.logLines().some((l) => l['msg'] === 'default network created'), false);
    await second.close();
  });

  it('does not bring a deleted default network back', async () => {
    const url = `sqlite:///${join(dir, 'deleted.sqlite')}`;
    const first = await startNetwork({ databaseUrl: url });
    await first.service.operations.networks.delete(ADMIN, defaultNetworkIds('private').networkId);
    await first.close();
    const second = await startNetwork({ databaseUrl: url });
    assert.deepEqual(await second.service.client().listNetworks(ADMIN), []);
    await second.close();
  });

  it('takes the default network\'s name, CIDR and MTU from [neutron]', async () => {
    const h = await startNetwork({ config: { neutron: { default_network_name: 'shared', default_subnet_cidr: '172.20.0.0/24', default_network_mtu: '1450' } } });
    const [network] = await h.service.client().listNetworks(ALICE);
    assert.deepEqual([network?.id, network?.name, network?.mtu], [defaultNetworkIds('shared').networkId, 'shared', 1450]);
    const [subnet] = await h.service.operations.subnets.list(ALICE);
    assert.deepEqual([subnet?.cidr, subnet?.gateway_ip, subnet?.allocation_pools], ['172.20.0.0/24', '172.20.0.1', [{ start: '172.20.0.2', end: '172.20.0.254' }]]);
    await h.close();
  });

  it('refuses to start with a default CIDR it could not serve', async () => {
    for (const cidr of ['172.20.0.1/24', '172.20.0.0/31']) {
      await assert.rejects(startNetwork({ config: { neutron: { default_subnet_cidr: cidr } } }), (err: unknown) => err instanceof Error && err.message.includes(cidr));
    }
  });
});
