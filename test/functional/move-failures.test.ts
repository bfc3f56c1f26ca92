import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestCloud, waitFor, type TestCloud } from '../fixtures/test-cloud.js';
import { attachmentsOf, boot, privateNetwork } from './boot-devices.js';
import { C, waitForGone } from './helpers.js';
import { act, adminServer, allocationsByHost, flavorUse, migrationsOf, providersByHost, waitForStatus, waitForUsage } from './move-support.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

const TINY = { vcpus: 1, memory_mb: 512, root_gb: 1 };
const RESERVED_RAM = 512;

/** One call of a recorded move: the fault point and how many calls of it came before. */
interface Step {
  operation: string;
  after: number;
}

/**
 * A failure at every step of a resize. A clean resize of a volume-backed server with a port is
 * recorded first (every bus message, volume, network and hypervisor call it makes after the API
 * accepted it), then each call of that recording is failed in turn on a fresh server. Whatever
 * fails, the server ends on its original host, in ERROR with a fault (or, when the failure came
 * before the source compute took part, back as it was with a fault), with its allocations exactly as
 * before the move, the migration in `error`, one attachment per volume and its port bound to its
 * host; a hard reboot brings it back to ACTIVE, and the resize then goes through.
 */
describe('a failure at each step of a move', () => {
  let t: TestCloud;
  let providers: Map<string, string>;
  let network: string;
  let image: string;

  before(async () => {
    t = await startTestCloud();
    providers = await providersByHost(t.admin);
    network = await privateNetwork(t.member);
    image = (await t.admin.get('/image/v2/images')).body.images[0].id;
  });
  after(async () => t?.stop());

  async function newServer(name: string): Promise<{ id: string; host: string; other: string; volume: string }> {
    const res = await boot(t.member, '2.52', {
      name, flavorRef: '1', availability_zone: 'cell1', networks: [{ uuid: network }],
      block_device_mapping_v2: [{ source_type: 'image', destination_type: 'volume', uuid: image, boot_index: 0, volume_size: 1, delete_on_termination: true }],
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const id: string = res.body.server.id;
    await waitForStatus(t.member, id, 'ACTIVE');
    const server = await adminServer(t.admin, id);
    const host = server['OS-EXT-SRV-ATTR:host'] as string;
    const volume = server['os-extended-volumes:volumes_attached'][0].id as string;
    return { id, host, other: host === 'cell1-compute1' ? 'cell1-compute2' : 'cell1-compute1', volume };
  }

  async function settle(id: string, label: string): Promise<any> {
    return waitFor(`server ${id} to settle after ${label}`, async () => {
      const s = (await t.admin.get(`${C}/servers/${id}`)).body.server;
      return s.status === 'ERROR' || s.status === 'ACTIVE' ? s : undefined;
    });
  }

  async function deleteServer(id: string): Promise<void> {
    assert.equal((await t.member.request('DELETE', `${C}/servers/${id}`)).status, 204);
    await waitForGone(t.member, id);
  }

  let recorded: Step[] = [];
  it('records the fault points of a clean resize', async () => {
    const s = await newServer('record');
    const recording = t.cloud.faults.record();
    await act(t.member, s.id, { resize: { flavorRef: '42' } });
    await waitForStatus(t.member, s.id, 'VERIFY_RESIZE');
    const ops = recording.stop();
    const seen = new Map<string, number>();
    recorded = ops
      .filter((op) => /^(rpc\.(cast|call)\.(conductor|scheduler|compute)|network|volume|virt)\./.test(op))
      .map((operation) => {
        const n = seen.get(operation) ?? 0;
        seen.set(operation, n + 1);
        return { operation, after: n };
      });
    for (const needed of ['rpc.cast.conductor.migrate_server', 'rpc.call.scheduler.select_destinations', 'rpc.cast.compute.prep_resize', 'rpc.cast.compute.resize_instance',
      'virt.migrate_disk_and_power_off', 'rpc.cast.compute.finish_resize', 'network.update_port', 'volume.attachment_create', 'volume.attachment_update', 'virt.finish_migration']) {
      assert.ok(recorded.some((r) => r.operation === needed), `a resize passes ${needed}: ${ops.join(', ')}`);
    }
    await act(t.member, s.id, { confirmResize: null }, 204);
    await waitForStatus(t.member, s.id, 'ACTIVE');
    await deleteServer(s.id);
  });

  it('fails each recorded step in turn and leaves the server recoverable with nothing leaked', async () => {
    assert.ok(recorded.length > 0);
    for (const step of recorded) {
      const label = `${step.operation}#${step.after}`;
      const s = await newServer(`fail-${step.operation}`);
      const before = await allocationsByHost(t.admin, s.id, providers);
      t.cloud.faults.arm(step.operation, { after: step.after });
      const res = await t.member.post(`${C}/servers/${s.id}/action`, { resize: { flavorRef: '42' } });
      // Armed until the move settled: the later steps run after the 202.
      await settle(s.id, label);
      t.cloud.faults.disarm(step.operation);
      if (res.status !== 202) {
        // Only the API's own cast can fail the request itself; nothing was started then.
        assert.equal(step.operation, 'rpc.cast.conductor.migrate_server', `${label}: ${res.status} ${JSON.stringify(res.body)}`);
        assert.equal((await settle(s.id, label)).status, 'ACTIVE', label);
      } else {
        const server = await settle(s.id, label);
        const show = await adminServer(t.admin, s.id);
        assert.equal(show['OS-EXT-SRV-ATTR:host'], s.host, `${label}: on its original host`);
        assert.equal(show.flavor.original_name, 'm1.tiny', `${label}: old flavor`);
        // Before the source touched the guest the server goes back as it was: the scheduler or the
        // conductor's cast failed, or the destination's prep did (it hands the move back for a
        // reschedule, and with no alternate in this two-host cell the conductor gives up, as Nova).
        const beforeSource = ['rpc.call.scheduler.select_destinations', 'rpc.cast.compute.prep_resize', 'rpc.cast.compute.resize_instance'].includes(step.operation);
        assert.equal(server.status, beforeSource ? 'ACTIVE' : 'ERROR', `${label}: ${JSON.stringify(server.fault)}`);
        if (server.status === 'ERROR') assert.ok(server.fault?.message, `${label}: a fault`);
        const [migration] = await migrationsOf(t.admin, s.id);
        assert.equal(migration?.status, 'error', `${label}: migration in error`);
        assert.deepEqual(await allocationsByHost(t.admin, migration.uuid, providers), {}, `${label}: the migration holds nothing`);
      }
      assert.deepEqual(await allocationsByHost(t.admin, s.id, providers), before, `${label}: allocations as before`);
      assert.deepEqual(before, { [s.host]: flavorUse(TINY, true) });
      await waitForUsage(t.admin, { [s.host]: { vcpus: 1, ram: RESERVED_RAM + 512 }, [s.other]: { vcpus: 0, ram: RESERVED_RAM } });
      const attachments = await attachmentsOf(t.admin, s.volume);
      assert.deepEqual(attachments.map((a: any) => a.attached_host ?? a.host_name ?? a.connection_info?.host ?? 'x').length, 1, `${label}: one attachment: ${JSON.stringify(attachments)}`);
      const ports = (await t.admin.get(`/network/v2.0/ports?device_id=${s.id}`)).body.ports as any[];
      assert.deepEqual(ports.map((p) => p['binding:host_id']), [s.host], `${label}: the port is bound to the original host`);
      assert.ok([...t.cloud.drivers.values()].every((d) => !(d as any).listSetAside().includes(s.id)), `${label}: no disks left set aside`);

      assert.deepEqual((await t.cloud.audit()).map((r) => r.finding), [], `${label}: the audit finds nothing`);
      // Recoverable: a hard reboot (when in ERROR), then the resize goes through.
      if ((await t.admin.get(`${C}/servers/${s.id}`)).body.server.status === 'ERROR') {
        await act(t.member, s.id, { reboot: { type: 'HARD' } });
        await waitForStatus(t.member, s.id, 'ACTIVE');
      }
      await act(t.member, s.id, { resize: { flavorRef: '42' } });
      await waitForStatus(t.member, s.id, 'VERIFY_RESIZE');
      assert.equal((await adminServer(t.admin, s.id))['OS-EXT-SRV-ATTR:host'], s.other, `${label}: the retried resize moved it`);
      await act(t.member, s.id, { confirmResize: null }, 204);
      await waitForStatus(t.member, s.id, 'ACTIVE');
      await deleteServer(s.id);
      assert.deepEqual(await allocationsByHost(t.admin, s.id, providers), {}, `${label}: nothing left after delete`);
    }
  });
});
