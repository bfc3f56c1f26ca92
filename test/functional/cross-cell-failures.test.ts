import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestCloud, waitFor, type TestCloud } from '../fixtures/test-cloud.js';
import { attachmentsOf, boot, privateNetwork } from './boot-devices.js';
import { C, waitForGone } from './helpers.js';
import { act, adminServer, allocationsByHost, migrationsOf, providersByHost, waitForStatus } from './move-support.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

interface Step {
  operation: string;
  after: number;
}

const SOURCE = 'cell1-compute1';
const DEST = 'cell2-compute1';

/**
 * A failure at every step boundary of a cross-cell move. A clean cold migration to a host of the
 * other cell is recorded (every bus message, volume, network, image and hypervisor call after the
 * API accepted it), then each call of the recording is failed in turn on a fresh server, once for
 * an image-backed server (which goes through a snapshot) and once for a volume-backed one. Whatever
 * fails: the server is listed once, on its source host in the source cell, in ERROR with a fault
 * (or back as it was when nothing had been touched), its allocations as before the move, nothing
 * of it left in the target cell, no snapshot image left, one attachment per volume and its port
 * bound to the source host; a hard reboot brings it back and the move then goes through.
 */
describe('a failure at each step of a cross-cell move', () => {
  let t: TestCloud;
  let dir: string;
  let providers: Map<string, string>;
  let network: string;
  let image: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-xcf-'));
    const file = join(dir, 'policy.yaml');
    writeFileSync(file, '"compute:servers:resize:cross_cell": "role:admin"\n');
    t = await startTestCloud(`[oslo_policy]\npolicy_file = ${file}`);
    providers = await providersByHost(t.admin);
    network = await privateNetwork(t.admin);
    image = (await t.admin.get('/image/v2/images')).body.images[0].id;
  });
  after(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function newServer(name: string, volumeBacked: boolean): Promise<{ id: string; volume: string | undefined }> {
    const res = await boot(t.admin, '2.74', {
      name, flavorRef: '1', host: SOURCE, networks: [{ uuid: network }],
      ...(volumeBacked
        ? { block_device_mapping_v2: [{ source_type: 'image', destination_type: 'volume', uuid: image, boot_index: 0, volume_size: 1, delete_on_termination: true }] }
        : { imageRef: image }),
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const id: string = res.body.server.id;
    await waitForStatus(t.admin, id, 'ACTIVE');
    const server = await adminServer(t.admin, id);
    return { id, volume: server['os-extended-volumes:volumes_attached'][0]?.id };
  }

  const settle = (id: string, label: string): Promise<any> =>
    waitFor(`server ${id} to settle after ${label}`, async () => {
      const s = (await t.admin.get(`${C}/servers/${id}`)).body.server;
      return s.status === 'ERROR' || s.status === 'ACTIVE' || s.status === 'VERIFY_RESIZE' ? s : undefined;
    });

  const migrate = (id: string) => t.admin.withMicroversion('2.56').post(`${C}/servers/${id}/action`, { migrate: { host: DEST } });

  async function cellRecords(id: string): Promise<Record<string, { visible: number; hidden: number }>> {
    const out: Record<string, { visible: number; hidden: number }> = {};
    for (const cell of await t.cloud.api.cells.list()) {
      const row = await t.cloud.cells.repos(cell).instances.find(id);
      out[cell.name] = { visible: row !== undefined && !row.hidden ? 1 : 0, hidden: row?.hidden === true ? 1 : 0 };
    }
    return out;
  }

  for (const volumeBacked of [false, true]) {
    const kind = volumeBacked ? 'volume-backed' : 'image-backed';
    let recorded: Step[] = [];

    it(`records the fault points of a clean cross-cell migration (${kind})`, async () => {
      const s = await newServer(`record-${kind}`, volumeBacked);
      const recording = t.cloud.faults.record();
      assert.equal((await migrate(s.id)).status, 202);
      await waitForStatus(t.admin, s.id, 'VERIFY_RESIZE');
      const ops = recording.stop();
      const seen = new Map<string, number>();
      recorded = ops
        .filter((op) => /^(task|rpc\.(cast|call)\.(conductor|scheduler|compute)|network|volume|virt|image)\./.test(op))
        .map((operation) => {
          const n = seen.get(operation) ?? 0;
          seen.set(operation, n + 1);
          return { operation, after: n };
        });
      const needed = ['task.target_db_setup', 'task.prep_resize_at_dest', 'task.prep_resize_at_source', 'task.finish_resize_at_dest', 'task.switch_to_target_cell', 'rpc.call.compute.prep_snapshot_based_resize_at_source', 'rpc.call.compute.finish_snapshot_based_resize_at_dest', 'network.create_port_binding', 'virt.finish_migration'];
      if (!volumeBacked) needed.push('image.create', 'virt.snapshot', 'image.upload', 'image.delete');
      else needed.push('volume.attachment_create');
      for (const op of needed) assert.ok(recorded.some((r) => r.operation === op), `passes ${op}: ${ops.join(', ')}`);
      await act(t.admin, s.id, { confirmResize: null }, 204);
      await waitForStatus(t.admin, s.id, 'ACTIVE');
      assert.equal((await t.admin.request('DELETE', `${C}/servers/${s.id}`)).status, 204);
      await waitForGone(t.admin, s.id);
    });

    it(`fails each step in turn and leaves the server recoverable in its source cell (${kind})`, async () => {
      assert.ok(recorded.length > 0);
      for (const step of recorded) {
        const label = `${kind} ${step.operation}#${step.after}`;
        const s = await newServer(`fail-${step.operation}`, volumeBacked);
        const before = await allocationsByHost(t.admin, s.id, providers);
        t.cloud.faults.arm(step.operation, { after: step.after });
        const res = await migrate(s.id);
        const server = res.status === 202 ? await settle(s.id, label) : undefined;
        t.cloud.faults.disarm(step.operation);
        if (step.operation === 'image.delete') {
          // The temporary snapshot is deleted after the move succeeded: the move stands, and the
          // snapshot stays behind as an orphan for the audit (here deleted by hand).
          assert.equal(server?.status, 'VERIFY_RESIZE', label);
          const leftover = ((await t.admin.get('/image/v2/images')).body.images as any[]).filter((i) => i.id !== image);
          assert.equal(leftover.length, 1, `${label}: the snapshot is left`);
          assert.equal(leftover[0].tessera_move_snapshot_of, s.id, `${label}: marked as the move's`);
          assert.equal((await t.admin.request('DELETE', `/image/v2/images/${leftover[0].id}`)).status, 204);
          await act(t.admin, s.id, { confirmResize: null }, 204);
          await waitForStatus(t.admin, s.id, 'ACTIVE');
          assert.equal((await t.admin.request('DELETE', `${C}/servers/${s.id}`)).status, 204);
          await waitForGone(t.admin, s.id);
          continue;
        }
        if (res.status !== 202) {
          assert.equal(step.operation, 'rpc.cast.conductor.migrate_server', `${label}: ${res.status} ${JSON.stringify(res.body)}`);
        } else {
          assert.ok(server.status === 'ERROR' || server.status === 'ACTIVE', label);
          if (server.status === 'ERROR') assert.ok(server.fault?.message, `${label}: a fault`);
          const [migration] = await migrationsOf(t.admin, s.id);
          if (step.operation === 'task.create_migration') {
            assert.equal(migration, undefined, `${label}: no migration was recorded`);
          } else {
            assert.equal(migration?.status, 'error', `${label}: migration in error`);
            assert.deepEqual(await allocationsByHost(t.admin, migration.uuid, providers), {}, `${label}: the migration holds nothing`);
          }
        }
        const show = await adminServer(t.admin, s.id);
        assert.equal(show['OS-EXT-SRV-ATTR:host'], SOURCE, `${label}: on its source host`);
        assert.deepEqual(await cellRecords(s.id), { cell0: { visible: 0, hidden: 0 }, cell1: { visible: 1, hidden: 0 }, cell2: { visible: 0, hidden: 0 } }, `${label}: one record, in the source cell`);
        assert.deepEqual(await allocationsByHost(t.admin, s.id, providers), before, `${label}: allocations as before`);
        const images = (await t.admin.get('/image/v2/images')).body.images as any[];
        assert.deepEqual(images.map((i) => i.id), [image], `${label}: no snapshot left`);
        if (s.volume !== undefined) assert.equal((await attachmentsOf(t.admin, s.volume)).length, 1, `${label}: one attachment`);
        const ports = (await t.admin.get(`/network/v2.0/ports?device_id=${s.id}`)).body.ports as any[];
        assert.deepEqual(ports.map((p) => p['binding:host_id']), [SOURCE], `${label}: port bound to the source`);
        for (const p of ports) {
          const bindings = (await t.admin.get(`/network/v2.0/ports/${p.id}/bindings`)).body.bindings as any[] | undefined;
          if (bindings !== undefined) assert.deepEqual(bindings.map((b) => b.host), [SOURCE], `${label}: no binding left for the destination`);
        }
        assert.deepEqual((await t.cloud.audit()).map((r) => r.finding), [], `${label}: the audit finds nothing`);
        if ((await t.admin.get(`${C}/servers/${s.id}`)).body.server.status === 'ERROR') {
          await act(t.admin, s.id, { reboot: { type: 'HARD' } });
          await waitForStatus(t.admin, s.id, 'ACTIVE');
        }
        assert.equal((await migrate(s.id)).status, 202, `${label}: retry accepted`);
        await waitForStatus(t.admin, s.id, 'VERIFY_RESIZE');
        assert.equal((await adminServer(t.admin, s.id))['OS-EXT-SRV-ATTR:host'], DEST, `${label}: the retry moved it`);
        await act(t.admin, s.id, { confirmResize: null }, 204);
        await waitForStatus(t.admin, s.id, 'ACTIVE');
        assert.equal((await t.admin.request('DELETE', `${C}/servers/${s.id}`)).status, 204);
        await waitForGone(t.admin, s.id);
        assert.deepEqual(await allocationsByHost(t.admin, s.id, providers), {}, `${label}: nothing left after delete`);
        assert.deepEqual(await cellRecords(s.id), { cell0: { visible: 0, hidden: 0 }, cell1: { visible: 0, hidden: 0 }, cell2: { visible: 0, hidden: 0 } }, `${label}: nothing left in any cell`);
      }
    });
  }
});
