/**
 * Resize and cold migration with the real `openstack` CLI (Debian's python3-openstackclient 6.0,
 * novaclient underneath) against the cloud started as the README says: a server booted into
 * cell1 (hosts cell1-compute1 and cell1-compute2) is resized with `--wait` and confirmed, resized
 * again and reverted, cold migrated to a named host at 2.56 and confirmed, and migrated where the
 * scheduler likes and reverted; after each step its status, host and flavor. Then `server
 * migration list` (columns at 2.1, 2.23 and 2.59; the --server, --status, --type and --host
 * filters), `server event list`, `limits show --absolute` (usage of the current flavor, also
 * during VERIFY_RESIZE) and `quota show`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { freePort, os, osFails, osJson, useCliCloud } from '../fixtures/openstack-cli.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the CLI prints untyped JSON */

// A port the system gives; useCliCloud takes another if it is gone by the time the cloud starts.
const PORT = await freePort();
const IMAGE = 'cirros-0.6.2-x86_64-disk';
const CELL1 = ['cell1-compute1', 'cell1-compute2'];

type MigrationRow = Record<string, any> & { Status: string; 'Server UUID': string; 'Source Compute': string; 'Dest Compute': string };

describe('resize and cold migration with the openstack CLI', { timeout: 600_000 }, () => {
  const cli = useCliCloud('tessera-cli-moves-', PORT);
  let id = '';
  /** The server's hosts, oldest first (the first one is where it was booted). */
  const hosts: string[] = [];
  const otherHost = (host: string): string => CELL1.find((h) => h !== host) as string;

  /** Status, host (from the administrator's view) and flavor name of the server. */
  async function where(): Promise<{ status: string; task: string | null; host: string; flavor: string }> {
    const s = await osJson(cli.admin, 'server', 'show', id);
    return { status: s.status, task: s['OS-EXT-STS:task_state'], host: s['OS-EXT-SRV-ATTR:host'], flavor: String(s.flavor).replace(/ \(\w+\)$/, '') };
  }

  /** Polls `server show` until the server has the status and no task (confirm and revert have no --wait). */
  async function waitForStatus(status: string): Promise<Awaited<ReturnType<typeof where>>> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const now = await where();
      if (now.status === status && now.task === null) return now;
      if (Date.now() > deadline) assert.fail(`server ${id} did not reach ${status}: ${JSON.stringify(now)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  /** `limits show --absolute` as a name → value map. */
  async function absoluteLimits(): Promise<Record<string, number>> {
    const rows = await osJson<{ Name: string; Value: number }[]>(cli.member, 'limits', 'show', '--absolute');
    return Object.fromEntries(rows.map((r) => [r.Name, r.Value]));
  }

  async function assertUsage(cores: number, ram: number): Promise<void> {
    const limits = await absoluteLimits();
    assert.deepEqual([limits['totalInstancesUsed'], limits['totalCoresUsed'], limits['totalRAMUsed']], [1, cores, ram]);
  }

  it('server create --availability-zone cell1 --wait boots on a cell1 host', async () => {
    const created = await osJson(cli.member, '--os-compute-api-version', '2.37', 'server', 'create', '--flavor', 'm1.tiny', '--image', IMAGE, '--nic', 'none', '--availability-zone', 'cell1', '--wait', 'mover');
    assert.equal(created.status, 'ACTIVE');
    assert.equal(created['OS-EXT-AZ:availability_zone'], 'cell1');
    assert.equal(created.flavor, 'm1.tiny (1)');
    id = String(created.id);
    const now = await where();
    assert.ok(CELL1.includes(now.host), now.host);
    hosts.push(now.host);
    await assertUsage(1, 512);
  });

  it('server resize --flavor m1.small --wait stops at VERIFY_RESIZE on the other host; resize confirm keeps it there', async () => {
    const out = await os(cli.member, 'server', 'resize', '--flavor', 'm1.small', '--wait', 'mover');
    assert.match(out, /Complete/);
    const source = hosts[0] as string;
    let now = await where();
    assert.deepEqual(now, { status: 'VERIFY_RESIZE', task: null, host: otherHost(source), flavor: 'm1.small' });
    assert.equal((await osJson(cli.member, 'server', 'show', 'mover')).status, 'VERIFY_RESIZE');
    await assertUsage(1, 2048);

    assert.equal(await os(cli.member, 'server', 'resize', 'confirm', 'mover'), '');
    now = await waitForStatus('ACTIVE');
    assert.deepEqual(now, { status: 'ACTIVE', task: null, host: otherHost(source), flavor: 'm1.small' });
    hosts.push(now.host);
    await assertUsage(1, 2048);
    // Nothing left to confirm.
    assert.match(await osFails(cli.member, 'server', 'resize', 'confirm', 'mover'), /Cannot 'confirmResize' instance .* while it is in vm_state active \(HTTP 409\)/);
  });

  it('server resize --flavor m1.medium --wait, then resize revert: back on the previous host with m1.small', async () => {
    const before = hosts[hosts.length - 1] as string;
    assert.match(await os(cli.member, 'server', 'resize', '--flavor', 'm1.medium', '--wait', 'mover'), /Complete/);
    let now = await where();
    assert.deepEqual(now, { status: 'VERIFY_RESIZE', task: null, host: otherHost(before), flavor: 'm1.medium' });
    // During VERIFY_RESIZE the project is charged for the new flavor.
    await assertUsage(2, 4096);

    assert.equal(await os(cli.member, 'server', 'resize', 'revert', 'mover'), '');
    now = await waitForStatus('ACTIVE');
    assert.deepEqual(now, { status: 'ACTIVE', task: null, host: before, flavor: 'm1.small' });
    await assertUsage(1, 2048);
    // Resizing to the flavor it has is refused.
    assert.match(await osFails(cli.member, 'server', 'resize', '--flavor', 'm1.small', 'mover'), /When resizing, instances must change flavor! \(HTTP 400\)/);
  });

  it('server migrate --host needs 2.56; at 2.56 the host must be another host of the server\'s cell', async () => {
    const current = hosts[hosts.length - 1] as string;
    assert.match(await osFails(cli.admin, 'server', 'migrate', '--host', otherHost(current), id), /--os-compute-api-version 2\.56 or greater is required/);
    const at256 = ['--os-compute-api-version', '2.56', 'server', 'migrate'];
    assert.match(await osFails(cli.admin, ...at256, '--host', current, id), new RegExp(`Unable to migrate instance \\(${id}\\) to current host \\(${current}\\)\\. \\(HTTP 400\\)`));
    assert.match(await osFails(cli.admin, ...at256, '--host', 'no-such-host', id), /Compute host no-such-host could not be found\. \(HTTP 400\)/);
    // Moves stay within a cell (cross-cell resize is off), so cell2's hosts are not found either.
    assert.match(await osFails(cli.admin, ...at256, '--host', 'cell2-compute1', id), /Compute host cell2-compute1 could not be found\. \(HTTP 400\)/);
    // A member may not migrate at all.
    assert.match(await osFails(cli.member, ...at256, '--host', otherHost(current), 'mover'), /\(HTTP 403\)/);
    assert.deepEqual(await where(), { status: 'ACTIVE', task: null, host: current, flavor: 'm1.small' });
  });

  it('server migrate --host <the other cell1 host> --wait at 2.56, then server migrate confirm: on the named host', async () => {
    const target = otherHost(hosts[hosts.length - 1] as string);
    assert.match(await os(cli.admin, '--os-compute-api-version', '2.56', 'server', 'migrate', '--host', target, '--wait', id), /Complete/);
    let now = await where();
    assert.deepEqual(now, { status: 'VERIFY_RESIZE', task: null, host: target, flavor: 'm1.small' });
    // `server migrate confirm` is the deprecated spelling of `server migration confirm`: both send confirmResize.
    await os(cli.admin, 'server', 'migrate', 'confirm', id);
    now = await waitForStatus('ACTIVE');
    assert.deepEqual(now, { status: 'ACTIVE', task: null, host: target, flavor: 'm1.small' });
    hosts.push(target);
    await assertUsage(1, 2048);
  });

  it('server migrate --wait (the scheduler picks the other host), then server migration revert', async () => {
    const current = hosts[hosts.length - 1] as string;
    assert.match(await os(cli.admin, 'server', 'migrate', '--wait', id), /Complete/);
    let now = await where();
    assert.deepEqual(now, { status: 'VERIFY_RESIZE', task: null, host: otherHost(current), flavor: 'm1.small' });
    await os(cli.admin, 'server', 'migration', 'revert', id);
    now = await waitForStatus('ACTIVE');
    assert.deepEqual(now, { status: 'ACTIVE', task: null, host: current, flavor: 'm1.small' });
  });

  it('server migration list shows the moves newest first, with ids and types from 2.23 and uuids from 2.59', async () => {
    const [h0, h1] = hosts as [string, string, string];
    const expected = [
      // [status, type, source, dest, old flavor, new flavor]
      ['reverted', 'migration', h0, h1, 2, 2],
      ['confirmed', 'migration', h1, h0, 2, 2],
      ['reverted', 'resize', h1, h0, 2, 3],
      ['confirmed', 'resize', h0, h1, 1, 2],
    ];
    const plain = await osJson<MigrationRow[]>(cli.admin, 'server', 'migration', 'list');
    assert.deepEqual(plain.map((m) => [m.Status, m['Source Compute'], m['Dest Compute'], m['Old Flavor'], m['New Flavor']]), expected.map(([s, , src, dst, o, n]) => [s, src, dst, o, n]));
    for (const m of plain) {
      assert.equal(m['Server UUID'], id);
      assert.equal(m['Source Node'], m['Source Compute']);
      assert.equal(m['Dest Node'], m['Dest Compute']);
      assert.equal(typeof m['Dest Host'], 'string');
      assert.match(String(m['Created At']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
      assert.match(String(m['Updated At']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
      assert.equal('Id' in m || 'Type' in m || 'UUID' in m, false, 'no id, type or uuid below 2.23');
    }

    const at223 = await osJson<MigrationRow[]>(cli.admin, '--os-compute-api-version', '2.23', 'server', 'migration', 'list');
    assert.deepEqual(at223.map((m) => [m.Status, m['Type']]), expected.map(([s, type]) => [s, type]));
    assert.deepEqual(at223.map((m) => m['Id']), [...at223.map((m) => m['Id'] as number)].sort((a, b) => b - a), 'newest (highest id) first');
    assert.equal('UUID' in (at223[0] ?? {}), false);

    const at259 = await osJson<MigrationRow[]>(cli.admin, '--os-compute-api-version', '2.59', 'server', 'migration', 'list', '--server', id);
    assert.equal(at259.length, 4);
    for (const m of at259) assert.match(String(m['UUID']), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const page = await osJson<MigrationRow[]>(cli.admin, '--os-compute-api-version', '2.59', 'server', 'migration', 'list', '--limit', '1', '--marker', String(at259[0]?.['UUID']));
    assert.deepEqual(page.map((m) => m['UUID']), [at259[1]?.['UUID']]);
  });

  it('server migration list filters by --server, --status, --type and --host', async () => {
    const [h0] = hosts as [string];
    const list = (...args: string[]) => osJson<MigrationRow[]>(cli.admin, '--os-compute-api-version', '2.23', 'server', 'migration', 'list', ...args);
    const rows = (ms: MigrationRow[]) => ms.map((m) => [m.Status, m['Type']]);
    // By name: the administrator sees the member's server through its id only, so use the id.
    assert.equal((await list('--server', id)).length, 4);
    assert.deepEqual(rows(await list('--status', 'reverted')), [['reverted', 'migration'], ['reverted', 'resize']]);
    assert.deepEqual(rows(await list('--server', id, '--status', 'confirmed')), [['confirmed', 'migration'], ['confirmed', 'resize']]);
    assert.deepEqual(rows(await list('--type', 'resize')), [['reverted', 'resize'], ['confirmed', 'resize']]);
    // The CLI takes `cold-migration` (not `migration`) and sends the API's `migration`.
    assert.deepEqual(rows(await list('--type', 'cold-migration')), [['reverted', 'migration'], ['confirmed', 'migration']]);
    assert.deepEqual(rows(await list('--status', 'confirmed', '--type', 'cold-migration')), [['confirmed', 'migration']]);
    // Every move in this test touched both cell1 hosts: as source or as destination.
    assert.equal((await list('--host', h0)).length, 4);
    assert.deepEqual(await list('--host', 'cell2-compute1'), []);
    assert.deepEqual(await list('--status', 'migrating'), []);
    // Not for members.
    assert.match(await osFails(cli.member, 'server', 'migration', 'list'), /\(HTTP 403\)/);
  });

  it('server event list shows create, the resizes, migrations, confirms and reverts, newest first', async () => {
    const rows = await osJson<{ 'Request ID': string; 'Server ID': string; Action: string }[]>(cli.member, 'server', 'event', 'list', 'mover');
    assert.deepEqual(rows.map((r) => r.Action), ['revertResize', 'migrate', 'confirmResize', 'migrate', 'revertResize', 'resize', 'confirmResize', 'resize', 'create']);
    for (const r of rows) {
      assert.equal(r['Server ID'], id);
      assert.match(r['Request ID'], /^req-[0-9a-f-]{36}$/);
    }
    assert.equal(new Set(rows.map((r) => r['Request ID'])).size, rows.length);
    // The first resize's events, as an administrator sees them.
    const resize = rows[rows.length - 2] as { 'Request ID': string };
    const shown = await osJson(cli.admin, 'server', 'event', 'show', id, resize['Request ID']);
    assert.equal(shown.action, 'resize');
    const events = (typeof shown.events === 'string' ? JSON.parse(shown.events) : shown.events) as { event: string; result: string }[];
    assert.deepEqual(events.map((e) => `${e.event}:${e.result}`).sort(), ['compute_finish_resize:Success', 'compute_prep_resize:Success', 'compute_resize_instance:Success', 'conductor_migrate_server:Success']);
  });

  it('limits show --absolute counts the current flavor (m1.small); quota show works', async () => {
    const limits = await absoluteLimits();
    assert.equal(limits['totalInstancesUsed'], 1);
    assert.equal(limits['totalCoresUsed'], 1);
    assert.equal(limits['totalRAMUsed'], 2048);
    assert.equal(limits['maxTotalCores'], 20);
    assert.equal(limits['maxTotalRAMSize'], 51200);
    const quota = await osJson(cli.member, 'quota', 'show');
    assert.equal(quota.project_name, 'demo');
    assert.equal(quota.instances, 10);
    assert.equal(quota.cores, 20);
    assert.equal(quota.ram, 51200);
    // The administrator reads the member's project by name.
    assert.equal((await osJson(cli.admin, 'quota', 'show', 'demo')).cores, 20);
  });

  it('server delete --wait frees the usage', async () => {
    await os(cli.member, 'server', 'delete', '--wait', 'mover');
    const limits = await absoluteLimits();
    assert.deepEqual([limits['totalInstancesUsed'], limits['totalCoresUsed'], limits['totalRAMUsed']], [0, 0, 0]);
  });
});
