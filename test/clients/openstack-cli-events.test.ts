/**
 * Server events (instance actions) with the real `openstack` CLI (Debian's python3-openstackclient,
 * novaclient underneath) against the cloud started as the README says: `server event list` (also
 * `--long`, and paged with `--limit`/`--marker`/`--changes-since` at 2.58) and `server event show`
 * as a member and as an administrator, at 2.1, 2.51 and 2.84, and for a deleted server at 2.21.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { freePort, os, osFails, osJson, useCliCloud } from '../fixtures/openstack-cli.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the CLI prints untyped JSON */

// A port the system gives; useCliCloud takes another if it is gone by the time the cloud starts.
const PORT = await freePort();
const IMAGE = 'cirros-0.6.2-x86_64-disk';

type EventRow = { 'Request ID': string; 'Server ID': string; Action: string; 'Start Time': string };

/** Polls `server show` until the server has the status (the CLI's stop has no --wait). */
async function waitForStatus(env: NodeJS.ProcessEnv, server: string, status: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const shown = await osJson(env, 'server', 'show', server);
    if (shown.status === status && shown['OS-EXT-STS:task_state'] === null) return;
    if (Date.now() > deadline) assert.fail(`server ${server} did not reach ${status}: ${JSON.stringify(shown)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The `events` field of `server event show`, which the CLI prints as a list of objects. */
function eventsOf(shown: Record<string, any>): Record<string, any>[] {
  const events: unknown = shown['events'];
  return (typeof events === 'string' ? JSON.parse(events) : events) as Record<string, any>[];
}

describe('server events with the openstack CLI', { timeout: 600_000 }, () => {
  const cli = useCliCloud('tessera-cli-events-', PORT);
  let serverId = '';
  let stopRequest = '';
  let createRequest = '';

  it('lists the create and stop actions of a server, newest first', async () => {
    const created = await osJson(cli.member, '--os-compute-api-version', '2.37', 'server', 'create', '--flavor', 'm1.tiny', '--image', IMAGE, '--nic', 'none', '--wait', 'E');
    assert.equal(created.status, 'ACTIVE');
    serverId = String(created.id);
    await os(cli.member, 'server', 'stop', 'E');
    await waitForStatus(cli.member, 'E', 'SHUTOFF');

    const rows = await osJson<EventRow[]>(cli.member, 'server', 'event', 'list', 'E');
    assert.deepEqual(rows.map((r) => r.Action), ['stop', 'create']);
    for (const r of rows) {
      assert.equal(r['Server ID'], serverId);
      assert.match(r['Request ID'], /^req-[0-9a-f-]{36}$/);
      assert.match(r['Start Time'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    }
    [stopRequest, createRequest] = rows.map((r) => r['Request ID']) as [string, string];

    const long = await osJson<Record<string, any>[]>(cli.member, 'server', 'event', 'list', '--long', 'E');
    assert.equal(long[0]?.['Message'], null);
    assert.match(String(long[0]?.['Project ID']), /^[0-9a-f]{32}$/);
    assert.equal(typeof long[0]?.['User ID'], 'string');
  });

  it('shows one action: no events to a member at 2.1, events without traceback from 2.51', async () => {
    const plain = await osJson(cli.member, 'server', 'event', 'show', 'E', stopRequest);
    assert.equal(plain.action, 'stop');
    assert.equal(plain.request_id, stopRequest);
    assert.equal(plain.instance_uuid, serverId);
    assert.equal(plain.events, undefined);
    const withEvents = await osJson(cli.member, '--os-compute-api-version', '2.51', 'server', 'event', 'show', 'E', stopRequest);
    const events = eventsOf(withEvents);
    assert.deepEqual(events.map((e) => [e['event'], e['result']]), [['compute_stop_instance', 'Success']]);
    assert.equal('traceback' in (events[0] ?? {}), false);
  });

  it('shows an administrator the events with traceback at 2.1, and host, hostId and details at 2.84', async () => {
    const plain = eventsOf(await osJson(cli.admin, 'server', 'event', 'show', serverId, stopRequest));
    assert.deepEqual(Object.keys(plain[0] ?? {}).sort(), ['event', 'finish_time', 'result', 'start_time', 'traceback']);
    const latest = eventsOf(await osJson(cli.admin, '--os-compute-api-version', '2.84', 'server', 'event', 'show', serverId, stopRequest));
    const server = await osJson(cli.admin, 'server', 'show', serverId);
    assert.equal(latest[0]?.['host'], server['OS-EXT-SRV-ATTR:host']);
    assert.equal(latest[0]?.['hostId'], server['hostId']);
    assert.equal(latest[0]?.['details'], null);
  });

  it('pages the list with --limit and --marker at 2.58', async () => {
    const first = await osJson<EventRow[]>(cli.member, '--os-compute-api-version', '2.58', 'server', 'event', 'list', '--limit', '1', 'E');
    assert.deepEqual(first.map((r) => r['Request ID']), [stopRequest]);
    const next = await osJson<EventRow[]>(cli.member, '--os-compute-api-version', '2.58', 'server', 'event', 'list', '--limit', '1', '--marker', stopRequest, 'E');
    assert.deepEqual(next.map((r) => r['Request ID']), [createRequest]);
    const since = await osJson<EventRow[]>(cli.member, '--os-compute-api-version', '2.58', 'server', 'event', 'list', '--changes-since', '2000-01-01T00:00:00Z', 'E');
    assert.equal(since.length, 2);
    const bad = await osFails(cli.member, '--os-compute-api-version', '2.58', 'server', 'event', 'list', '--marker', 'req-unknown', 'E');
    assert.match(bad, /Marker req-unknown could not be found\. \(HTTP 400\)/);
  });

  it('says which request id has no action', async () => {
    const out = await osFails(cli.member, 'server', 'event', 'show', 'E', 'req-unknown');
    assert.match(out, /Action req-unknown not found \(HTTP 404\)/);
  });

  it('lists a deleted server\'s actions by its id at 2.21', async () => {
    await os(cli.member, 'server', 'delete', '--wait', 'E');
    const rows = await osJson<EventRow[]>(cli.member, '--os-compute-api-version', '2.21', 'server', 'event', 'list', serverId);
    assert.deepEqual(rows.map((r) => r.Action), ['delete', 'stop', 'create']);
    const out = await osFails(cli.member, 'server', 'event', 'list', serverId);
    assert.match(out, /\(HTTP 404\)/);
  });
});
