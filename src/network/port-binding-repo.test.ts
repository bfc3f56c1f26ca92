import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../common/clock.js';
import { TesseraError } from '../common/errors.js';
import { openDatabase, type Database } from '../db/connection.js';
import { migrateToLatest } from '../db/migrator.js';
import { networkMigrations } from './network-migrations.js';
import { NetworkRepo } from './network-repo.js';
import type { NetworkSchema } from './network-schema.js';
import { PortBindingRepo } from './port-binding-repo.js';
import { PortRepo } from './port-repo.js';

const NET = '00000000-0000-4000-8000-000000000001';
const PORT = '00000000-0000-4000-8000-000000000101';
const hasType = (type: string, status: number) => (err: unknown) => err instanceof TesseraError && err.status === status && err.details?.['type'] === type;

describe('PortBindingRepo', () => {
  let database: Database<NetworkSchema>;
  let ports: PortRepo;
  let bindings: PortBindingRepo;

  before(async () => {
    database = openDatabase<NetworkSchema>('sqlite://');
    await migrateToLatest(database as Database<unknown>, networkMigrations);
  });
  after(async () => database.close());
  beforeEach(async () => {
    for (const table of ['port_bindings', 'ip_allocations', 'ports', 'networks'] as const) await database.db.deleteFrom(table).execute();
    const clock = new ManualClock();
    await new NetworkRepo({ db: database.db, clock, dialect: 'sqlite' }).create({ id: NET, project_id: 'p', mtu: 1500 });
    ports = new PortRepo({ db: database.db, clock, dialect: 'sqlite' });
    bindings = new PortBindingRepo({ db: database.db, clock, dialect: 'sqlite' });
    await ports.create({ id: PORT, network_id: NET, project_id: 'p', mac_address: 'fa:16:3e:00:00:01', admin_state_up: true, fixed_ips: [], binding: { host: '', vnic_type: 'normal', profile: {} } });
  });

  const state = async () => (await bindings.list(PORT)).map((b) => `${b.host}:${b.status}`);
  const port = () => ports.get(PORT);
  const binding = (host: string) => ({ host, vnic_type: 'normal', profile: {} });

  it('binds an unbound port ACTIVE, and further hosts INACTIVE', async () => {
    assert.deepEqual(await state(), []);
    const first = await bindings.create(PORT, { host: 'h1', vnic_type: 'normal', profile: { a: 1 } });
    assert.deepEqual(first, { port_id: PORT, host: 'h1', status: 'ACTIVE', vif_type: 'ovs', vnic_type: 'normal', profile: { a: 1 }, vif_details: first.vif_details });
    assert.deepEqual([(await port()).binding.host, (await port()).status], ['h1', 'ACTIVE']);
    const second = await bindings.create(PORT, binding('h2'));
    assert.equal(second.status, 'INACTIVE');
    assert.deepEqual(await state(), ['h1:ACTIVE', 'h2:INACTIVE']);
    assert.equal((await port()).binding.host, 'h1', 'an inactive binding leaves the port where it is');
    assert.equal((await port()).revision_number, 3);
  });

  it('refuses a second binding to the same host', async () => {
    await bindings.create(PORT, binding('h1'));
    await bindings.create(PORT, binding('h2'));
    await assert.rejects(bindings.create(PORT, binding('h1')), hasType('PortBindingAlreadyExists', 409));
    await assert.rejects(bindings.create(PORT, binding('h2')), (err: unknown) => {
      assert.ok(hasType('PortBindingAlreadyExists', 409)(err));
      assert.equal((err as Error).message, `Binding for port ${PORT} on host h2 already exists.`);
      return true;
    });
    assert.deepEqual(await state(), ['h1:ACTIVE', 'h2:INACTIVE']);
  });

  it('activates an inactive binding, deactivating the previous one, and the port follows', async () => {
    await bindings.create(PORT, binding('h1'));
    await bindings.create(PORT, binding('h2'));
    const activated = await bindings.activate(PORT, 'h2');
    assert.equal(activated.status, 'ACTIVE');
    assert.deepEqual(await state(), ['h2:ACTIVE', 'h1:INACTIVE']);
    assert.deepEqual([(await port()).binding.host, (await port()).status], ['h2', 'ACTIVE']);
    // Back again, as a revert does.
    await bindings.activate(PORT, 'h1');
    assert.deepEqual(await state(), ['h1:ACTIVE', 'h2:INACTIVE']);
  });

  it('refuses to activate the active binding or a missing one', async () => {
    await bindings.create(PORT, binding('h1'));
    await assert.rejects(bindings.activate(PORT, 'h1'), (err: unknown) => {
      assert.ok(hasType('PortBindingAlreadyActive', 409)(err));
      assert.equal((err as Error).message, `Binding for port ${PORT} on host h1 is already active.`);
      return true;
    });
    await assert.rejects(bindings.activate(PORT, 'h9'), hasType('PortBindingNotFound', 404));
    await assert.rejects(bindings.activate(PORT, ''), hasType('PortBindingNotFound', 404));
    await assert.rejects(bindings.activate('00000000-0000-4000-8000-000000000999', 'h1'), hasType('PortNotFound', 404));
    assert.deepEqual(await state(), ['h1:ACTIVE']);
  });

  it('activates the inactive binding of a port whose active binding was deleted', async () => {
    await bindings.create(PORT, binding('h1'));
    await bindings.create(PORT, binding('h2'));
    await bindings.delete(PORT, 'h1');
    assert.deepEqual(await state(), ['h2:INACTIVE']);
    assert.deepEqual([(await port()).binding.host, (await port()).status], ['', 'DOWN']);
    await bindings.activate(PORT, 'h2');
    assert.deepEqual(await state(), ['h2:ACTIVE']);
    assert.equal((await port()).binding.host, 'h2');
  });

  it('deletes inactive bindings, and 404s for a binding that is not there', async () => {
    await bindings.create(PORT, binding('h1'));
    await bindings.create(PORT, binding('h2'));
    await bindings.delete(PORT, 'h2');
    assert.deepEqual(await state(), ['h1:ACTIVE']);
    await assert.rejects(bindings.delete(PORT, 'h2'), (err: unknown) => {
      assert.ok(hasType('PortBindingNotFound', 404)(err));
      assert.equal((err as Error).message, `Binding for port ${PORT} for host h2 could not be found.`);
      return true;
    });
    await assert.rejects(bindings.delete(PORT, ''), hasType('PortBindingNotFound', 404));
    await assert.rejects(bindings.get(PORT, 'h2'), hasType('PortBindingNotFound', 404));
  });

  it('keeps exactly one active binding when activations race', async () => {
    await bindings.create(PORT, binding('h1'));
    for (const host of ['h2', 'h3', 'h4']) await bindings.create(PORT, binding(host));
    const results = await Promise.allSettled(['h2', 'h3', 'h4', 'h2'].map((h) => bindings.activate(PORT, h)));
    assert.ok(results.some((r) => r.status === 'fulfilled'));
    for (const r of results) if (r.status === 'rejected') assert.ok(hasType('PortBindingAlreadyActive', 409)(r.reason), String(r.reason));
    const active = (await bindings.list(PORT)).filter((b) => b.status === 'ACTIVE');
    assert.equal(active.length, 1);
    assert.equal((await port()).binding.host, active[0]?.host);
    assert.equal((await bindings.list(PORT)).length, 4);
  });

  it('refuses a second ACTIVE row for a port at the database level', async () => {
    await bindings.create(PORT, binding('h1'));
    await assert.rejects(
      database.db.insertInto('port_bindings').values({ port_id: PORT, host: 'h2', status: 'ACTIVE', vif_type: 'ovs', vnic_type: 'normal', profile: '{}', vif_details: '{}' }).execute(),
      (err: unknown) => /UNIQUE/.test(String(err)),
    );
  });
});
