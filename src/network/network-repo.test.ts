import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../common/clock.js';
import { TesseraError } from '../common/errors.js';
import { openDatabase, type Database } from '../db/connection.js';
import { migrateToLatest } from '../db/migrator.js';
import { networkMigrations } from './network-migrations.js';
import { NetworkRepo } from './network-repo.js';
import type { NetworkSchema } from './network-schema.js';
import type { NetworkViewer } from './network-viewer.js';
import { PortRepo } from './port-repo.js';
import { resourceTags } from './resource-tag-repo.js';
import { SubnetRepo } from './subnet-repo.js';

const A: NetworkViewer = { projectId: 'project-a', isAdmin: false };
const B: NetworkViewer = { projectId: 'project-b', isAdmin: false };
const ADMIN: NetworkViewer = { projectId: 'admin-project', isAdmin: true };
const uuid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const hasType = (type: string, status: number) => (err: unknown) => err instanceof TesseraError && err.status === status && err.details?.['type'] === type;

describe('NetworkRepo and SubnetRepo', () => {
  let database: Database<NetworkSchema>;
  let networks: NetworkRepo;
  let subnets: SubnetRepo;
  let ports: PortRepo;
  let clock: ManualClock;

  before(async () => {
    database = openDatabase<NetworkSchema>('sqlite://');
    await migrateToLatest(database as Database<unknown>, networkMigrations);
  });
  after(async () => database.close());
  beforeEach(async () => {
    for (const table of ['resource_tags', 'port_bindings', 'ip_allocations', 'ports', 'subnets', 'networks'] as const) await database.db.deleteFrom(table).execute();
    clock = new ManualClock(new Date('2026-11-24T10:00:00Z'));
    networks = new NetworkRepo({ db: database.db, clock, dialect: 'sqlite' });
    subnets = new SubnetRepo({ db: database.db, clock, dialect: 'sqlite' });
    ports = new PortRepo({ db: database.db, clock, dialect: 'sqlite' });
  });

  async function net(n: number, values: Partial<Parameters<NetworkRepo['create']>[0]> = {}) {
    clock.advance(1000);
    await networks.create({ id: uuid(n), name: `net-${n}`, project_id: 'project-a', mtu: 1500, ...values });
    return networks.get(uuid(n));
  }

  async function sub(n: number, network: number, cidr: string) {
    clock.advance(1000);
    const first = cidr.replace(/\.0\/\d+$/, '');
    return subnets.create({ id: uuid(n), network_id: uuid(network), project_id: 'project-a', cidr, gateway_ip: `${first}.1`, allocation_pools: [{ start: `${first}.2`, end: `${first}.9` }] });
  }

  it('stores and decodes a network, with its subnets in creation order and its tags', async () => {
    await net(1, { shared: true, router_external: false, admin_state_up: false, description: 'd', mtu: 1450, tags: ['b', 'a', 'b'] });
    await sub(11, 1, '10.1.0.0/24');
    await sub(12, 1, '10.2.0.0/24');
    const network = await networks.get(uuid(1));
    assert.deepEqual(
      { ...network, created_at: undefined, updated_at: undefined },
      {
        id: uuid(1), name: 'net-1', description: 'd', project_id: 'project-a', status: 'ACTIVE', admin_state_up: false, shared: true,
        router_external: false, mtu: 1450, revision_number: 1, subnet_ids: [uuid(11), uuid(12)], tags: ['a', 'b'], created_at: undefined, updated_at: undefined,
      },
    );
    assert.equal(network.created_at, '2026-11-24T10:00:01.000Z');
    const subnet = await subnets.get(uuid(11));
    assert.deepEqual(subnet.allocation_pools, [{ start: '10.1.0.2', end: '10.1.0.9' }]);
    assert.equal(subnet.gateway_ip, '10.1.0.1');
    assert.equal(subnet.enable_dhcp, true);
  });

  it('shows a member their project\'s, shared and external networks, and an admin all of them', async () => {
    await net(1, { project_id: 'project-a' });
    await net(2, { project_id: 'project-b' });
    await net(3, { project_id: 'project-b', shared: true });
    await net(4, { project_id: 'project-b', router_external: true });
    await sub(21, 2, '10.2.0.0/24');
    await sub(23, 3, '10.3.0.0/24');
    const ids = async (viewer: NetworkViewer) => (await networks.list({}, viewer)).map((n) => n.id);
    assert.deepEqual(await ids(A), [uuid(1), uuid(3), uuid(4)]);
    assert.deepEqual(await ids(B), [uuid(2), uuid(3), uuid(4)]);
    assert.deepEqual(await ids(ADMIN), [uuid(1), uuid(2), uuid(3), uuid(4)]);
    await assert.rejects(networks.get(uuid(2), { viewer: A }), (err: unknown) => {
      assert.ok(hasType('NetworkNotFound', 404)(err));
      assert.equal((err as Error).message, `Network ${uuid(2)} could not be found.`);
      return true;
    });
    assert.deepEqual((await subnets.list({}, A)).map((s) => s.id), [uuid(23)]);
    await assert.rejects(subnets.get(uuid(21), { viewer: A }), hasType('SubnetNotFound', 404));
    assert.equal((await subnets.get(uuid(21), { viewer: B })).id, uuid(21));
  });

  it('filters networks and subnets as Neutron does', async () => {
    await net(1, { name: 'blue', shared: true, tags: ['x', 'y'] });
    await net(2, { name: 'red', project_id: 'project-b', tags: ['x'] });
    await net(3, { name: '', mtu: 9000 });
    await sub(11, 1, '10.1.0.0/24');
    await sub(12, 2, '10.2.0.0/24');
    const ids = async (filter: Parameters<NetworkRepo['list']>[0]) => (await networks.list(filter, ADMIN)).map((n) => n.id);
    assert.deepEqual(await ids({ name: ['blue', 'red'] }), [uuid(1), uuid(2)]);
    assert.deepEqual(await ids({ name: [''] }), [uuid(3)]);
    assert.deepEqual(await ids({ name: [] }), []);
    assert.deepEqual(await ids({ shared: false }), [uuid(2), uuid(3)]);
    assert.deepEqual(await ids({ project_id: ['project-b'] }), [uuid(2)]);
    assert.deepEqual(await ids({ mtu: [9000] }), [uuid(3)]);
    assert.deepEqual(await ids({ tags: { tags: ['x', 'y'] } }), [uuid(1)]);
    assert.deepEqual(await ids({ tags: { tagsAny: ['y', 'x'] } }), [uuid(1), uuid(2)]);
    assert.deepEqual(await ids({ tags: { notTags: ['x', 'y'] } }), [uuid(2), uuid(3)]);
    assert.deepEqual(await ids({ tags: { notTagsAny: ['y'] } }), [uuid(2), uuid(3)]);
    const subnetIds = async (filter: Parameters<SubnetRepo['list']>[0]) => (await subnets.list(filter, ADMIN)).map((s) => s.id);
    assert.deepEqual(await subnetIds({ network_id: [uuid(2)] }), [uuid(12)]);
    assert.deepEqual(await subnetIds({ cidr: ['10.1.0.0/24'] }), [uuid(11)]);
    assert.deepEqual(await subnetIds({ gateway_ip: ['10.2.0.1'], ip_version: [4] }), [uuid(12)]);
  });

  it('refuses a subnet that overlaps another of the same network, but not of another network', async () => {
    await net(1);
    await net(2);
    await sub(11, 1, '10.1.0.0/24');
    await assert.rejects(
      subnets.create({ id: uuid(12), network_id: uuid(1), project_id: 'p', cidr: '10.1.0.128/25', gateway_ip: null, allocation_pools: [] }),
      (err: unknown) => {
        assert.ok(hasType('InvalidInput', 400)(err));
        assert.match((err as Error).message, /overlaps with another subnet/);
        return true;
      },
    );
    await sub(21, 2, '10.1.0.0/24');
    await assert.rejects(subnets.create({ id: uuid(13), network_id: uuid(9), project_id: 'p', cidr: '10.9.0.0/24', gateway_ip: null, allocation_pools: [] }), hasType('NetworkNotFound', 404));
    assert.deepEqual((await subnets.list()).map((s) => s.id), [uuid(11), uuid(21)]);
  });

  it('refuses to delete a network or subnet with a port on it, and changes nothing', async () => {
    await net(1, { tags: ['keep'] });
    await sub(11, 1, '10.1.0.0/24');
    await ports.create({ id: uuid(100), network_id: uuid(1), project_id: 'project-a', mac_address: 'fa:16:3e:00:00:01', admin_state_up: true, fixed_ips: [{ subnet_id: uuid(11), ip_address: '10.1.0.2' }], binding: { host: '', vnic_type: 'normal', profile: {} } });
    await assert.rejects(networks.delete(uuid(1)), hasType('NetworkInUse', 409));
    await assert.rejects(subnets.delete(uuid(11)), hasType('SubnetInUse', 409));
    assert.deepEqual((await networks.get(uuid(1))).subnet_ids, [uuid(11)]);
    assert.deepEqual((await networks.get(uuid(1))).tags, ['keep']);
    await ports.delete(uuid(100));
    await subnets.delete(uuid(11));
    assert.deepEqual((await networks.get(uuid(1))).subnet_ids, []);
    await assert.rejects(subnets.delete(uuid(11)), hasType('SubnetNotFound', 404));
  });

  it('deletes a network with its subnets and every tag', async () => {
    await net(1, { tags: ['t'] });
    await sub(11, 1, '10.1.0.0/24');
    await resourceTags.add(database.db, 'subnets', uuid(11), 'st');
    await networks.delete(uuid(1));
    assert.equal(await networks.find(uuid(1)), undefined);
    assert.deepEqual(await subnets.list(), []);
    assert.deepEqual(await database.db.selectFrom('resource_tags').selectAll().execute(), []);
    await assert.rejects(networks.delete(uuid(1)), hasType('NetworkNotFound', 404));
    assert.equal(await networks.isEmpty(), true);
  });

  it('refuses a second network with the same id', async () => {
    await net(1);
    await assert.rejects(networks.create({ id: uuid(1), project_id: 'p', mtu: 1500 }), (err: unknown) => err instanceof TesseraError && err.status === 409);
  });
});
