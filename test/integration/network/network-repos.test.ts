/**
 * The network service's repositories and operations on each dialect (SQLite in memory, SQLite
 * in a file, PostgreSQL): the schema, its constraints (one address per subnet, one active
 * binding per port, cascades), and allocation under concurrent creates, which on PostgreSQL
 * really run in parallel on separate connections.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ManualClock } from '../../../src/common/clock.js';
import { TesseraError } from '../../../src/common/errors.js';
import type { RandomIdGenerator } from '../../../src/common/ids.js';
import { silentLogger } from '../../../src/common/logger.js';
import type { RequestContext } from '../../../src/common/request-context.js';
import type { Database } from '../../../src/db/connection.js';
import { migrateToLatest } from '../../../src/db/migrator.js';
import { networkMigrations } from '../../../src/network/network-migrations.js';
import { NetworkOperations } from '../../../src/network/network-operations.js';
import { networkRuleDefaults } from '../../../src/network/network-policy-rules.js';
import { NetworkRepo } from '../../../src/network/network-repo.js';
import type { NetworkSchema } from '../../../src/network/network-schema.js';
import { PortBindingOperations } from '../../../src/network/port-binding-operations.js';
import { PortBindingRepo } from '../../../src/network/port-binding-repo.js';
import { PortOperations } from '../../../src/network/port-operations.js';
import { PortRepo } from '../../../src/network/port-repo.js';
import { SubnetOperations } from '../../../src/network/subnet-operations.js';
import { SubnetRepo } from '../../../src/network/subnet-repo.js';
import { allRuleDefaults, PolicyEngine } from '../../../src/policy/index.js';
import { describeEachDialect } from '../db/describe-each-dialect.js';
import { dialectTargets } from '../db/dialect-targets.js';

const targets = await dialectTargets();
const policy = await PolicyEngine.create({ defaults: [...allRuleDefaults(), ...networkRuleDefaults] });
const ADMIN: RequestContext = { requestId: 'req-admin', userId: 'admin', projectId: 'admin-project', roles: ['admin', 'member', 'reader'], isAdmin: true };
const MEMBER: RequestContext = { requestId: 'req-member', userId: 'alice', projectId: 'project-a', roles: ['member', 'reader'], isAdmin: false };
const hasType = (type: string, status: number) => (err: unknown) => err instanceof TesseraError && err.status === status && err.details?.['type'] === type;

function makeStack({ database, clock, ids }: { database: Database<NetworkSchema>; clock: ManualClock; ids: RandomIdGenerator }) {
  const { db, dialect } = database;
  const networks = new NetworkRepo({ db, clock, dialect });
  const subnets = new SubnetRepo({ db, clock, dialect });
  const portRepo = new PortRepo({ db, clock, dialect });
  const bindingRepo = new PortBindingRepo({ db, clock, dialect });
  const logger = silentLogger();
  const ports = new PortOperations({ networks, subnets, ports: portRepo, policy, ids, logger });
  return {
    db,
    portRepo,
    networks: new NetworkOperations({ networks, policy, ids, logger, defaultMtu: 1500 }),
    subnets: new SubnetOperations({ networks, subnets, policy, ids, logger }),
    ports,
    bindings: new PortBindingOperations({ ports, bindings: bindingRepo, policy, logger }),
  };
}

describeEachDialect<NetworkSchema, ReturnType<typeof makeStack>>(
  targets,
  { title: 'network database', prefix: 'network', migrations: networkMigrations, repos: makeStack },
  (h) => {
    async function network(cidr: string, shared = false) {
      const net = await h().repos.networks.create(ADMIN, { name: `net-${cidr}`, shared });
      const subnet = await h().repos.subnets.create(ADMIN, { network_id: net.id, cidr, ip_version: 4 });
      return { networkId: net.id, subnetId: subnet.id };
    }

    it('migrates to the latest schema, and migrating again applies nothing', async () => {
      assert.deepEqual(h().migrated.first, networkMigrations.map((m) => m.name));
      assert.deepEqual(h().migrated.second, []);
      assert.deepEqual(await migrateToLatest(h().database, networkMigrations), []);
    });

    it('stores and reads back networks, subnets and ports with their types intact', async () => {
      const { networkId, subnetId } = await network('10.10.0.0/24');
      const port = await h().repos.ports.create(ADMIN, { network_id: networkId, name: 'p', device_id: 'vm', device_owner: 'compute:nova', 'binding:host_id': 'h1', 'binding:profile': { k: ['v'] }, tags: ['t2', 't1'] });
      assert.deepEqual(port.fixed_ips, [{ subnet_id: subnetId, ip_address: '10.10.0.2' }]);
      assert.deepEqual([port.admin_state_up, port.status, port.revision_number, port['binding:profile'], port.tags], [true, 'ACTIVE', 1, { k: ['v'] }, ['t1', 't2']]);
      const net = await h().repos.networks.get(ADMIN, networkId);
      assert.deepEqual([net.shared, net.mtu, net.subnets, net.admin_state_up], [false, 1500, [subnetId], true]);
      assert.equal(typeof net.revision_number, 'number');
      const listed = await h().repos.ports.list(ADMIN, { fixed_ips: { ip_address: ['10.10.0.2'] }, tags: { tags: ['t1'] } });
      assert.deepEqual(listed.map((p) => p.id), [port.id]);
    });

    it('refuses a second holder of an address, and a second active binding, at the database', async () => {
      const { networkId, subnetId } = await network('10.11.0.0/24');
      const port = await h().repos.ports.create(ADMIN, { network_id: networkId, device_owner: 'compute:nova' });
      const taken = port.fixed_ips[0]?.ip_address ?? '';
      await assert.rejects(
        h().repos.portRepo.create({ id: h().ids.uuid(), network_id: networkId, project_id: 'p', mac_address: 'fa:16:3e:99:99:99', admin_state_up: true, fixed_ips: [{ subnet_id: subnetId, ip_address: taken }], binding: { host: '', vnic_type: 'normal', profile: {} } }),
        hasType('IpAddressAlreadyAllocated', 409),
      );
      await assert.rejects(
        h().repos.db.insertInto('port_bindings').values({ port_id: port.id, host: 'other', status: 'ACTIVE', vif_type: 'ovs', vnic_type: 'normal', profile: '{}', vif_details: '{}' }).execute(),
      );
      assert.equal((await h().repos.ports.list(ADMIN, { network_id: [networkId] })).length, 1);
    });

    it('hands distinct addresses to concurrent creates and fills a small pool exactly', async () => {
      const big = await network('10.12.0.0/24', true);
      const ports = await Promise.all(Array.from({ length: 30 }, () => h().repos.ports.create(MEMBER, { network_id: big.networkId })));
      const addresses = ports.map((p) => p.fixed_ips[0]?.ip_address);
      assert.equal(new Set(addresses).size, 30, addresses.join(' '));

      const small = await network('10.13.0.0/29', true);
      const results = await Promise.allSettled(Array.from({ length: 9 }, () => h().repos.ports.create(MEMBER, { network_id: small.networkId })));
      const ok = results.filter((r) => r.status === 'fulfilled');
      assert.equal(ok.length, 5);
      for (const r of results) if (r.status === 'rejected') assert.ok(hasType('IpAddressGenerationFailure', 409)(r.reason), String(r.reason));
      const stored = (await h().repos.ports.list(ADMIN, { network_id: [small.networkId] })).map((p) => p.fixed_ips[0]?.ip_address).sort();
      assert.deepEqual(stored, ['10.13.0.2', '10.13.0.3', '10.13.0.4', '10.13.0.5', '10.13.0.6']);
    });

    it('moves a port between hosts with bindings, and keeps one active binding when activations race', async () => {
      const { networkId } = await network('10.14.0.0/24');
      const port = await h().repos.ports.create(ADMIN, { network_id: networkId, device_owner: 'compute:nova', 'binding:host_id': 'src' });
      for (const host of ['d1', 'd2', 'd3']) assert.equal((await h().repos.bindings.create(ADMIN, port.id, { host })).status, 'INACTIVE');
      const results = await Promise.allSettled(['d1', 'd2', 'd3', 'd1'].map((host) => h().repos.bindings.activate(ADMIN, port.id, host)));
      assert.ok(results.some((r) => r.status === 'fulfilled'));
      for (const r of results) if (r.status === 'rejected') assert.ok(hasType('PortBindingAlreadyActive', 409)(r.reason), String(r.reason));
      const bindings = await h().repos.bindings.list(ADMIN, port.id);
      const active = bindings.filter((b) => b.status === 'ACTIVE');
      assert.equal(active.length, 1);
      assert.equal(bindings.length, 4);
      assert.equal((await h().repos.ports.get(ADMIN, port.id))['binding:host_id'], active[0]?.host);
    });

    it('gives a MAC to one of two ports updated to it at once, refusing the other with 409', async () => {
      const { networkId } = await network('10.16.0.0/24');
      const [a, b] = await Promise.all([h().repos.ports.create(ADMIN, { network_id: networkId }), h().repos.ports.create(ADMIN, { network_id: networkId })]);
      const mac = 'fa:16:3e:ab:cd:ef';
      const results = await Promise.allSettled([a, b].map((p) => h().repos.ports.update(ADMIN, p?.id ?? '', { mac_address: mac })));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      const refused = results.find((r) => r.status === 'rejected');
      assert.ok(refused !== undefined && hasType('MacAddressInUse', 409)(refused.reason), String(refused?.status === 'rejected' ? refused.reason : ''));
      assert.deepEqual((await h().repos.ports.list(ADMIN, { mac_address: [mac] })).length, 1);
    });

    it('releases addresses and bindings with the port, and subnets with the network', async () => {
      const { networkId, subnetId } = await network('10.15.0.0/24');
      const port = await h().repos.ports.create(ADMIN, { network_id: networkId, device_owner: 'compute:nova', 'binding:host_id': 'h' });
      await h().repos.bindings.create(ADMIN, port.id, { host: 'h2' });
      await assert.rejects(h().repos.networks.delete(ADMIN, networkId), hasType('NetworkInUse', 409));
      await h().repos.ports.delete(ADMIN, port.id);
      const left = async (table: 'ip_allocations' | 'port_bindings') => (await h().repos.db.selectFrom(table).select('port_id').where('port_id', '=', port.id).execute()).length;
      assert.deepEqual([await left('ip_allocations'), await left('port_bindings')], [0, 0]);
      await h().repos.networks.delete(ADMIN, networkId);
      await assert.rejects(h().repos.subnets.get(ADMIN, subnetId), hasType('SubnetNotFound', 404));
    });
  },
);
