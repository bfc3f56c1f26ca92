import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN, HOSTS, openAuditHarness, type AuditHarness } from './audit-harness.test.js';
import { PortBindingsCheck } from './port-bindings-check.js';

describe('PortBindingsCheck', () => {
  let h: AuditHarness;
  before(async () => {
    h = await openAuditHarness();
  });
  after(async () => h?.close());

  const port = (deviceId: string, host: string | undefined) =>
    h.network.client().createPort(ADMIN, { network_id: h.networkId, device_id: deviceId, device_owner: 'compute:nova', ...(host === undefined ? {} : { 'binding:host_id': host }) });

  it('deletes Nova\'s ports of deleted instances, unbinds the user\'s, drops bindings for hosts nothing uses; a move\'s bindings stay', async () => {
    const net = h.network.client();
    const live = await h.instance(h.cell1);
    const livePort = await port(live.uuid, HOSTS.a);
    // A move from host a to host b: the destination's binding waits, inactive.
    const moving = await h.instance(h.cell1);
    await h.migration(h.cell1, moving.uuid, 'migrating');
    const movingPort = await port(moving.uuid, HOSTS.a);
    await net.createPortBinding(ADMIN, movingPort.id, { host: HOSTS.b });
    const userPort = await net.createPort(ADMIN, { network_id: h.networkId });
    assert.deepEqual(await new PortBindingsCheck(h.deps).find(), [], 'healthy');

    // A deleted instance whose cache says which port Nova made and which the user brought.
    const deleted = await h.instance(h.cell2);
    const novaPort = await port(deleted.uuid, HOSTS.c);
    const broughtPort = await port(deleted.uuid, HOSTS.c);
    const entry = (id: string, preserve: boolean) => ({ port_id: id, network_id: h.networkId, network_name: 'private', mac_address: '', fixed_ips: [], preserve_on_delete: preserve });
    await h.repos(h.cell2).vifs.setNetworkInfo(deleted.uuid, [entry(novaPort.id, false), entry(broughtPort.id, true)]);
    await h.repos(h.cell2).instances.softDelete(deleted.uuid);
    const missingPort = await port(h.ids.uuid(), undefined);
    // The live instance's port keeps an inactive binding to host c from a move that is over.
    await net.createPortBinding(ADMIN, livePort.id, { host: HOSTS.c });

    const check = new PortBindingsCheck(h.deps);
    const found = await check.find();
    assert.deepEqual(found.map((f) => `${f.kind} ${f.ids['port']} ${f.action}`).sort(), [
      `orphan_port ${novaPort.id} delete_port`,
      `orphan_port ${broughtPort.id} unbind_port`,
      `orphan_port ${missingPort.id} unbind_port`,
      `stale_port_binding ${livePort.id} delete_binding`,
    ].sort());
    assert.equal(found.find((f) => f.kind === 'stale_port_binding')?.host, HOSTS.c);
    for (const f of found) await check.fix(f);
    assert.deepEqual(await check.find(), []);
    await assert.rejects(net.getPort(ADMIN, novaPort.id), { code: 'network.port_not_found' });
    const unbound = await net.getPort(ADMIN, broughtPort.id);
    assert.equal(unbound.device_id, '');
    assert.equal(unbound['binding:host_id'], '');
    assert.deepEqual((await net.listPortBindings(ADMIN, livePort.id)).map((b) => b.host), [HOSTS.a]);
    assert.deepEqual((await net.listPortBindings(ADMIN, movingPort.id)).map((b) => b.host).sort(), [HOSTS.a, HOSTS.b]);
    assert.equal((await net.getPort(ADMIN, userPort.id)).id, userPort.id);
  });

  it('moves an active binding on a host the instance is not on to the instance\'s host', async () => {
    const live = await h.instance(h.cell1, { host: HOSTS.b });
    const p = await port(live.uuid, HOSTS.a);
    const check = new PortBindingsCheck(h.deps);
    const [f] = await check.find();
    assert.equal(f?.action, 'rebind');
    assert.equal(f?.remedy, `bind the port to ${HOSTS.b}`);
    await check.fix(f as NonNullable<typeof f>);
    assert.equal((await h.network.client().getPort(ADMIN, p.id))['binding:host_id'], HOSTS.b);
    assert.deepEqual(await check.find(), []);
  });
});
