/**
 * Images, snapshots and server tags with the real `openstack` CLI (Debian's python3-openstackclient)
 * against the cloud started as the README says: image list, image create --file (POST, then PUT
 * of the data), image set/unset, image save, server image create --wait, server create --tag,
 * server set/unset --tag and server list --tags.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { freePort, os, osFails, osJson, useCliCloud } from '../fixtures/openstack-cli.js';

// A port the system gives; useCliCloud takes another if it is gone by the time the cloud starts.
const PORT = await freePort();
const IMAGE = 'cirros-0.6.2-x86_64-disk';

describe('images, snapshots and tags with the openstack CLI', { timeout: 600_000 }, () => {
  const cli = useCliCloud('tessera-cli-image-', PORT);
  const { dataDir } = cli;
  const disk = randomBytes(256 * 1024);
  const diskFile = join(dataDir, 'disk.qcow2');

  before(() => {
    writeFileSync(diskFile, disk);
  });

  it('image list shows the default image', async () => {
    const images = await osJson<{ Name: string; Status: string }[]>(cli.member, 'image', 'list');
    assert.deepEqual(images.map((i) => [i.Name, i.Status]), [[IMAGE, 'active']]);
  });

  it('image create --file uploads the data: the image is active with its size and md5', async () => {
    const created = await osJson(cli.member, 'image', 'create', '--file', diskFile, '--disk-format', 'qcow2', '--property', 'os_distro=tessera', 'uploaded');
    assert.equal(created.name, 'uploaded');
    assert.equal(created.disk_format, 'qcow2');
    assert.equal(created.container_format, 'bare');
    const shown = await osJson(cli.member, 'image', 'show', 'uploaded');
    assert.equal(shown.status, 'active');
    assert.equal(shown.size, disk.length);
    assert.equal(shown.checksum, createHash('md5').update(disk).digest('hex'));
    assert.equal(shown.properties.os_distro, 'tessera');
    assert.equal(shown.properties.os_hash_algo, 'sha512');
    const listed = await osJson<{ Name: string; Status: string }[]>(cli.member, 'image', 'list');
    assert.deepEqual(listed.map((i) => [i.Name, i.Status]).sort(), [[IMAGE, 'active'], ['uploaded', 'active']]);
    assert.equal(shown.visibility, 'shared', 'Glance\'s default: the owner\'s project and its members');
  });

  it('image save downloads the same bytes (the client checks Content-MD5)', async () => {
    const out = join(dataDir, 'saved.img');
    await os(cli.member, 'image', 'save', '--file', out, 'uploaded');
    assert.ok(readFileSync(out).equals(disk));
  });

  it('image set and unset change the name, attributes and properties through a JSON patch', async () => {
    await os(cli.member, 'image', 'set', '--name', 'renamed', '--min-ram', '64', '--property', 'hw_disk_bus=scsi', 'uploaded');
    let shown = await osJson(cli.member, 'image', 'show', 'renamed');
    assert.equal(shown.min_ram, 64);
    assert.equal(shown.properties.hw_disk_bus, 'scsi');
    await os(cli.member, 'image', 'unset', '--property', 'os_distro', 'renamed');
    shown = await osJson(cli.member, 'image', 'show', 'renamed');
    assert.equal('os_distro' in shown.properties, false);
    assert.match(await osFails(cli.member, 'image', 'set', '--public', 'renamed'), /403|Forbidden/i);
    await os(cli.admin, 'image', 'set', '--deactivate', shown.id);
    assert.equal((await osJson(cli.member, 'image', 'show', 'renamed')).status, 'deactivated');
    await os(cli.admin, 'image', 'set', '--activate', shown.id);
    assert.equal((await osJson(cli.member, 'image', 'show', 'renamed')).status, 'active');
  });

  it('server create --tag (2.52) and server image create --wait make an active snapshot of the server', async () => {
    const server = await osJson(cli.member, '--os-compute-api-version', '2.52', 'server', 'create', '--flavor', 'm1.tiny', '--image', IMAGE, '--nic', 'none', '--tag', 'blue', '--tag', 'green', '--wait', 'tagged');
    assert.equal(server.status, 'ACTIVE');
    assert.deepEqual(server.tags, ['blue', 'green']);
    const snap = await osJson(cli.member, 'server', 'image', 'create', '--name', 'snap', '--wait', 'tagged');
    assert.equal(snap.name, 'snap');
    assert.equal(snap.status, 'active');
    assert.equal(snap.disk_format, 'qcow2');
    assert.equal(snap.visibility, 'private');
    assert.equal(snap.min_disk, 1);
    assert.equal(snap.virtual_size, 1024 ** 3);
    assert.equal(snap.properties.image_type, 'snapshot');
    assert.equal(snap.properties.instance_uuid, server.id);
    assert.equal((await os(cli.member, 'server', 'show', 'tagged', '-c', 'OS-EXT-STS:task_state', '-f', 'value')).trim(), 'None');
    // The snapshot boots.
    const child = await osJson(cli.member, '--os-compute-api-version', '2.37', 'server', 'create', '--flavor', 'm1.tiny', '--image', 'snap', '--nic', 'none', '--wait', 'from-snap');
    assert.equal(child.status, 'ACTIVE');
  });

  it('server set/unset --tag and server list --tags / --not-tags', async () => {
    const v = ['--os-compute-api-version', '2.26'];
    await os(cli.member, ...v, 'server', 'set', '--tag', 'red', 'tagged');
    assert.deepEqual((await osJson(cli.member, ...v, 'server', 'show', 'tagged')).tags, ['blue', 'green', 'red']);
    await os(cli.member, ...v, 'server', 'unset', '--tag', 'blue', 'tagged');
    assert.deepEqual((await osJson(cli.member, ...v, 'server', 'show', 'tagged')).tags, ['green', 'red']);
    const names = async (...filter: string[]) => (await osJson<{ Name: string }[]>(cli.member, ...v, 'server', 'list', ...filter)).map((s) => s.Name).sort();
    assert.deepEqual(await names('--tags', 'red'), ['tagged']);
    assert.deepEqual(await names('--tags', 'red,green'), ['tagged']);
    assert.deepEqual(await names('--tags', 'blue'), []);
    assert.deepEqual(await names('--not-tags', 'red'), ['from-snap']);
    assert.match(await osFails(cli.member, 'server', 'set', '--tag', 'x', 'tagged'), /2\.26 or greater is required/);
  });

  it('image delete removes the snapshot', async () => {
    await os(cli.member, 'image', 'delete', 'renamed');
    const listed = await osJson<{ Name: string }[]>(cli.member, 'image', 'list');
    assert.deepEqual(listed.map((i) => i.Name).sort(), [IMAGE, 'snap']);
  });
});
