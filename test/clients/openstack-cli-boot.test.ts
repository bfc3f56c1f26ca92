/**
 * Booting with networks and volumes with the real `openstack` CLI (Debian's python3-openstackclient
 * 6.0; `server create` goes through novaclient) against the cloud started as the README says:
 * `server create --boot-from-volume 1 --image ... --nic net-id=...`, `port list --server`,
 * `server show` (addresses, volumes_attached, the image of a volume-backed server), the volume
 * in use; then a server on the user's own port and volume; and `server delete --wait` freeing
 * what each had.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { freePort, os, osFails, osJson, useCliCloud } from '../fixtures/openstack-cli.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the CLI prints untyped JSON */

// A port the system gives; useCliCloud takes another if it is gone by the time the cloud starts.
const PORT = await freePort();
const IMAGE = 'cirros-0.6.2-x86_64-disk';

describe('booting with networks and volumes with the openstack CLI', { timeout: 600_000 }, () => {
  const cli = useCliCloud('tessera-cli-boot-', PORT);
  let privateId = '';
  let serverId = '';
  let rootVolumeId = '';

  before(async () => {
    privateId = String((await osJson(cli.member, 'network', 'show', 'private')).id);
  });

  it('server create --boot-from-volume 1 --image ... --nic net-id=<private> --wait builds it ACTIVE', async () => {
    const created = await osJson(cli.member, 'server', 'create', '--flavor', 'm1.tiny', '--boot-from-volume', '1', '--image', IMAGE, '--nic', `net-id=${privateId}`, '--wait', 'S');
    assert.equal(created.status, 'ACTIVE');
    serverId = String(created.id);
  });

  it('port list --server shows its one port on the private network, up', async () => {
    const ports = await osJson<Record<string, any>[]>(cli.member, 'port', 'list', '--server', 'S');
    assert.equal(ports.length, 1);
    assert.equal(ports[0]?.['Status'], 'ACTIVE');
    const shown = await osJson(cli.member, 'port', 'show', String(ports[0]?.['ID']));
    assert.equal(shown.device_id, serverId);
    assert.equal(shown.network_id, privateId);
    assert.match(String(shown.device_owner), /^compute:/);
  });

  it('server show gives its address, its root volume in volumes_attached, and no image', async () => {
    const server = await osJson(cli.member, 'server', 'show', 'S');
    const port = (await osJson<Record<string, any>[]>(cli.member, 'port', 'list', '--server', 'S'))[0];
    const ip = String((await osJson(cli.member, 'port', 'show', String(port?.['ID']))).fixed_ips[0].ip_address);
    assert.deepEqual(server.addresses, { private: [ip] });
    assert.equal(server.volumes_attached.length, 1);
    rootVolumeId = String(server.volumes_attached[0].id);
    assert.match(String(server.image), /booted from volume/);
    const root = await osJson(cli.member, 'volume', 'show', rootVolumeId);
    assert.equal(root.status, 'in-use');
    assert.equal(root.size, 1);
    assert.equal(root.bootable, 'true');
    assert.deepEqual(root.attachments.map((a: any) => [a.server_id, a.device]), [[serverId, '/dev/vda']]);
  });

  it('server delete --wait deletes its port and leaves its root volume available (not delete_on_termination)', async () => {
    const portId = String((await osJson<Record<string, any>[]>(cli.member, 'port', 'list', '--server', 'S'))[0]?.['ID']);
    await os(cli.member, 'server', 'delete', '--wait', 'S');
    assert.match(await osFails(cli.member, 'port', 'show', portId), /No Port found|could not be found|404/);
    assert.equal((await osJson(cli.member, 'volume', 'show', rootVolumeId)).status, 'available');
  });

  it('a server on the user\'s port and volume (--nic port-id, --volume) binds and attaches them; its delete gives them back', async () => {
    const port = await osJson(cli.member, 'port', 'create', '--network', 'private', 'mine');
    const created = await osJson(cli.member, 'server', 'create', '--flavor', 'm1.tiny', '--volume', rootVolumeId, '--nic', `port-id=${String(port.id)}`, '--wait', 'S2');
    assert.equal(created.status, 'ACTIVE');
    const ports = await osJson<Record<string, any>[]>(cli.member, 'port', 'list', '--server', 'S2');
    assert.deepEqual(ports.map((p) => p['ID']), [port.id]);
    const server = await osJson(cli.member, 'server', 'show', 'S2');
    assert.deepEqual(server.addresses, { private: [port.fixed_ips[0].ip_address] });
    assert.deepEqual(server.volumes_attached.map((v: any) => v.id), [rootVolumeId]);
    assert.equal((await osJson(cli.member, 'volume', 'show', rootVolumeId)).status, 'in-use');
    await os(cli.member, 'server', 'delete', '--wait', 'S2');
    const kept = await osJson(cli.member, 'port', 'show', 'mine');
    assert.deepEqual([kept.device_id, kept.device_owner], ['', '']);
    assert.equal((await osJson(cli.member, 'volume', 'show', rootVolumeId)).status, 'available');
    await os(cli.member, 'port', 'delete', 'mine');
    await os(cli.member, 'volume', 'delete', rootVolumeId);
  });
});
