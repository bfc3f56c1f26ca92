/**
 * Volume and interface attachments with the real `openstack` CLI (Debian's python3-openstackclient
 * 6.0, whose attachment commands go through openstacksdk, and `server volume list` through
 * novaclient) against the cloud started as the README says: `server add volume` / `server volume
 * list` / `server remove volume` with the volume's status following, and `server add port` /
 * `server add network` / `port list --server` / `server remove port` / `server remove network`
 * with the created port deleted and the user's port kept.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { freePort, os, osFails, osJson, useCliCloud } from '../fixtures/openstack-cli.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the CLI prints untyped JSON */

// A port the system gives; useCliCloud takes another if it is gone by the time the cloud starts.
const PORT = await freePort();
const IMAGE = 'cirros-0.6.2-x86_64-disk';

describe('attachments with the openstack CLI', { timeout: 600_000 }, () => {
  const cli = useCliCloud('tessera-cli-attach-', PORT);
  let serverId = '';
  let volumeId = '';

  before(async () => {
    const server = await osJson(cli.member, '--os-compute-api-version', '2.37', 'server', 'create', '--flavor', 'm1.tiny', '--image', IMAGE, '--nic', 'none', '--wait', 'vm1');
    serverId = String(server.id);
    volumeId = String((await osJson(cli.member, 'volume', 'create', '--size', '1', 'v1')).id);
  });

  it('server add volume attaches v1 as /dev/vdb with its tag; the volume shows in-use on vm1', async () => {
    const added = await osJson(cli.member, '--os-compute-api-version', '2.79', 'server', 'add', 'volume', '--tag', 'data', '--enable-delete-on-termination', 'vm1', 'v1');
    assert.equal(added['Volume ID'], volumeId);
    assert.equal(added['Device'], '/dev/vdb');
    assert.equal(added['Tag'], 'data');
    assert.equal(added['Delete On Termination'], true);
    const shown = await osJson(cli.member, 'volume', 'show', 'v1');
    assert.equal(shown.status, 'in-use');
    assert.deepEqual(shown.attachments.map((a: any) => [a.server_id, a.device]), [[serverId, '/dev/vdb']]);
  });

  it('server volume list shows the attachment, with tag and ids from 2.89', async () => {
    const plain = await osJson<Record<string, any>[]>(cli.member, 'server', 'volume', 'list', 'vm1');
    assert.deepEqual(plain, [{ ID: volumeId, Device: '/dev/vdb', 'Server ID': serverId, 'Volume ID': volumeId }]);
    const [latest] = await osJson<Record<string, any>[]>(cli.member, '--os-compute-api-version', '2.89', 'server', 'volume', 'list', 'vm1');
    assert.equal(latest?.['Tag'], 'data');
    assert.equal(latest?.['Delete On Termination?'], true);
    const attachmentId = (await osJson(cli.member, 'volume', 'show', 'v1')).attachments[0].attachment_id;
    assert.equal(latest?.['Attachment ID'], attachmentId);
    assert.match(String(latest?.['BlockDeviceMapping UUID']), /^[0-9a-f-]{36}$/);
  });

  it('a second server add volume of v1 is refused as Nova refuses it (HTTP 400)', async () => {
    const refused = await osFails(cli.member, 'server', 'add', 'volume', 'vm1', 'v1');
    assert.match(refused, /already attached/);
    assert.equal((await osJson<unknown[]>(cli.member, 'server', 'volume', 'list', 'vm1')).length, 1);
  });

  it('server remove volume detaches it: the volume is available and the list empty', async () => {
    await os(cli.member, 'server', 'remove', 'volume', 'vm1', 'v1');
    assert.equal((await osJson(cli.member, 'volume', 'show', 'v1')).status, 'available');
    assert.deepEqual(await osJson(cli.member, 'server', 'volume', 'list', 'vm1'), []);
  });

  it('server add port and server add network bind ports to vm1; port list --server shows both', async () => {
    const mine = await osJson(cli.member, 'port', 'create', '--network', 'private', 'p1');
    await os(cli.member, '--os-compute-api-version', '2.49', 'server', 'add', 'port', '--tag', 'mine', 'vm1', 'p1');
    await os(cli.member, 'server', 'add', 'network', 'vm1', 'private');
    const ports = await osJson<Record<string, any>[]>(cli.member, 'port', 'list', '--server', 'vm1');
    assert.equal(ports.length, 2);
    assert.ok(ports.some((p) => p['ID'] === mine.id && p['Name'] === 'p1'));
    assert.equal((await osJson(cli.member, 'port', 'show', 'p1')).device_id, serverId);
    const other = ports.find((p) => p['ID'] !== mine.id);
    const created = await osJson(cli.member, 'port', 'show', String(other?.['ID']));
    assert.equal(created.device_id, serverId);
    assert.match(String(created.device_owner), /^compute:/);
  });

  it('server remove port keeps the user\'s port, unbound; server remove network deletes the port it made', async () => {
    const before = await osJson<Record<string, any>[]>(cli.member, 'port', 'list', '--server', 'vm1');
    const createdId = String(before.find((p) => p['Name'] !== 'p1')?.['ID']);
    await os(cli.member, 'server', 'remove', 'port', 'vm1', 'p1');
    const kept = await osJson(cli.member, 'port', 'show', 'p1');
    assert.equal(kept.device_id, '');
    assert.equal(kept.device_owner, '');
    await os(cli.member, 'server', 'remove', 'network', 'vm1', 'private');
    assert.deepEqual(await osJson(cli.member, 'port', 'list', '--server', 'vm1'), []);
    assert.match(await osFails(cli.member, 'port', 'show', createdId), /No Port found|could not be found|404/);
    await os(cli.member, 'port', 'delete', 'p1');
  });

  it('cleans up: the server and the volume delete', async () => {
    await os(cli.member, 'server', 'delete', '--wait', 'vm1');
    await os(cli.member, 'volume', 'delete', 'v1');
    assert.deepEqual(await osJson(cli.member, 'volume', 'list'), []);
  });
});
