/**
 * Two network services on one PostgreSQL database stand for two processes: only the database's
 * constraints and transactions keep them from handing out an address twice or seeding the
 * default network twice.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TesseraError } from '../../../src/common/errors.js';
import { RandomIdGenerator } from '../../../src/common/ids.js';
import { ManualClock } from '../../../src/common/clock.js';
import { silentLogger } from '../../../src/common/logger.js';
import type { RequestContext } from '../../../src/common/request-context.js';
import { parseConfigText } from '../../../src/config/index.js';
import { NetworkService, defaultNetworkIds, networkRuleDefaults } from '../../../src/network/index.js';
import { allRuleDefaults, PolicyEngine } from '../../../src/policy/index.js';
import { createTempDatabase, postgresSkipReason, type TempDatabase } from '../../fixtures/postgres.js';

const ADMIN: RequestContext = { requestId: 'req-admin', userId: 'admin', projectId: 'admin-project', roles: ['admin', 'member', 'reader'], isAdmin: true };
const MEMBER: RequestContext = { requestId: 'req-member', userId: 'alice', projectId: 'project-a', roles: ['member', 'reader'], isAdmin: false };

describe('network services sharing one PostgreSQL database', { skip: await postgresSkipReason() }, () => {
  let scratch: TempDatabase | undefined;
  let one: NetworkService;
  let two: NetworkService;

  before(async () => {
    scratch = await createTempDatabase('network_shared');
    const policy = await PolicyEngine.create({ defaults: [...allRuleDefaults(), ...networkRuleDefaults] });
    const deps = { config: parseConfigText('', 'test'), clock: new ManualClock(), ids: new RandomIdGenerator(), logger: silentLogger(), policy, defaultNetworkProjectId: 'admin-project', databaseUrl: scratch.url };
    // Started together, as two processes of a fresh deployment would be.
    [one, two] = await Promise.all([NetworkService.create(deps), NetworkService.create(deps)]);
  });
  after(async () => {
    await one?.close();
    await two?.close();
    await scratch?.drop();
  });

  it('seeds the default network once', async () => {
    const networks = await one.client().listNetworks(ADMIN);
    assert.deepEqual(networks.map((n) => n.id), [defaultNetworkIds('private').networkId]);
    assert.deepEqual((await two.operations.subnets.list(ADMIN)).map((s) => s.id), [defaultNetworkIds('private').subnetId]);
  });

  it('never gives one address to two ports created through different services at once', async () => {
    const network = defaultNetworkIds('private').networkId;
    const ports = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? one : two).client().createPort(MEMBER, { network_id: network })));
    const addresses = ports.map((p) => p.fixed_ips[0]?.ip_address);
    assert.equal(new Set(addresses).size, 40, addresses.join(' '));
    assert.equal((await two.client().listPorts(ADMIN, { networkIds: [network] })).length, 40);
  });

  it('fills a small pool exactly when both services race for it', async () => {
    const net = await one.operations.networks.create(ADMIN, { name: 'tiny', shared: true });
    await one.operations.subnets.create(ADMIN, { network_id: net.id, cidr: '192.168.99.0/29', ip_version: 4 });
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? one : two).client().createPort(MEMBER, { network_id: net.id })));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 5);
    for (const r of results) {
      if (r.status === 'rejected') assert.ok(r.reason instanceof TesseraError && r.reason.details?.['type'] === 'IpAddressGenerationFailure', String(r.reason));
    }
  });

  it('never leaves a port on a network deleted while it was being created', async () => {
    for (let round = 0; round < 5; round++) {
      const net = await one.operations.networks.create(ADMIN, { name: `race-${round}` });
      await one.operations.subnets.create(ADMIN, { network_id: net.id, cidr: `172.30.${round}.0/24`, ip_version: 4 });
      const [created, deleted] = await Promise.allSettled([two.client().createPort(ADMIN, { network_id: net.id }), one.operations.networks.delete(ADMIN, net.id)]);
      const ports = await one.client().listPorts(ADMIN, { networkIds: [net.id] });
      if (deleted.status === 'fulfilled') {
        assert.equal(created.status, 'rejected', 'the network is gone, so the port cannot exist');
        assert.deepEqual(ports, []);
      } else {
        assert.equal(created.status, 'fulfilled');
        assert.ok(deleted.reason instanceof TesseraError && deleted.reason.details?.['type'] === 'NetworkInUse', String(deleted.reason));
        assert.equal(ports.length, 1);
      }
    }
  });
});
