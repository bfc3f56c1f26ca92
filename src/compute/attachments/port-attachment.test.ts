import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { TesseraError } from '../../common/errors.js';
import type { VirtualInterfaceRepo } from '../../db/cell/virtual-interface-repo.js';
import type { Instance } from '../../objects/instance.js';
import { ADMIN, DEFAULT_NETWORK_ID, HOST, MEMBER, startAttachmentHarness, type AttachmentHarness } from './attachment-harness.test.js';
import { attachPort, detachPort, type PortAttachmentDeps } from './port-attachment.js';

const hasCode = (code: string) => (err: unknown) => err instanceof TesseraError && err.code === code;

describe('port attachment (compute side)', () => {
  let h: AttachmentHarness;
  before(async () => {
    h = await startAttachmentHarness();
  });
  after(async () => {
    await h?.close();
  });
  beforeEach(() => h.faults.disarm());

  const client = () => h.network.client();
  const userPort = async (name = 'mine') => client().createPort(MEMBER, { network_id: DEFAULT_NETWORK_ID, name });
  const portIds = async () => (await client().listPorts(ADMIN, { networkIds: [DEFAULT_NETWORK_ID] })).map((p) => p.id).sort();
  const binding = async (portId: string) => {
    const p = await client().getPort(ADMIN, portId);
    return { device_id: p.device_id, device_owner: p.device_owner, host: p['binding:host_id'] };
  };
  const cache = async (instance: Instance) => (await h.repos.vifs.networkInfoFor([instance.uuid])).get(instance.uuid);
  /** Asserts the instance has no interface anywhere: guest, virtual interfaces, cache. */
  const assertNoInterface = async (instance: Instance) => {
    assert.deepEqual(h.guest(instance.uuid).interfaces, []);
    assert.deepEqual(await h.repos.vifs.list(instance.uuid), []);
    assert.deepEqual(await cache(instance), []);
  };

  it('creates, binds and plugs a port on a network, with its interface, tag and cache entry', async () => {
    const instance = await h.instance();
    const { port, vif, networkInfo } = await attachPort(h.portDeps, MEMBER, { instance, networkId: DEFAULT_NETWORK_ID, tag: 'nic1' });
    assert.equal(port.project_id, MEMBER.projectId, 'the port is the instance project\'s');
    assert.deepEqual(await binding(port.id), { device_id: instance.uuid, device_owner: 'compute:cell1', host: HOST });
    assert.deepEqual(vif, { uuid: port.id, instance_uuid: instance.uuid, network_id: DEFAULT_NETWORK_ID, address: port.mac_address, tag: 'nic1', created_at: vif.created_at });
    assert.deepEqual(networkInfo, {
      port_id: port.id, network_id: DEFAULT_NETWORK_ID, network_name: 'private', mac_address: port.mac_address,
      fixed_ips: [{ ip_address: port.fixed_ips[0]?.ip_address, version: 4 }], preserve_on_delete: false,
    });
    assert.deepEqual(await cache(instance), [networkInfo]);
    assert.deepEqual(h.guest(instance.uuid).interfaces, [{ portId: port.id, macAddress: port.mac_address, networkId: DEFAULT_NETWORK_ID }]);
  });

  it('takes the user\'s free port and marks it preserved; a second one is added to the cache', async () => {
    const instance = await h.instance();
    const first = await attachPort(h.portDeps, MEMBER, { instance, networkId: DEFAULT_NETWORK_ID });
    const mine = await userPort();
    const { port, networkInfo } = await attachPort(h.portDeps, MEMBER, { instance, portId: mine.id, tag: 'mine' });
    assert.equal(port.id, mine.id);
    assert.equal(networkInfo.preserve_on_delete, true);
    assert.deepEqual(await binding(mine.id), { device_id: instance.uuid, device_owner: 'compute:cell1', host: HOST });
    assert.deepEqual((await cache(instance))?.map((e) => e.port_id), [first.port.id, mine.id]);
    assert.deepEqual((await h.repos.vifs.list(instance.uuid)).map((v) => [v.uuid, v.tag]), [[first.port.id, null], [mine.id, 'mine']]);
  });

  it('asks for the requested address', async () => {
    const instance = await h.instance();
    const { port } = await attachPort(h.portDeps, ADMIN, { instance, networkId: DEFAULT_NETWORK_ID, fixedIps: [{ ip_address: '10.0.3.200' }] });
    assert.deepEqual(port.fixed_ips.map((ip) => ip.ip_address), ['10.0.3.200']);
  });

  it('refuses a port in use, a missing one, and neither or both of port and network, changing nothing', async () => {
    const instance = await h.instance();
    const other = await h.instance();
    const { port: used } = await attachPort(h.portDeps, MEMBER, { instance: other, networkId: DEFAULT_NETWORK_ID });
    const before = await portIds();
    await assert.rejects(attachPort(h.portDeps, MEMBER, { instance, portId: used.id }), hasCode('compute.port_in_use'));
    await assert.rejects(attachPort(h.portDeps, MEMBER, { instance, portId: '00000000-0000-4000-8000-000000000000' }), hasCode('network.port_not_found'));
    await assert.rejects(attachPort(h.portDeps, MEMBER, { instance, networkId: '00000000-0000-4000-8000-000000000000' }), hasCode('network.network_not_found'));
    await assert.rejects(attachPort(h.portDeps, MEMBER, { instance }), hasCode('compute.invalid_port_request'));
    await assert.rejects(attachPort(h.portDeps, MEMBER, { instance, portId: used.id, networkId: DEFAULT_NETWORK_ID }), hasCode('compute.invalid_port_request'));
    assert.deepEqual(await portIds(), before);
    assert.deepEqual(await binding(used.id), { device_id: other.uuid, device_owner: 'compute:cell1', host: HOST });
    await assertNoInterface(instance);
  });

  describe('a failure at any step leaves nothing behind', () => {
    const failing = (repo: VirtualInterfaceRepo, method: 'create' | 'setNetworkInfo'): VirtualInterfaceRepo =>
      Object.assign(Object.create(repo) as VirtualInterfaceRepo, { [method]: () => Promise.reject(new Error('cell database unavailable')) });
    const steps: { name: string; arm?: string; deps?: (d: PortAttachmentDeps) => PortAttachmentDeps; byPortOnly?: boolean }[] = [
      { name: 'network.get_network', arm: 'network.get_network' },
      { name: 'network.get_port', arm: 'network.get_port', byPortOnly: true },
      { name: 'network.create_port', arm: 'network.create_port' },
      { name: 'network.update_port', arm: 'network.update_port' },
      { name: 'virt.attach_interface', arm: 'virt.attach_interface' },
      { name: 'saving the virtual interface', deps: (d) => ({ ...d, vifs: failing(d.vifs, 'create') }) },
      { name: 'saving the network info cache', deps: (d) => ({ ...d, vifs: failing(d.vifs, 'setNetworkInfo') }) },
    ];
    for (const step of steps) {
      if (step.byPortOnly !== true) {
        it(`by network, ${step.name}: no port created, no interface`, async () => {
          const instance = await h.instance();
          const before = await portIds();
          if (step.arm !== undefined) h.faults.arm(step.arm);
          await assert.rejects(attachPort(step.deps?.(h.portDeps) ?? h.portDeps, MEMBER, { instance, networkId: DEFAULT_NETWORK_ID, tag: 't' }));
          assert.deepEqual(await portIds(), before);
          await assertNoInterface(instance);
        });
      }
      if (step.name !== 'network.create_port') {
        it(`by port, ${step.name}: the port is kept, unbound, with its owner; no interface`, async () => {
          const instance = await h.instance();
          const mine = await client().createPort(ADMIN, { network_id: DEFAULT_NETWORK_ID, project_id: MEMBER.projectId, device_owner: 'custom:owner' });
          const before = await portIds();
          if (step.arm !== undefined) h.faults.arm(step.arm);
          await assert.rejects(attachPort(step.deps?.(h.portDeps) ?? h.portDeps, MEMBER, { instance, portId: mine.id, tag: 't' }));
          assert.deepEqual(await portIds(), before, 'the user\'s port is never deleted');
          assert.deepEqual(await binding(mine.id), { device_id: '', device_owner: 'custom:owner', host: '' });
          await assertNoInterface(instance);
          // It can be attached once the failure is gone.
          await attachPort(h.portDeps, MEMBER, { instance, portId: mine.id });
          assert.equal((await binding(mine.id)).device_id, instance.uuid);
        });
      }
    }
  });

  describe('detach', () => {
    it('deletes a port Nova created and unbinds (keeps) the user\'s, dropping interfaces and cache entries', async () => {
      const instance = await h.instance();
      const created = await attachPort(h.portDeps, MEMBER, { instance, networkId: DEFAULT_NETWORK_ID });
      const mine = await userPort();
      await attachPort(h.portDeps, MEMBER, { instance, portId: mine.id });

      const gone = await detachPort(h.portDeps, MEMBER, { instanceUuid: instance.uuid, portId: created.port.id });
      assert.equal(gone.uuid, created.port.id);
      await assert.rejects(client().getPort(ADMIN, created.port.id), hasCode('network.port_not_found'));
      assert.deepEqual((await cache(instance))?.map((e) => e.port_id), [mine.id]);

      await detachPort(h.portDeps, MEMBER, { instanceUuid: instance.uuid, portId: mine.id });
      assert.deepEqual(await binding(mine.id), { device_id: '', device_owner: '', host: '' });
      await assertNoInterface(instance);
    });

    it('refuses a port the instance does not have', async () => {
      const instance = await h.instance();
      const mine = await userPort();
      await assert.rejects(detachPort(h.portDeps, MEMBER, { instanceUuid: instance.uuid, portId: mine.id }), hasCode('compute.port_not_attached'));
    });

    const failures: { fault: string; preserve: boolean }[] = [
      { fault: 'virt.detach_interface', preserve: false },
      { fault: 'network.delete_port', preserve: false },
      { fault: 'virt.detach_interface', preserve: true },
      { fault: 'network.update_port', preserve: true },
    ];
    for (const { fault, preserve } of failures) {
      it(`${fault} fails for ${preserve ? 'the user\'s' : 'a created'} port: nothing changed, and a retry detaches`, async () => {
        const instance = await h.instance();
        const request = preserve ? { portId: (await userPort()).id } : { networkId: DEFAULT_NETWORK_ID };
        const { port, networkInfo } = await attachPort(h.portDeps, MEMBER, { instance, ...request });
        h.faults.arm(fault);
        await assert.rejects(detachPort(h.portDeps, MEMBER, { instanceUuid: instance.uuid, portId: port.id }), hasCode('fault.injected'));
        assert.deepEqual(h.guest(instance.uuid).interfaces.map((i) => i.portId), [port.id]);
        assert.deepEqual((await h.repos.vifs.list(instance.uuid)).map((v) => v.uuid), [port.id]);
        assert.deepEqual(await cache(instance), [networkInfo]);
        assert.deepEqual(await binding(port.id), { device_id: instance.uuid, device_owner: 'compute:cell1', host: HOST });
        await detachPort(h.portDeps, MEMBER, { instanceUuid: instance.uuid, portId: port.id });
        await assertNoInterface(instance);
        assert.equal((await portIds()).includes(port.id), preserve);
      });
    }

    it('keeps a port that the cache does not know (it might be the user\'s)', async () => {
      const instance = await h.instance();
      const { port } = await attachPort(h.portDeps, MEMBER, { instance, networkId: DEFAULT_NETWORK_ID });
      await h.repos.vifs.setNetworkInfo(instance.uuid, []);
      await detachPort(h.portDeps, MEMBER, { instanceUuid: instance.uuid, portId: port.id });
      assert.deepEqual(await binding(port.id), { device_id: '', device_owner: '', host: '' });
    });
  });
});
