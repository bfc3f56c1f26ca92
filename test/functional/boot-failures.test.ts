/**
 * A failure injected at each step of a boot from volume with a port the user made leaves nothing
 * behind that the boot created, through HTTP only. The steps are not listed by hand: a clean boot
 * is recorded first (every `network.*`, `volume.*` and `virt.*` fault point it passes, the API's
 * and the compute's), and then each call of that recording is failed in turn, the n-th call of an
 * operation made more than once included. Without retries the server ends in ERROR (or the POST
 * is refused); with retries it ends ACTIVE on another host. Either way: the user's port unbound
 * (or bound only where the server runs), the user's volume available with no attachment (or one,
 * on the server's host), no port or volume the boot made left over, no allocation left in
 * placement; and the delete works and frees everything.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import { startTestCloud, UNLIMITED_INSTANCE_QUOTAS, type TestCloud } from '../fixtures/test-cloud.js';
import { allocations, allPortIds, allVolumeIds, assertPortFree, assertVolumeFree, attachmentsOf, boot, createPort, createVolume, N, port, privateNetwork, V, volume } from './boot-devices.js';
import { allServerIds, C, imageId, waitForGone, waitForSettled } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

/** One call of a recorded boot: the fault point and how many calls of it came before. */
interface Step {
  operation: string;
  after: number;
}

/** The calls of a recording that the test fails, each with its rank among calls of its operation. */
function steps(recorded: readonly string[]): Step[] {
  const seen = new Map<string, number>();
  return recorded
    .filter((op) => /^(network|volume|virt)\./.test(op))
    .map((operation) => {
      const after = seen.get(operation) ?? 0;
      seen.set(operation, after + 1);
      return { operation, after };
    });
}

interface Variant {
  name: string;
  /** Fault points a boot of this variant must pass, so the test cannot pass by recording nothing. */
  essential: string[];
  /** The block device mappings, given the user's volumes. */
  mappings(image: string, volumeIds: string[]): Record<string, unknown>[];
  /** How many volumes the user brings. */
  userVolumes: number;
}

const VARIANTS: Variant[] = [
  {
    name: 'the user\'s volumes (root and data)',
    userVolumes: 2,
    essential: [
      'volume.get', 'volume.attachment_create', 'network.get_port', 'network.get_network', 'network.update_port',
      'volume.attachment_update', 'volume.backend.initialize_connection', 'volume.attachment_complete', 'virt.spawn',
    ],
    mappings: (_image, [root, data]) => [
      { source_type: 'volume', destination_type: 'volume', uuid: root, boot_index: 0, delete_on_termination: false, tag: 'root' },
      { source_type: 'volume', destination_type: 'volume', uuid: data, delete_on_termination: false, tag: 'data' },
    ],
  },
  {
    name: 'a root volume made from an image (delete_on_termination false)',
    userVolumes: 0,
    essential: [
      'network.get_port', 'network.update_port', 'volume.create', 'volume.backend.create_volume', 'volume.attachment_create',
      'volume.attachment_update', 'volume.attachment_complete', 'virt.spawn',
    ],
    mappings: (image) => [{ source_type: 'image', destination_type: 'volume', uuid: image, boot_index: 0, volume_size: 1, delete_on_termination: false, tag: 'root' }],
  },
];

for (const retries of [false, true]) {
  for (const variant of VARIANTS) {
    describe(`a failure at each step of a boot from ${variant.name} with the user's port, ${retries ? 'with retries on another host' : 'without retries'}`, () => {
      let t: TestCloud;
      let image: string;
      let portId: string;
      const volumeIds: string[] = [];
      let recorded: Step[];

      const request = (name: string): Record<string, unknown> => ({
        name, imageRef: '', networks: [{ port: portId, tag: 'nic' }], block_device_mapping_v2: variant.mappings(image, volumeIds),
      });

      before(async () => {
        t = await startTestCloud(`${retries ? '' : '[scheduler]\nmax_attempts = 1\n'}${UNLIMITED_INSTANCE_QUOTAS}`);
        image = await imageId(t.member);
        portId = (await createPort(t.member, await privateNetwork(t.member), 'users-port')).id as string;
        for (let n = 0; n < variant.userVolumes; n++) volumeIds.push((await createVolume(t.member, { size: 1, imageRef: image, name: `users-volume-${n}` })).id as string);
        // A clean boot, recorded: every call it makes is a step to fail.
        const rec = t.cloud.faults.record();
        const res = await boot(t.member, '2.42', request('recorded'));
        assert.equal(res.status, 202, JSON.stringify(res.body));
        const server = await waitForSettled(t.member, res.body.server.id as string);
        recorded = steps(rec.stop());
        assert.equal(server['status'], 'ACTIVE', JSON.stringify(server['fault']));
        assert.equal((await t.member.delete(`${C}/servers/${server['id']}`)).status, 204);
        await waitForGone(t.member, server['id'] as string);
        await assertFree();
      });
      after(async () => {
        await t?.stop();
      });

      /** The user's port and volumes are free again. */
      async function assertFree(): Promise<void> {
        await assertPortFree(t.admin, portId);
        for (const id of volumeIds) await assertVolumeFree(t.admin, id);
      }

      it('passes every step a boot from volume with a port has, API and compute', () => {
        const ops = new Set(recorded.map((s) => s.operation));
        for (const op of variant.essential) assert.ok(ops.has(op), `the boot passes ${op}: ${[...ops].join(', ')}`);
      });

      it('leaves nothing the boot made behind, whichever step fails', async (tc: TestContext) => {
        assert.ok(recorded.length >= variant.essential.length);
        for (const step of recorded) {
          await tc.test(`${step.operation} (call ${step.after + 1})`, async () => {
            const servers = await allServerIds(t.admin);
            const ports = await allPortIds(t.admin);
            const volumes = await allVolumeIds(t.admin);
            t.cloud.faults.arm(step.operation, { after: step.after });
            let serverId: string | undefined;
            let keptVolume: string | undefined;
            try {
              const res = await boot(t.member, '2.42', request(`fail-${step.operation}-${step.after}`));
              if (res.status !== 202) {
                // Failed in the API: refused, nothing made.
                assert.ok(res.status >= 400, JSON.stringify(res.body));
                assert.deepEqual(await allServerIds(t.admin), servers, 'no server');
              } else {
                serverId = res.body.server.id as string;
                const server = await waitForSettled(t.member, serverId);
                if (retries) keptVolume = await assertRunsClean(serverId, server, volumes);
                else await assertFailedClean(serverId, server);
              }
              assert.deepEqual(t.cloud.faults.list(), [], 'the injected failure happened');
              if (!retries || serverId === undefined) {
                await assertFree();
                assert.deepEqual(await allPortIds(t.admin), ports, 'no port made by the boot is left');
                assert.deepEqual(await allVolumeIds(t.admin), volumes, 'no volume made by the boot is left');
              }
            } finally {
              t.cloud.faults.disarm();
            }
            if (serverId !== undefined) {
              assert.equal((await t.member.delete(`${C}/servers/${serverId}`)).status, 204);
              await waitForGone(t.member, serverId);
              assert.deepEqual(await allocations(t.admin, serverId), {});
            }
            if (keptVolume !== undefined) {
              // The root volume the retry made outlives the server (delete_on_termination false).
              await assertVolumeFree(t.admin, keptVolume);
              assert.equal((await t.member.delete(`/volume/v3/volumes/${keptVolume}`)).status, 202);
            }
            await assertFree();
            assert.deepEqual(await allPortIds(t.admin), ports, 'the delete leaves no port behind');
            assert.deepEqual(await allVolumeIds(t.admin), volumes, 'the delete leaves no volume behind (delete_on_termination false keeps only the user\'s)');
          });
        }
      });

      /** Without retries: ERROR with a fault, no host, nothing held. */
      async function assertFailedClean(serverId: string, server: Record<string, any>): Promise<void> {
        assert.equal(server['status'], 'ERROR', 'the build failed');
        assert.equal(typeof server['fault']?.message, 'string');
        assert.deepEqual(server['addresses'], {}, 'no address left on the server');
        assert.deepEqual(await allocations(t.admin, serverId), {}, 'no allocation in placement');
        const asAdmin = (await t.admin.get(`${C}/servers/${serverId}`)).body.server;
        assert.equal(asAdmin['OS-EXT-SRV-ATTR:host'], null);
      }

      /**
       * With retries: ACTIVE on its host, holding exactly what a clean boot holds there; returns the
       * root volume the boot made, if any.
       */
      async function assertRunsClean(serverId: string, server: Record<string, any>, volumesBefore: string[]): Promise<string | undefined> {
        assert.equal(server['status'], 'ACTIVE', `the retry on another host built it: ${JSON.stringify(server['fault'])}`);
        const host = (await t.admin.get(`${C}/servers/${serverId}`)).body.server['OS-EXT-SRV-ATTR:host'] as string;
        const p = await port(t.admin, portId);
        assert.deepEqual([p?.['device_id'], p?.['binding:host_id']], [serverId, host], 'the port is bound where the server runs');
        const made = (await allVolumeIds(t.admin)).filter((v) => !volumesBefore.includes(v));
        assert.equal(made.length, variant.userVolumes > 0 ? 0 : 1, 'one root volume made, however many hosts were tried');
        const rootId = volumeIds[0] ?? made[0];
        assert.ok(rootId !== undefined);
        for (const id of [rootId, ...volumeIds.slice(1)]) {
          assert.equal((await volume(t.admin, id))?.['status'], 'in-use');
          assert.deepEqual((await attachmentsOf(t.admin, id)).map((a) => [a.instance, a.status]), [[serverId, 'attached']], 'one attachment, the server\'s');
          assert.deepEqual((await volume(t.admin, id))?.['attachments'].map((a: any) => a.host_name), [host]);
        }
        assert.equal(Object.keys(await allocations(t.admin, serverId)).length, 1, 'one allocation, on the server\'s host');
        for (const h of t.cloud.drivers.keys()) {
          const guests = t.cloud.fakeDriver(h).listGuests().filter((g) => g.uuid === serverId);
          assert.equal(guests.length, h === host ? 1 : 0, `guest on ${h}`);
        }
        if (variant.userVolumes > 0) return undefined;
        assert.equal((await t.member.delete(`/volume/v3/volumes/${rootId}`)).status, 400, 'the root volume is in use');
        return rootId;
      }
    });
  }
}

describe('a failure while deleting a server with ports and volumes', () => {
  let t: TestCloud;
  let image: string;
  let network: string;

  before(async () => {
    t = await startTestCloud(UNLIMITED_INSTANCE_QUOTAS);
    image = await imageId(t.member);
    network = await privateNetwork(t.member);
  });
  after(async () => {
    await t?.stop();
  });

  /** A server on the user's port, a port Nova makes, the user's root volume and a blank volume deleted with it. */
  async function server(): Promise<{ id: string; portId: string; volumeId: string; ports: string[]; volumes: string[] }> {
    const ports = await allPortIds(t.admin);
    const volumes = await allVolumeIds(t.admin);
    const portId = (await createPort(t.member, network, 'kept')).id as string;
    const volumeId = (await createVolume(t.member, { size: 1, imageRef: image })).id as string;
    const res = await boot(t.member, '2.42', {
      name: 'to-delete', networks: [{ port: portId }, { uuid: network }],
      block_device_mapping_v2: [
        { source_type: 'volume', destination_type: 'volume', uuid: volumeId, boot_index: 0 },
        { source_type: 'blank', destination_type: 'volume', volume_size: 1, delete_on_termination: true },
      ],
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const s = await waitForSettled(t.member, res.body.server.id as string);
    assert.equal(s['status'], 'ACTIVE', JSON.stringify(s['fault']));
    return { id: s['id'] as string, portId, volumeId, ports, volumes };
  }

  for (const operation of ['virt.destroy', 'network.update_port', 'network.delete_port', 'volume.attachment_delete', 'volume.delete']) {
    it(`${operation}: the server goes to ERROR, and a second delete frees everything`, async () => {
      const s = await server();
      t.cloud.faults.arm(operation);
      assert.equal((await t.member.delete(`${C}/servers/${s.id}`)).status, 204);
      const failed = await waitForSettled(t.member, s.id, ['ERROR']);
      assert.match(failed['fault'].message as string, new RegExp(operation.replace('.', '\\.')));
      assert.deepEqual(t.cloud.faults.list(), []);
      assert.equal((await t.member.delete(`${C}/servers/${s.id}`)).status, 204);
      await waitForGone(t.member, s.id);
      await assertPortFree(t.admin, s.portId);
      await assertVolumeFree(t.admin, s.volumeId);
      assert.deepEqual(await allocations(t.admin, s.id), {});
      assert.deepEqual(await allPortIds(t.admin), [...s.ports, s.portId].sort(), 'the port Nova made is gone');
      assert.deepEqual(await allVolumeIds(t.admin), [...s.volumes, s.volumeId].sort(), 'the blank volume is gone');
      assert.equal((await t.member.delete(`${V}/volumes/${s.volumeId}`)).status, 202);
    });
  }

  it('a server in cell0: a failed release refuses the delete (500) and keeps the server; the next delete frees the volume', async () => {
    const huge = (await t.admin.post(`${C}/flavors`, { flavor: { name: 'too-big', ram: 10_000_000, vcpus: 1, disk: 1 } })).body.flavor.id as string;
    const volumeId = (await createVolume(t.member, { size: 1, imageRef: image })).id as string;
    const res = await boot(t.member, '2.37', {
      name: 'nowhere', flavorRef: huge, networks: 'none',
      block_device_mapping_v2: [{ source_type: 'volume', destination_type: 'volume', uuid: volumeId, boot_index: 0 }],
    });
    const s = await waitForSettled(t.member, res.body.server.id as string, ['ERROR']);
    t.cloud.faults.arm('volume.attachment_delete');
    assert.equal((await t.member.delete(`${C}/servers/${s['id']}`)).status, 500);
    assert.equal((await t.member.get(`${C}/servers/${s['id']}`)).status, 200, 'the server is still there');
    assert.equal((await volume(t.admin, volumeId))?.['status'], 'reserved');
    assert.equal((await t.member.delete(`${C}/servers/${s['id']}`)).status, 204);
    await waitForGone(t.member, s['id'] as string);
    await assertVolumeFree(t.admin, volumeId);
  });

  for (const deleteOnTermination of [false, true]) {
    it(`a server that never left its build request (the cast to the conductor failed): its delete ${deleteOnTermination ? 'deletes' : 'frees'} the reserved volume`, async () => {
      const volumeId = (await createVolume(t.member, { size: 1, imageRef: image })).id as string;
      t.cloud.faults.arm('rpc.cast.conductor.schedule_and_build_instances');
      const res = await boot(t.member, '2.37', {
        name: 'stuck', networks: 'none',
        block_device_mapping_v2: [{ source_type: 'volume', destination_type: 'volume', uuid: volumeId, boot_index: 0, delete_on_termination: deleteOnTermination }],
      });
      assert.equal(res.status, 500, JSON.stringify(res.body));
      const stuck = (await t.member.get(`${C}/servers/detail`)).body.servers.find((x: any) => x.name === 'stuck');
      assert.equal(stuck?.status, 'BUILD', 'the build request was written before the cast');
      assert.equal((await volume(t.admin, volumeId))?.['status'], 'reserved');
      assert.equal((await t.member.delete(`${C}/servers/${stuck.id}`)).status, 204);
      await waitForGone(t.member, stuck.id as string);
      if (deleteOnTermination) assert.equal(await volume(t.admin, volumeId), undefined);
      else await assertVolumeFree(t.admin, volumeId);
    });
  }

  it('a second reservation refused in the API gives the first back', async () => {
    const volumes = [(await createVolume(t.member, { size: 1, imageRef: image })).id as string, (await createVolume(t.member, { size: 1 })).id as string];
    t.cloud.faults.arm('volume.attachment_create', { after: 1 });
    const res = await boot(t.member, '2.37', {
      name: 'half-reserved', networks: 'none',
      block_device_mapping_v2: [
        { source_type: 'volume', destination_type: 'volume', uuid: volumes[0], boot_index: 0 },
        { source_type: 'volume', destination_type: 'volume', uuid: volumes[1] },
      ],
    });
    assert.equal(res.status, 500, JSON.stringify(res.body));
    assert.deepEqual(t.cloud.faults.list(), []);
    for (const id of volumes) await assertVolumeFree(t.admin, id);
  });
});

describe('deleting a server while it boots with ports and volumes', () => {
  let t: TestCloud;
  let image: string;
  let network: string;

  before(async () => {
    // A slow hypervisor, so that the delete lands in the middle of the build.
    t = await startTestCloud(`[fake_driver]\ndelay_ms = 30\n${UNLIMITED_INSTANCE_QUOTAS}`);
    image = await imageId(t.member);
    network = await privateNetwork(t.member);
  });
  after(async () => {
    await t?.stop();
  });

  for (const waitMs of [0, 15, 40, 80]) {
    it(`a delete ${waitMs} ms after the 202 leaves no port, binding, attachment or volume of the boot`, async () => {
      const ports = await allPortIds(t.admin);
      const volumes = await allVolumeIds(t.admin);
      const portId = (await createPort(t.member, network, 'racing')).id as string;
      const volumeId = (await createVolume(t.member, { size: 1, imageRef: image })).id as string;
      const res = await boot(t.member, '2.37', {
        name: 'racing', networks: [{ port: portId }, { uuid: network }],
        block_device_mapping_v2: [
          { source_type: 'volume', destination_type: 'volume', uuid: volumeId, boot_index: 0 },
          { source_type: 'blank', destination_type: 'volume', volume_size: 1, delete_on_termination: true },
        ],
      });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      const id = res.body.server.id as string;
      await new Promise((r) => setTimeout(r, waitMs));
      assert.equal((await t.member.delete(`${C}/servers/${id}`)).status, 204);
      await waitForGone(t.member, id);
      // Whatever the build was doing, once it is over nothing of it is left.
      await new Promise((r) => setTimeout(r, 300));
      await assertPortFree(t.admin, portId);
      await assertVolumeFree(t.admin, volumeId);
      assert.deepEqual(await allocations(t.admin, id), {});
      assert.deepEqual(await allPortIds(t.admin), [...ports, portId].sort());
      assert.deepEqual(await allVolumeIds(t.admin), [...volumes, volumeId].sort());
      for (const h of t.cloud.drivers.keys()) assert.equal(t.cloud.fakeDriver(h).listGuests().some((g) => g.uuid === id), false, `no guest on ${h}`);
      assert.equal((await t.member.delete(`${N}/ports/${portId}`)).status, 204);
      assert.equal((await t.member.delete(`${V}/volumes/${volumeId}`)).status, 202);
    });
  }
});
