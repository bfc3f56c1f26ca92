/**
 * Cross-cell resize and cold migration with the real `openstack` CLI (Debian's
 * python3-openstackclient 6.0, novaclient underneath) against a cloud started with `npm start`,
 * one host per cell (`[cells] hosts_per_cell = 1`, so every move must leave its cell) and a policy
 * file letting administrators move across cells (`compute:servers:resize:cross_cell: role:admin`).
 *
 * As the administrator: `server create --host cell1-compute1` at 2.74; `server resize --wait`
 * lands on cell2-compute1 (VERIFY_RESIZE), `server resize confirm`; `server migrate --host
 * cell1-compute1 --wait` at 2.56 back into cell1 (VERIFY_RESIZE), `server migration revert`
 * brings it back to cell2-compute1; `server migration list` and `server event list`/`show`;
 * `server delete --wait`. As a member (not allowed across cells): a resize finds no host in the
 * server's cell, the migration ends in `error` and the server stays ACTIVE where it was.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { freePort, os, osFails, osJson, useCliCloud } from '../fixtures/openstack-cli.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the CLI prints untyped JSON */

// A port the system gives; useCliCloud takes another if it is gone by the time the cloud starts.
const PORT = await freePort();
const IMAGE = 'cirros-0.6.2-x86_64-disk';
const H1 = 'cell1-compute1';
const H2 = 'cell2-compute1';

type MigrationRow = Record<string, any> & { Status: string; 'Server UUID': string; 'Source Compute': string; 'Dest Compute': string };
type EventRow = { 'Request ID': string; 'Server ID': string; Action: string };

describe('cross-cell resize and cold migration with the openstack CLI', { timeout: 600_000 }, () => {
  const cli = useCliCloud('tessera-cli-xcell-', PORT, {
    files: { 'policy.yaml': '"compute:servers:resize:cross_cell": "role:admin"\n' },
    config: (dataDir) => `[cells]\nhosts_per_cell = 1\n[oslo_policy]\npolicy_file = ${join(dataDir, 'policy.yaml')}\n`,
  });
  let id = '';
  let memberId = '';
  let memberHost = '';
  /** The zone `server show` gives after each step (checked by the todo test at the end). */
  const zones: [string, string][] = [];
  const recordZone = async (step: string): Promise<void> => {
    zones.push([step, String((await osJson(cli.admin, 'server', 'show', id))['OS-EXT-AZ:availability_zone'])]);
  };

  /** Status, task, host and flavor name of a server, as the administrator sees it. */
  async function where(server: string): Promise<{ status: string; task: string | null; host: string; flavor: string }> {
    const s = await osJson(cli.admin, 'server', 'show', server);
    return { status: s.status, task: s['OS-EXT-STS:task_state'], host: s['OS-EXT-SRV-ATTR:host'], flavor: String(s.flavor).replace(/ \(\w+\)$/, '') };
  }

  /** Polls `server show` until the server has the status and no task (confirm and revert have no --wait). */
  async function waitForStatus(server: string, status: string): Promise<Awaited<ReturnType<typeof where>>> {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const now = await where(server);
      if (now.status === status && now.task === null) return now;
      if (Date.now() > deadline) assert.fail(`server ${server} did not reach ${status}: ${JSON.stringify(now)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  const migrationsOf = (server: string, ...extra: string[]): Promise<MigrationRow[]> =>
    osJson<MigrationRow[]>(cli.admin, '--os-compute-api-version', '2.23', 'server', 'migration', 'list', '--server', server, ...extra);

  it('the cloud has one compute host per cell', async () => {
    const services = await osJson<Record<string, any>[]>(cli.admin, 'compute', 'service', 'list', '--service', 'nova-compute');
    assert.deepEqual(services.map((s) => s['Host']).sort(), [H1, H2]);
  });

  it('server create --host cell1-compute1 --wait at 2.74 boots on that host', async () => {
    const created = await osJson(cli.admin, '--os-compute-api-version', '2.74', 'server', 'create', '--flavor', 'm1.tiny', '--image', IMAGE, '--nic', 'none', '--host', H1, '--wait', 'xc');
    assert.equal(created.status, 'ACTIVE');
    assert.equal(created['OS-EXT-SRV-ATTR:host'], H1);
    assert.equal(created['OS-EXT-AZ:availability_zone'], 'cell1');
    id = String(created.id);
    assert.deepEqual(await where(id), { status: 'ACTIVE', task: null, host: H1, flavor: 'm1.tiny' });
  });

  it('server resize --flavor m1.small --wait moves it to cell2 (VERIFY_RESIZE); resize confirm keeps it there', async () => {
    assert.match(await os(cli.admin, 'server', 'resize', '--flavor', 'm1.small', '--wait', id), /Complete/);
    assert.deepEqual(await where(id), { status: 'VERIFY_RESIZE', task: null, host: H2, flavor: 'm1.small' });
    await recordZone('resized');

    assert.equal(await os(cli.admin, 'server', 'resize', 'confirm', id), '');
    assert.deepEqual(await waitForStatus(id, 'ACTIVE'), { status: 'ACTIVE', task: null, host: H2, flavor: 'm1.small' });
    await recordZone('confirmed');
    // Listed once, on cell2's host.
    const listed = await osJson<Record<string, any>[]>(cli.admin, 'server', 'list', '--long');
    assert.deepEqual(listed.filter((s) => s['ID'] === id).map((s) => [s['Status'], s['Host']]), [['ACTIVE', H2]]);
    assert.match(await osFails(cli.admin, 'server', 'resize', 'confirm', id), /\(HTTP 409\)/);
  });

  it('server migrate --host cell1-compute1 --wait at 2.56 moves it back into cell1 (VERIFY_RESIZE)', async () => {
    assert.match(await os(cli.admin, '--os-compute-api-version', '2.56', 'server', 'migrate', '--host', H1, '--wait', id), /Complete/);
    assert.deepEqual(await where(id), { status: 'VERIFY_RESIZE', task: null, host: H1, flavor: 'm1.small' });
    await recordZone('migrated');
  });

  it('server migration revert brings it back to cell2-compute1', async () => {
    assert.equal(await os(cli.admin, 'server', 'migration', 'revert', id), '');
    assert.deepEqual(await waitForStatus(id, 'ACTIVE'), { status: 'ACTIVE', task: null, host: H2, flavor: 'm1.small' });
    await recordZone('reverted');
    const listed = await osJson<Record<string, any>[]>(cli.admin, 'server', 'list', '--long');
    assert.equal(listed.filter((s) => s['ID'] === id).length, 1, 'listed once after the revert');
  });

  it('server migration list shows the resize (confirmed) and the migration (reverted), newest first', async () => {
    const rows = await migrationsOf(id);
    assert.deepEqual(rows.map((m) => [m.Status, m['Type'], m['Source Compute'], m['Dest Compute'], m['Old Flavor'], m['New Flavor']]), [
      ['reverted', 'migration', H2, H1, 2, 2],
      ['confirmed', 'resize', H1, H2, 1, 2],
    ]);
    for (const m of rows) assert.equal(m['Server UUID'], id);
    assert.deepEqual((await migrationsOf(id, '--status', 'confirmed')).map((m) => m['Type']), ['resize']);
    assert.deepEqual((await migrationsOf(id, '--type', 'cold-migration')).map((m) => m.Status), ['reverted']);
  });

  it('server event list shows create, resize, confirmResize, migrate, revertResize; the resize ran the snapshot-based flow', async () => {
    const rows = await osJson<EventRow[]>(cli.admin, 'server', 'event', 'list', id);
    assert.deepEqual(rows.map((r) => r.Action), ['revertResize', 'migrate', 'confirmResize', 'resize', 'create']);
    for (const r of rows) assert.equal(r['Server ID'], id);
    const resize = rows[3] as EventRow;
    const shown = await osJson(cli.admin, 'server', 'event', 'show', id, resize['Request ID']);
    const events = (typeof shown.events === 'string' ? JSON.parse(shown.events) : shown.events) as { event: string; result: string }[];
    const names = events.map((e) => `${e.event}:${e.result}`);
    assert.ok(names.includes('compute_prep_snapshot_based_resize_at_source:Success'), names.join(', '));
    assert.ok(names.includes('compute_finish_snapshot_based_resize_at_dest:Success'), names.join(', '));
    assert.ok(events.every((e) => e.result === 'Success'), names.join(', '));
  });

  it('a member\'s resize stays in its cell: no host there, the migration is in error, the server ACTIVE where it was', async () => {
    const created = await osJson(cli.member, '--os-compute-api-version', '2.37', 'server', 'create', '--flavor', 'm1.tiny', '--image', IMAGE, '--nic', 'none', '--wait', 'mine');
    assert.equal(created.status, 'ACTIVE');
    memberId = String(created.id);
    memberHost = (await where(memberId)).host;
    assert.ok([H1, H2].includes(memberHost), memberHost);

    assert.equal(await os(cli.member, 'server', 'resize', '--flavor', 'm1.small', 'mine'), '');
    const deadline = Date.now() + 90_000;
    let rows: MigrationRow[] = [];
    for (;;) {
      rows = await migrationsOf(memberId);
      if (rows.length === 1 && rows[0]?.Status === 'error') break;
      if (Date.now() > deadline) assert.fail(`the member's resize did not fail: ${JSON.stringify(rows)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.deepEqual(rows.map((m) => [m['Type'], m['Source Compute'], m['Old Flavor'], m['New Flavor']]), [['resize', memberHost, 1, 2]]);
    assert.deepEqual(await waitForStatus(memberId, 'ACTIVE'), { status: 'ACTIVE', task: null, host: memberHost, flavor: 'm1.tiny' });
    assert.equal((await osJson(cli.member, 'server', 'show', 'mine')).status, 'ACTIVE');
    // Nothing to confirm or revert.
    assert.match(await osFails(cli.member, 'server', 'resize', 'confirm', 'mine'), /\(HTTP 409\)/);
    // The member's usage is still the old flavor's.
    const limits = Object.fromEntries((await osJson<{ Name: string; Value: number }[]>(cli.member, 'limits', 'show', '--absolute')).map((r) => [r.Name, r.Value]));
    assert.deepEqual([limits['totalInstancesUsed'], limits['totalCoresUsed'], limits['totalRAMUsed']], [1, 1, 512]);

    const events = await osJson<EventRow[]>(cli.member, 'server', 'event', 'list', 'mine');
    assert.deepEqual(events.map((r) => r.Action), ['resize', 'create']);
    const shown = await osJson(cli.admin, 'server', 'event', 'show', memberId, (events[0] as EventRow)['Request ID']);
    const results = (typeof shown.events === 'string' ? JSON.parse(shown.events) : shown.events) as { event: string; result: string }[];
    assert.ok(results.some((e) => e.event === 'conductor_migrate_server' && e.result === 'Error'), JSON.stringify(results));
  });

  it('server migration list: the three migrations of this cloud (confirmed, reverted, error)', async () => {
    const all = await osJson<MigrationRow[]>(cli.admin, '--os-compute-api-version', '2.23', 'server', 'migration', 'list');
    assert.deepEqual(all.map((m) => [m.Status, m['Type'], m['Server UUID']]), [
      ['error', 'resize', memberId],
      ['reverted', 'migration', id],
      ['confirmed', 'resize', id],
    ]);
  });

  it('server delete --wait: both servers are gone, and with them their migrations (as in Nova)', async () => {
    await os(cli.admin, 'server', 'delete', '--wait', id);
    await os(cli.member, 'server', 'delete', '--wait', 'mine');
    assert.match(await osFails(cli.admin, 'server', 'show', id), /No server with a name or ID of|could not be found/);
    const listed = await osJson<Record<string, any>[]>(cli.admin, 'server', 'list', '--all-projects');
    assert.deepEqual(listed.filter((s) => s['ID'] === id || s['ID'] === memberId), []);
    assert.deepEqual(await osJson(cli.admin, 'server', 'migration', 'list'), []);
  });

  // As Nova's, the instance takes the zone of the host it lands on (and its own back on a revert).
  it('OS-EXT-AZ:availability_zone follows the server across cells', () => {
    assert.deepEqual(zones, [['resized', 'cell2'], ['confirmed', 'cell2'], ['migrated', 'cell1'], ['reverted', 'cell2']]);
  });
});
