import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../common/clock.js';
import { TesseraError } from '../common/errors.js';
import { openDatabase, type Database } from '../db/connection.js';
import { migrateToLatest } from '../db/migrator.js';
import { parseIpv4 } from './ipv4.js';
import { networkMigrations } from './network-migrations.js';
import { NetworkRepo } from './network-repo.js';
import type { NetworkSchema } from './network-schema.js';
import type { NetworkViewer } from './network-viewer.js';
import { PortRepo, type NewPort } from './port-repo.js';
import { SubnetRepo } from './subnet-repo.js';

const uuid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const NET = uuid(1);
const OTHER_NET = uuid(2);
const SUBNET = uuid(11);
const A: NetworkViewer = { projectId: 'project-a', isAdmin: false };
const B: NetworkViewer = { projectId: 'project-b', isAdmin: false };
const hasType = (type: string, status: number) => (err: unknown) => err instanceof TesseraError && err.status === status && err.details?.['type'] === type;

describe('PortRepo', () => {
  let database: Database<NetworkSchema>;
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
    const networks = new NetworkRepo({ db: database.db, clock, dialect: 'sqlite' });
    const subnets = new SubnetRepo({ db: database.db, clock, dialect: 'sqlite' });
    ports = new PortRepo({ db: database.db, clock, dialect: 'sqlite' });
    await networks.create({ id: NET, project_id: 'project-b', mtu: 1500 });
    await networks.create({ id: OTHER_NET, project_id: 'project-b', mtu: 1500 });
    await subnets.create({ id: SUBNET, network_id: NET, project_id: 'project-b', cidr: '10.0.0.0/24', gateway_ip: '10.0.0.1', allocation_pools: [{ start: '10.0.0.2', end: '10.0.0.254' }] });
  });

  function add(n: number, values: Partial<NewPort> = {}) {
    clock.advance(1000);
    return ports.create({
      id: uuid(100 + n),
      network_id: NET,
      project_id: 'project-a',
      mac_address: `fa:16:3e:00:00:${String(n).padStart(2, '0')}`,
      admin_state_up: true,
      fixed_ips: [{ subnet_id: SUBNET, ip_address: `10.0.0.${n + 1}` }],
      binding: { host: '', vnic_type: 'normal', profile: {} },
      ...values,
    });
  }

  const count = async (table: 'ports' | 'ip_allocations' | 'port_bindings') => (await database.db.selectFrom(table).selectAll().execute()).length;

  it('stores a port with its addresses in order and an unbound active binding', async () => {
    const port = await add(1, { fixed_ips: [{ subnet_id: SUBNET, ip_address: '10.0.0.9' }, { subnet_id: SUBNET, ip_address: '10.0.0.4' }], device_id: 'vm', device_owner: 'compute:nova', tags: ['t'] });
    assert.deepEqual(port.fixed_ips, [{ subnet_id: SUBNET, ip_address: '10.0.0.9' }, { subnet_id: SUBNET, ip_address: '10.0.0.4' }]);
    assert.equal(port.status, 'DOWN');
    assert.deepEqual(port.binding, { port_id: port.id, host: '', status: 'ACTIVE', vif_type: 'unbound', vnic_type: 'normal', profile: {}, vif_details: {} });
    assert.equal(port.device_owner, 'compute:nova');
    assert.deepEqual(port.tags, ['t']);
    assert.equal(port.revision_number, 1);
    assert.equal(port.created_at, '2026-11-24T10:00:01.000Z');
    const bound = await add(2, { binding: { host: 'h1', vnic_type: 'direct', profile: { pci_slot: '0000:81:00.1' } } });
    assert.equal(bound.status, 'ACTIVE');
    assert.equal(bound.binding.vif_type, 'ovs');
    assert.equal(bound.binding.vif_details['bridge_name'], 'br-int');
    assert.deepEqual(bound.binding.profile, { pci_slot: '0000:81:00.1' });
  });

  it('refuses an address another port holds, writing nothing', async () => {
    await add(1);
    await assert.rejects(add(2, { fixed_ips: [{ subnet_id: SUBNET, ip_address: '10.0.0.50' }, { subnet_id: SUBNET, ip_address: '10.0.0.2' }] }), (err: unknown) => {
      assert.ok(hasType('IpAddressAlreadyAllocated', 409)(err));
      assert.equal((err as TesseraError).details?.['ip_address'], '10.0.0.2');
      return true;
    });
    assert.deepEqual([await count('ports'), await count('ip_allocations'), await count('port_bindings')], [1, 1, 1]);
    assert.equal(await ports.find(uuid(102)), undefined);
  });

  it('keeps MAC addresses unique per network only', async () => {
    await add(1);
    await assert.rejects(add(2, { mac_address: 'fa:16:3e:00:00:01' }), hasType('MacAddressInUse', 409));
    await add(3, { mac_address: 'fa:16:3e:00:00:01', network_id: OTHER_NET, fixed_ips: [] });
    assert.equal(await count('ports'), 2);
  });

  it('refuses a port on a network or subnet that does not exist', async () => {
    await assert.rejects(add(1, { network_id: uuid(9), fixed_ips: [] }), hasType('NetworkNotFound', 404));
    await assert.rejects(add(2, { fixed_ips: [{ subnet_id: uuid(19), ip_address: '10.0.0.5' }] }), hasType('SubnetNotFound', 404));
    assert.equal(await count('ports'), 0);
  });

  it('releases the addresses and bindings of a deleted port', async () => {
    await add(1);
    await ports.delete(uuid(101));
    assert.deepEqual([await count('ports'), await count('ip_allocations'), await count('port_bindings')], [0, 0, 0]);
    assert.equal((await add(2, { fixed_ips: [{ subnet_id: SUBNET, ip_address: '10.0.0.2' }] })).fixed_ips[0]?.ip_address, '10.0.0.2');
    await assert.rejects(ports.delete(uuid(101)), hasType('PortNotFound', 404));
    assert.deepEqual(await ports.allocatedAddresses([SUBNET]), new Map([[SUBNET, new Set([parseIpv4('10.0.0.2')])]]));
  });

  it('shows a member their project\'s ports and the ports on networks their project owns', async () => {
    await add(1, { project_id: 'project-a' });
    await add(2, { project_id: 'project-c' });
    assert.deepEqual((await ports.list({}, A)).map((p) => p.id), [uuid(101)]);
    // project-b owns the network, so it sees every port on it.
    assert.deepEqual((await ports.list({}, B)).map((p) => p.id), [uuid(101), uuid(102)]);
    await assert.rejects(ports.get(uuid(102), { viewer: A }), hasType('PortNotFound', 404));
  });

  it('filters by device, owner, addresses, host and more, each list matching any value', async () => {
    await add(1, { device_id: 'vm-1', device_owner: 'compute:nova', name: 'one' });
    await add(2, { device_id: 'vm-2', device_owner: 'compute:cell2', binding: { host: 'h2', vnic_type: 'normal', profile: {} } });
    await add(3, { device_id: '', device_owner: 'network:dhcp', admin_state_up: false, fixed_ips: [] });
    const ids = async (filter: Parameters<PortRepo['list']>[0]) => (await ports.list(filter)).map((p) => p.id);
    assert.deepEqual(await ids({ device_id: ['vm-1', 'vm-2'] }), [uuid(101), uuid(102)]);
    assert.deepEqual(await ids({ device_id: [''] }), [uuid(103)]);
    assert.deepEqual(await ids({ device_owner: ['compute:cell2'] }), [uuid(102)]);
    assert.deepEqual(await ids({ host_id: ['h2'] }), [uuid(102)]);
    assert.deepEqual(await ids({ host_id: [''] }), [uuid(101), uuid(103)]);
    assert.deepEqual(await ids({ status: ['ACTIVE'] }), [uuid(102)]);
    assert.deepEqual(await ids({ admin_state_up: false }), [uuid(103)]);
    assert.deepEqual(await ids({ fixed_ips: { ip_address: ['10.0.0.3'] } }), [uuid(102)]);
    assert.deepEqual(await ids({ fixed_ips: { subnet_id: [SUBNET] } }), [uuid(101), uuid(102)]);
    assert.deepEqual(await ids({ fixed_ips: { subnet_id: [SUBNET], ip_address: ['10.0.0.9'] } }), []);
    assert.deepEqual(await ids({ mac_address: ['fa:16:3e:00:00:01'], name: ['one'] }), [uuid(101)]);
    assert.deepEqual(await ids({ network_id: [OTHER_NET] }), []);
    assert.deepEqual(await ids({ id: [] }), []);
  });

  it('moves the active binding on update, and refuses a MAC change of a bound port', async () => {
    await add(1);
    clock.advance(5000);
    const bound = await ports.update(uuid(101), { host: 'h1', device_id: 'vm', device_owner: 'compute:nova', name: 'renamed' });
    assert.deepEqual([bound.binding.host, bound.binding.vif_type, bound.status, bound.name, bound.revision_number], ['h1', 'ovs', 'ACTIVE', 'renamed', 2]);
    assert.equal(bound.updated_at, '2026-11-24T10:00:06.000Z');
    await assert.rejects(ports.update(uuid(101), { mac_address: 'fa:16:3e:aa:bb:cc' }), hasType('PortBound', 409));
    const down = await ports.update(uuid(101), { admin_state_up: false });
    assert.equal(down.status, 'DOWN');
    const unbound = await ports.update(uuid(101), { host: '', admin_state_up: true, profile: {} });
    assert.deepEqual([unbound.binding.host, unbound.binding.vif_type, unbound.status], ['', 'unbound', 'DOWN']);
    await add(2);
    await assert.rejects(ports.update(uuid(101), { mac_address: 'fa:16:3e:00:00:02' }), hasType('MacAddressInUse', 409));
    assert.equal((await ports.update(uuid(101), { mac_address: 'fa:16:3e:aa:bb:cc' })).mac_address, 'fa:16:3e:aa:bb:cc');
    await assert.rejects(ports.update(uuid(199), { name: 'x' }), hasType('PortNotFound', 404));
    assert.equal(await count('port_bindings'), 2);
  });
});
