/**
 * The network service with the real `openstack` CLI (Debian's python3-openstackclient, through
 * openstacksdk) against the cloud started as the README says: the default network and subnet,
 * and the life of ports, including one for a server found with `port list --server`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { freePort, os, osFails, osJson, useCliCloud } from '../fixtures/openstack-cli.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the CLI prints untyped JSON */

// A port the system gives; useCliCloud takes another if it is gone by the time the cloud starts.
const PORT = await freePort();

describe('the network service with the openstack CLI', { timeout: 600_000 }, () => {
  const cli = useCliCloud('tessera-cli-net-', PORT);
  let subnetId = '';

  it('network list and subnet list show the shared private network to every project', async () => {
    assert.match(cli.cloud.output(), new RegExp(`network\\s+http://127\\.0\\.0\\.1:${cli.port}/network`));
    for (const env of [cli.member, cli.admin]) {
      const networks = await osJson<{ ID: string; Name: string; Subnets: string[] }[]>(env, 'network', 'list');
      assert.deepEqual(networks.map((n) => n.Name), ['private']);
      const subnets = await osJson<{ ID: string; Name: string; Network: string; Subnet: string }[]>(env, 'subnet', 'list');
      assert.deepEqual(subnets.map((s) => [s.Name, s.Network, s.Subnet]), [['private-subnet', networks[0]?.ID, '10.0.0.0/22']]);
      assert.deepEqual(networks[0]?.Subnets, [subnets[0]?.ID]);
      subnetId = subnets[0]?.ID ?? '';
    }
    const shown = await osJson(cli.member, 'network', 'show', 'private');
    assert.deepEqual([shown.shared, shown.status, shown.mtu], [true, 'ACTIVE', 1500]);
  });

  it('port create --network private, then port list, port show and port delete', async () => {
    const created = await osJson(cli.member, 'port', 'create', '--network', 'private', 'p1');
    assert.equal(created.name, 'p1');
    assert.equal(created.status, 'DOWN');
    assert.match(created.mac_address, /^fa:16:3e(:[0-9a-f]{2}){3}$/);
    assert.equal(created.fixed_ips.length, 1);
    assert.equal(created.fixed_ips[0].subnet_id, subnetId);
    assert.match(created.fixed_ips[0].ip_address, /^10\.0\.[0-3]\.\d{1,3}$/);

    const listed = await osJson<{ ID: string; Name: string; 'MAC Address': string; 'Fixed IP Addresses': any; Status: string }[]>(cli.member, 'port', 'list');
    assert.deepEqual(listed.map((p) => [p.ID, p.Name, p['MAC Address'], p.Status]), [[created.id, 'p1', created.mac_address, 'DOWN']]);
    const shown = await osJson(cli.member, 'port', 'show', 'p1');
    assert.deepEqual([shown.id, shown.fixed_ips], [created.id, created.fixed_ips]);

    await os(cli.member, 'port', 'delete', 'p1');
    assert.deepEqual(await osJson(cli.member, 'port', 'list'), []);
    assert.match(await osFails(cli.member, 'port', 'show', 'p1'), /No Port found for p1/);
  });

  it('port list --server finds the port of a server, and an cli.admin binds it to a host', async () => {
    const server = await osJson(cli.member, '--os-compute-api-version', '2.37', 'server', 'create', '--flavor', 'm1.tiny', '--image', 'cirros-0.6.2-x86_64-disk', '--nic', 'none', '--wait', 'vm-net');
    assert.equal(server.status, 'ACTIVE');
    const port = await osJson(cli.member, 'port', 'create', '--network', 'private', '--device', server.id, '--device-owner', 'compute:nova', 'vm-net-port');
    await osJson(cli.member, 'port', 'create', '--network', 'private', 'unrelated');
    const forServer = await osJson<{ ID: string; Name: string }[]>(cli.member, 'port', 'list', '--server', 'vm-net');
    assert.deepEqual(forServer.map((p) => [p.ID, p.Name]), [[port.id, 'vm-net-port']]);

    const host = (await os(cli.admin, 'server', 'show', server.id, '-c', 'OS-EXT-SRV-ATTR:host', '-f', 'value')).trim();
    await os(cli.admin, 'port', 'set', '--host', host, port.id);
    const bound = await osJson(cli.admin, 'port', 'show', port.id);
    assert.deepEqual([bound.binding_host_id, bound.binding_vif_type, bound.status], [host, 'ovs', 'ACTIVE']);
    const onHost = await osJson<{ ID: string }[]>(cli.admin, 'port', 'list', '--host', host);
    assert.deepEqual(onHost.map((p) => p.ID), [port.id]);
    // Members do not see where a port is bound, as in Neutron.
    assert.equal((await osJson(cli.member, 'port', 'show', port.id)).binding_host_id, null);
    assert.match(await osFails(cli.member, 'port', 'set', '--host', host, port.id), /disallowed by policy/);

    await os(cli.member, 'port', 'delete', 'vm-net-port', 'unrelated');
    assert.deepEqual(await osJson(cli.member, 'port', 'list', '--server', 'vm-net'), []);
  });

  it('refuses a port on a network the cli.member cannot see', async () => {
    const net = await osJson(cli.admin, 'network', 'create', 'admin-only');
    assert.equal(net.shared, false);
    assert.match(await osFails(cli.member, 'port', 'create', '--network', 'admin-only', 'px'), /No Network found for admin-only/);
    assert.match(await osFails(cli.member, 'port', 'create', '--network', net.id, 'px'), /Network .* could not be found|No Network found/);
    await os(cli.admin, 'network', 'delete', 'admin-only');
  });
});
