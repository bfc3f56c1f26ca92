/**
 * Rescheduling a resize whose destination failed its prep step (Nova's prep_resize reschedule):
 * with three hosts in cell1, the first destination fails, the move goes to the alternate, and
 * nothing is left on the host that failed; when no alternate is left, the server goes back as it
 * was before the request, with Nova's "Exceeded maximum number of retries" fault.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestCloud, waitFor, type TestCloud } from '../fixtures/test-cloud.js';
import { C, createServer, imageId, waitForGone } from './helpers.js';
import { act, actionsOf, adminServer, allocationsByHost, flavorUse, migrationsOf, providersByHost, waitForStatus } from './move-support.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

const TINY = flavorUse({ vcpus: 1, memory_mb: 512, root_gb: 1 }, false);
const NANO = flavorUse({ vcpus: 1, memory_mb: 128, root_gb: 1 }, false);
// The destination's prep hands the instance over to its source with this cast: failing it on the
// way to the source fails the prep step on whichever destination makes it.
const PREP_HANDOVER = 'rpc.cast.compute.resize_instance';

describe('a resize whose destination fails its prep step', () => {
  let t: TestCloud;
  let image: string;
  let providers: Map<string, string>;

  before(async () => {
    t = await startTestCloud('[cells]\nhosts_per_cell = 3');
    image = await imageId(t.admin);
    providers = await providersByHost(t.admin);
  });
  after(async () => t?.stop());

  async function settled(id: string): Promise<any> {
    return waitFor(`server ${id} to settle`, async () => {
      const s = (await t.admin.get(`${C}/servers/${id}`)).body.server;
      return ['VERIFY_RESIZE', 'ACTIVE', 'ERROR'].includes(s.status) && s['OS-EXT-STS:task_state'] === null ? s : undefined;
    });
  }

  it('is rescheduled to the alternate, leaving nothing on the host that failed; confirm then finishes it there', async () => {
    const id = await createServer(t.member, { name: 'resched-ok', imageRef: image, zone: 'cell1' });
    await waitForStatus(t.member, id, 'ACTIVE');
    const source = (await adminServer(t.admin, id))['OS-EXT-SRV-ATTR:host'] as string;

    t.cloud.faults.arm(PREP_HANDOVER, { times: 1, host: source });
    await act(t.member, id, { resize: { flavorRef: '42' } });
    const server = await settled(id);
    assert.deepEqual(t.cloud.faults.list(), [], 'the first destination failed its prep');
    assert.equal(server.status, 'VERIFY_RESIZE', JSON.stringify(server.fault));
    const dest = (await adminServer(t.admin, id))['OS-EXT-SRV-ATTR:host'] as string;
    assert.notEqual(dest, source);

    const [migration] = await migrationsOf(t.admin, id);
    assert.equal(migration.status, 'finished');
    assert.equal(migration.dest_compute, dest);
    assert.deepEqual(await allocationsByHost(t.admin, id, providers), { [dest]: NANO }, 'the instance holds the new flavor on the alternate only');
    assert.deepEqual(await allocationsByHost(t.admin, migration.uuid, providers), { [source]: TINY }, 'the migration holds the old flavor on the source');
    const [resize] = (await actionsOf(t.admin, id)).filter((a) => a.action === 'resize');
    assert.ok(resize?.events.includes('compute_prep_resize:Error'), `the failed prep is recorded: ${JSON.stringify(resize)}`);
    assert.ok(resize?.events.includes('conductor_reschedule_move:Success'));
    assert.ok(resize?.events.includes('compute_prep_resize:Success'));

    await act(t.member, id, { confirmResize: null }, 204);
    await waitForStatus(t.member, id, 'ACTIVE');
    assert.deepEqual(await allocationsByHost(t.admin, id, providers), { [dest]: NANO });
    assert.deepEqual(await allocationsByHost(t.admin, migration.uuid, providers), {});
    assert.deepEqual((await t.cloud.audit()).map((r) => r.finding), [], 'the audit finds nothing');
    assert.equal((await t.member.delete(`${C}/servers/${id}`)).status, 204);
    await waitForGone(t.member, id);
  });

  it('gives up cleanly when placement fails the claim on the alternate (not just no room)', async () => {
    const id = await createServer(t.member, { name: 'resched-claim', imageRef: image, zone: 'cell1' });
    await waitForStatus(t.member, id, 'ACTIVE');
    const source = (await adminServer(t.admin, id))['OS-EXT-SRV-ATTR:host'] as string;

    t.cloud.faults.arm(PREP_HANDOVER, { times: 1, host: source });
    // Allocation writes of the resize: the source allocation to the migration, the scheduler's
    // claim on the first destination, then the conductor's claim on the alternate, which fails.
    t.cloud.faults.arm('placement.allocations.write', { times: 1, after: 2 });
    try {
      await act(t.member, id, { resize: { flavorRef: '42' } });
      await waitFor('the move to be given up', async () => ((await migrationsOf(t.admin, id))[0]?.status === 'error' ? true : undefined));
    } finally {
      t.cloud.faults.disarm('placement.allocations.write');
    }
    assert.deepEqual(t.cloud.faults.list(), [], 'both failures fired');
    const server = await settled(id);
    assert.equal(server.status, 'ACTIVE');
    assert.equal((await adminServer(t.admin, id))['OS-EXT-SRV-ATTR:host'], source);
    const [migration] = await migrationsOf(t.admin, id);
    assert.deepEqual(await allocationsByHost(t.admin, id, providers), { [source]: TINY }, 'the source allocation is back on the instance, no claim left');
    assert.deepEqual(await allocationsByHost(t.admin, migration.uuid, providers), {});
    assert.deepEqual((await t.cloud.audit()).map((r) => r.finding), [], 'the audit finds nothing');
    assert.equal((await t.member.delete(`${C}/servers/${id}`)).status, 204);
    await waitForGone(t.member, id);
  });

  it('with no alternate left it goes back as it was, with a fault, the migration in error and its allocation as before', async () => {
    const id = await createServer(t.member, { name: 'resched-none', imageRef: image, zone: 'cell1' });
    await waitForStatus(t.member, id, 'ACTIVE');
    const source = (await adminServer(t.admin, id))['OS-EXT-SRV-ATTR:host'] as string;

    t.cloud.faults.arm(PREP_HANDOVER, { times: Infinity, host: source });
    try {
      await act(t.member, id, { resize: { flavorRef: '42' } });
      await waitFor('the move to be given up', async () => ((await migrationsOf(t.admin, id))[0]?.status === 'error' ? true : undefined));
    } finally {
      t.cloud.faults.disarm(PREP_HANDOVER);
    }
    const server = await settled(id);
    assert.equal(server.status, 'ACTIVE');
    const shown = await adminServer(t.admin, id);
    assert.equal(shown['OS-EXT-SRV-ATTR:host'], source);
    assert.equal(shown.flavor.original_name, 'm1.tiny');
    const [migration] = await migrationsOf(t.admin, id);
    assert.equal(migration.status, 'error');
    assert.deepEqual(await allocationsByHost(t.admin, id, providers), { [source]: TINY });
    assert.deepEqual(await allocationsByHost(t.admin, migration.uuid, providers), {});
    const [resize] = (await actionsOf(t.admin, id)).filter((a) => a.action === 'resize');
    assert.deepEqual(resize?.events.filter((e) => e === 'compute_prep_resize:Error').length, 2, 'both other hosts were tried');
    assert.ok(resize?.events.includes('conductor_migrate_server:Error'));
    const faults = await (t.cloud.cells.database((await t.cloud.api.cells.getByName('cell1'))!).db)
      .selectFrom('instance_faults').select('message').where('instance_uuid', '=', id).orderBy('id', 'desc').execute();
    assert.match(faults[0]?.message ?? '', /Exceeded maximum number of retries/);
    assert.deepEqual((await t.cloud.audit()).map((r) => r.finding), [], 'the audit finds nothing');

    // Nothing is stuck: the next resize goes through.
    await act(t.member, id, { resize: { flavorRef: '42' } });
    await waitForStatus(t.member, id, 'VERIFY_RESIZE');
    await act(t.member, id, { confirmResize: null }, 204);
    await waitForStatus(t.member, id, 'ACTIVE');
    assert.equal((await t.member.delete(`${C}/servers/${id}`)).status, 204);
    await waitForGone(t.member, id);
  });
});
