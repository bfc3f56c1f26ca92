/**
 * Volumes with the real clients (Debian's python3-openstackclient and python3-cinderclient)
 * against the cloud started as the README says: create (blank, from the image, over quota),
 * list, show by name, the attachment commands (3.44) against a real server, delete, and the
 * volume limits and zones.
 *
 * The volume limits are read with python-cinderclient's `cinder absolute-limits` (`limits.get()`);
 * `openstack limits show --absolute`, which adds the compute limits, is run by
 * openstack-cli-quota.test.ts.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { freePort, os, osFails, osJson, useCliCloud } from '../fixtures/openstack-cli.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the CLI prints untyped JSON */

// A port the system gives; useCliCloud takes another if it is gone by the time the cloud starts.
const PORT = await freePort();
const IMAGE = 'cirros-0.6.2-x86_64-disk';
const MV = ['--os-volume-api-version', '3.44'];
const run = promisify(execFile);

/** Runs `cinder ARGS` (python-cinderclient's own CLI); a failure carries what it printed. */
async function cinder(env: NodeJS.ProcessEnv, ...args: string[]): Promise<string> {
  try {
    return (await run('/usr/bin/cinder', args, { env, timeout: 120_000 })).stdout;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`cinder ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

describe('volumes with the openstack CLI', { timeout: 600_000 }, () => {
  const cli = useCliCloud('tessera-cli-volume-', PORT);
  let serverId = '';
  let attachmentId = '';

  it('prints the volume endpoint at start-up', () => {
    assert.match(cli.cloud.output(), new RegExp(`volume +http://127\\.0\\.0\\.1:${cli.port}/volume/v3`));
  });

  it('volume create --size 1 v1 prints the new volume, available at once', async () => {
    const v = await osJson(cli.member, 'volume', 'create', '--size', '1', 'v1');
    assert.equal(v.name, 'v1');
    assert.equal(v.size, 1);
    assert.equal(v.status, 'available');
    assert.equal(v.type, '__DEFAULT__');
    assert.equal(v.bootable, 'false');
    assert.deepEqual(v.properties, {});
    assert.equal(v.availability_zone, 'nova');
    assert.match(String(v.id), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('volume create --image makes a bootable volume; too large a one is refused with the quota message', async () => {
    const boot = await osJson(cli.member, 'volume', 'create', '--size', '1', '--image', IMAGE, '--property', 'purpose=boot', 'boot1');
    assert.equal(boot.bootable, 'true');
    assert.deepEqual(boot.properties, { purpose: 'boot' });
    assert.equal(boot.volume_image_metadata.image_name, IMAGE);
    const refused = await osFails(cli.member, 'volume', 'create', '--size', '2000', 'huge');
    assert.match(refused, /Requested volume or snapshot exceeds allowed gigabytes quota\. Requested 2000G, quota is 1000G and 2G has been consumed\. \(HTTP 413\)/);
  });

  it('volume list, and volume show by name', async () => {
    const list = await osJson<Record<string, any>[]>(cli.member, 'volume', 'list');
    assert.deepEqual(list.map((v) => [v['Name'], v['Status'], v['Size']]).sort(), [['boot1', 'available', 1], ['v1', 'available', 1]]);
    const shown = await osJson(cli.member, 'volume', 'show', 'v1');
    assert.equal(shown.name, 'v1');
    assert.equal(shown.status, 'available');
    assert.deepEqual(shown.attachments, []);
    // The cli.admin sees other projects' volumes only when asking for them, and the backend host.
    assert.deepEqual(await osJson(cli.admin, 'volume', 'list'), []);
    const all = await osJson<Record<string, any>[]>(cli.admin, 'volume', 'list', '--all-projects', '--long');
    assert.deepEqual(all.map((v) => [v['Name'], v['Type'], v['Bootable']]).sort(), [['boot1', '__DEFAULT__', 'true'], ['v1', '__DEFAULT__', 'false']]);
    assert.match(String((await osJson(cli.admin, 'volume', 'show', 'v1'))['os-vol-host-attr:host']), /@fake#fake$/);
  });

  it('volume attachment create, set, complete and list (3.44) against a real server; the volume shows in-use', async () => {
    const server = await osJson(cli.member, '--os-compute-api-version', '2.37', 'server', 'create', '--flavor', 'm1.tiny', '--image', IMAGE, '--nic', 'none', '--wait', 'vm1');
    serverId = String(server.id);
    const host = (await os(cli.admin, 'server', 'show', serverId, '-c', 'OS-EXT-SRV-ATTR:host', '-f', 'value')).trim();

    const reserved = await osJson(cli.member, ...MV, 'volume', 'attachment', 'create', 'v1', 'vm1');
    attachmentId = String(reserved.ID);
    assert.equal(reserved.Status, 'reserved');
    assert.equal(reserved['Instance ID'], serverId);
    assert.equal((await osJson(cli.member, 'volume', 'show', 'v1')).status, 'reserved');

    const connected = await osJson(cli.member, ...MV, 'volume', 'attachment', 'set', '--host', host, '--ip', '192.0.2.10', '--initiator', 'iqn.test', '--platform', 'x86_64', '--os-type', 'linux', '--mountpoint', '/dev/vdb', attachmentId);
    assert.equal(connected.Status, 'attaching');
    assert.equal(connected.Properties.driver_volume_type, 'fake');
    await os(cli.member, ...MV, 'volume', 'attachment', 'complete', attachmentId);

    const shown = await osJson(cli.member, 'volume', 'show', 'v1');
    assert.equal(shown.status, 'in-use');
    assert.deepEqual(shown.attachments.map((a: any) => [a.server_id, a.attachment_id, a.device]), [[serverId, attachmentId, '/dev/vdb']]);
    const listed = await osJson<Record<string, any>[]>(cli.member, ...MV, 'volume', 'attachment', 'list');
    assert.deepEqual(listed.map((a) => [a['ID'], a['Server ID'], a['Status']]), [[attachmentId, serverId, 'attached']]);
    const refused = await osFails(cli.member, ...MV, 'volume', 'attachment', 'create', '--connect', '--host', host, '--mountpoint', '/dev/vdc', 'v1', 'vm1');
    assert.match(refused, /duplicate connectors detected .* \(HTTP 409\)/);
  });

  it('volume delete refuses an attached volume, and deletes it once detached', async () => {
    const refused = await osFails(cli.member, 'volume', 'delete', 'v1');
    assert.match(refused, /Invalid volume: Volume status must be available, error or error_deleting and must not be attached.*\(HTTP 400\)/);
    await os(cli.member, ...MV, 'volume', 'attachment', 'delete', attachmentId);
    assert.equal((await osJson(cli.member, 'volume', 'show', 'v1')).status, 'available');
    await os(cli.member, 'volume', 'delete', 'v1', 'boot1');
    assert.deepEqual(await osJson(cli.member, 'volume', 'list'), []);
    await os(cli.member, 'server', 'delete', '--wait', serverId);
  });

  it('cinder absolute-limits shows the volume limits with usage, and the volume zone is listed', async () => {
    await osJson(cli.member, 'volume', 'create', '--size', '3', 'v3');
    const limits = await cinder(cli.member, 'absolute-limits');
    const row = (name: string) => new RegExp(`\\|\\s*${name}\\s*\\|\\s*(\\d+)\\s*\\|`).exec(limits)?.[1];
    assert.deepEqual(
      ['maxTotalVolumes', 'maxTotalVolumeGigabytes', 'totalVolumesUsed', 'totalGigabytesUsed'].map(row),
      ['10', '1000', '1', '3'],
      limits,
    );
    const zones = await osJson<Record<string, any>[]>(cli.member, 'availability', 'zone', 'list', '--volume');
    assert.deepEqual(zones.map((z) => [z['Zone Name'], z['Zone Status']]), [['nova', 'available']]);
  });
});
